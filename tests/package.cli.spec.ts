// The product is what `npm pack` ships: packed, installed into an empty project (offline, from the
// local npm cache, with the checkout's lockfile for its dependencies), and run there as a user
// would, with npx. No TypeScript loader at run time; the report lands in the user's project.
import { test, expect } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { installedPackage } from './support/installed.ts';

test('the packed tarball installs into an empty project and runs there', async () => {
  const pkg = await installedPackage();
  expect(pkg.files).toContain('dist/src/cli/main.js');
  expect(pkg.files).toContain('openapi/cinder-v3.yaml');
  expect(pkg.files).toContain('specs/cinder-v3/clauses.yaml');
  expect(pkg.files.filter((f) => f.endsWith('.ts')), 'no TypeScript in the package').toEqual([]);
  expect(existsSync(join(pkg.project, 'node_modules/snapshot-conformance/dist/src/cli/main.js'))).toBe(true);

  // npx itself, as the README says, once.
  const version = spawnSync('npx', ['--offline', 'snapshot-conformance', '--version'], { cwd: pkg.project, encoding: 'utf8' });
  expect(version.stdout.trim()).toBe(pkg.version);
  const run = await pkg.npx(['run', '--profile', 'cinder-v3', '--examples', '4', '--seed', '3', '--report-dir', 'reports/packaged']);
  expect(run.code, run.stdout.slice(-2000) + run.stderr).toBe(0);
  expect(run.stdout.split('\n')[0]).toMatch(/^snapshot-conformance: cinder-v3 against the embedded reference servers \(seed 3\)$/);
  expect(run.stdout).toMatch(/cinder-v3: conformant/);
  // The report's path as an absolute one, and the verdict last, with why and the exit code.
  expect(run.stdout).toContain(`report: ${join(pkg.project, 'reports', 'packaged', 'index.html')}\n`);
  expect(run.stdout.trimEnd().split('\n').at(-1)).toMatch(/^cinder-v3: conformant: every MUST clause holds \(\d+ passed\) \(exit 0\)$/);
  expect(run.stdout + run.stderr).not.toMatch(/ERR_UNKNOWN_FILE_EXTENSION|\n\s+at /);
  for (const file of ['index.html', 'results.json', 'junit.xml']) expect(existsSync(join(pkg.project, 'reports', 'packaged', file)), file).toBe(true);
  expect(readdirSync(join(pkg.project, 'reports'))).toContain('packaged');
});
