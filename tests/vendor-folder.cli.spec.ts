// A vendor's profile, kept in a folder of its own outside the package, used from the installed
// package as a vendor would: drafted with init, checked, served, run (against the server its
// documents make, and against `serve`), mutation-tested, listed and swept, with no file of the
// package changed. The folder here is the shipped exoscale profile copied out and renamed: it has a
// signer module of its own, which the run and the server load from the folder.
import { test, expect } from '@playwright/test';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installedPackage } from './support/installed.ts';
import { ROOT } from './support/run-suite.ts';

/** A copy of a shipped profile folder, outside the package, under another id. */
function vendorFolder(): { work: string; folder: string } {
  const work = mkdtempSync(join(tmpdir(), 'sc-vendor-'));
  const folder = join(work, 'acme-block');
  cpSync(join(ROOT, 'profiles/exoscale'), folder, { recursive: true });
  const clauses = join(folder, 'clauses.yaml');
  writeFileSync(clauses, readFileSync(clauses, 'utf8').replace(/^profile: exoscale$/m, 'profile: acme-block'));
  return { work, folder };
}

test('a profile folder outside the package: check, run, selftest and list from the installed package', async () => {
  const pkg = await installedPackage();
  const { work, folder } = vendorFolder();
  const checked = await pkg.npx(['check', folder], { cwd: work });
  expect([checked.code, checked.stdout.trim()]).toEqual([0, `no problems in acme-block (${folder})`]);

  const run = await pkg.npx(['run', '--profile', './acme-block', '--examples', '3', '--seed', '4', '--report-dir', 'r'], { cwd: work });
  expect(run.code, run.stdout.slice(-2000) + run.stderr).toBe(0);
  expect(run.stdout.split('\n')[0]).toBe('snapshot-conformance: acme-block against the embedded reference servers (seed 4)');
  expect(run.stdout).toMatch(/acme-block: conformant \(24 clauses: 24 pass/);
  expect(JSON.parse(readFileSync(join(work, 'r', 'results.json'), 'utf8')).profile).toBe('acme-block');

  const self = await pkg.npx(['selftest', '--profile', './acme-block', '--fault', 'labels-dropped', '--fault', 'operation-fails', '--report-dir', 's'], { cwd: work });
  expect(self.code, self.stdout + self.stderr).toBe(0);
  expect(self.stdout).toMatch(/acme-block: mutation score 100% \(2 of 2 faults caught/);
  expect(JSON.parse(readFileSync(join(work, 's', 'selftest.json'), 'utf8')).faults.map((f: { fault: string; failing: string[] }) => [f.fault, f.failing])).toEqual([
    ['labels-dropped', ['EXO-LABEL-01']],
    ['operation-fails', ['EXO-LIFE-01']],
  ]);

  const listed = await pkg.npx(['list', 'clauses', '--profile', './acme-block'], { cwd: work });
  expect(listed.stdout.split('\n')[0]).toMatch(/^EXO-API-01 +MUST +Taking a snapshot answers 200/);
  const faults = await pkg.npx(['list', 'faults', '--profile', './acme-block'], { cwd: work });
  expect(faults.stdout).toMatch(/^acme-block +labels-merged +an update's labels are added/m);
});

test("a profile folder served with `serve`, run against with its signer's credentials, and swept", async () => {
  const pkg = await installedPackage();
  const { work } = vendorFolder();
  const key = 'EXOtest:secret-of-the-test';
  const bin = join(pkg.project, 'node_modules', '.bin', 'snapshot-conformance');
  const serve = spawn(bin, ['serve', '--profile', './acme-block', '--token', key], { cwd: work });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      serve.stdout.on('data', (d) => {
        out += d;
        const m = /reference server: (http:\/\/\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      serve.on('exit', (code) => reject(new Error(`serve ended with ${code}: ${out}`)));
    });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v2$/);
    // A wrong secret is refused before anything is made.
    const refused = await pkg.npx(['run', '--profile', './acme-block', '--base-url', url, '--report-dir', 'x'], { cwd: work, env: { SC_TOKEN: 'EXOtest:wrong' } });
    expect([refused.code, refused.stderr.trim().split('\n').length]).toEqual([2, 1]);
    expect(refused.stderr).toMatch(/refused the token/);
    const run = await pkg.npx(['run', '--profile', './acme-block', '--base-url', url, '--examples', '2', '--seed', '2', '--report-dir', 'r'], { cwd: work, env: { SC_TOKEN: key } });
    expect(run.code, run.stdout.slice(-2000) + run.stderr).toBe(0);
    // What a killed run would have left, the sweep finds from the report directory alone: here nothing.
    const sweep = await pkg.npx(['sweep', '--report-dir', 'r', '--dry-run'], { cwd: work, env: { SC_TOKEN: key } });
    expect(sweep.code, sweep.stdout + sweep.stderr).toBe(0);
    expect(sweep.stdout).toMatch(/^0 resource\(s\) left by /m);
  } finally {
    serve.kill('SIGINT');
  }
});
