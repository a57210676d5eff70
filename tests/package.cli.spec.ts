// The product is what `npm pack` ships: packed, installed into an empty project (offline, from the
// local npm cache, with the checkout's lockfile for its dependencies), and run there as a user
// would, with npx. No TypeScript loader at run time; the report lands in the user's project.
import { test, expect } from '@playwright/test';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './support/run-suite.ts';

test('the packed tarball installs into an empty project and runs there', async () => {
  test.setTimeout(5 * 60_000);
  const work = mkdtempSync(join(tmpdir(), 'sc-pack-'));
  // Built by the test command already: the tarball is what `npm pack` makes of it.
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: ROOT, encoding: 'utf8' }))[0];
  const tarball = join(work, packed.filename);
  const files: string[] = packed.files.map((f: { path: string }) => f.path);
  expect(files).toContain('dist/src/cli/main.js');
  expect(files).toContain('openapi/cinder-v3.yaml');
  expect(files).toContain('specs/cinder-v3/clauses.yaml');
  expect(files.filter((f) => f.endsWith('.ts')), 'no TypeScript in the package').toEqual([]);

  // An empty project that depends on the tarball; its lockfile takes the dependencies' versions from
  // the checkout's (what `npm ci` put in the local cache), so that the install needs no network.
  const project = join(work, 'project');
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8'));
  const own = lock.packages[''];
  const integrity = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
  const packages: Record<string, unknown> = {
    '': { name: 'a-user-project', version: '1.0.0', dependencies: { 'snapshot-conformance': `file:../${packed.filename}` } },
    'node_modules/snapshot-conformance': { version: own.version, resolved: `file:../${packed.filename}`, integrity, license: own.license, dependencies: own.dependencies, bin: own.bin, engines: own.engines },
  };
  for (const [path, entry] of Object.entries<any>(lock.packages)) if (path && !entry.dev && !entry.devOptional) packages[path] = entry;
  execFileSync('mkdir', ['-p', project]);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'a-user-project', version: '1.0.0', private: true, dependencies: { 'snapshot-conformance': `file:../${packed.filename}` } }, null, 2));
  writeFileSync(join(project, 'package-lock.json'), JSON.stringify({ name: 'a-user-project', version: '1.0.0', lockfileVersion: 3, requires: true, packages }, null, 2));
  const install = spawnSync('npm', ['ci', '--offline', '--no-audit', '--no-fund'], { cwd: project, encoding: 'utf8' });
  expect(install.status, install.stderr).toBe(0);
  expect(existsSync(join(project, 'node_modules/snapshot-conformance/dist/src/cli/main.js'))).toBe(true);

  const npx = (...args: string[]) => spawnSync('npx', ['--offline', 'snapshot-conformance', ...args], { cwd: project, encoding: 'utf8', env: { ...process.env, CI: '1' } });
  const version = npx('--version');
  expect(version.stdout.trim()).toBe(own.version);
  const run = npx('run', '--profile', 'cinder-v3', '--examples', '4', '--seed', '3');
  expect(run.status, run.stdout.slice(-2000) + run.stderr).toBe(0);
  expect(run.stdout).toMatch(/cinder-v3: conformant/);
  expect(run.stdout + run.stderr).not.toMatch(/ERR_UNKNOWN_FILE_EXTENSION|\n\s+at /);
  const reports = readdirSync(join(project, 'reports'));
  expect(reports).toHaveLength(1);
  for (const file of ['index.html', 'results.json', 'junit.xml']) expect(existsSync(join(project, 'reports', reports[0]!, file)), file).toBe(true);
});
