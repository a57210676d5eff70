// The product as a user has it: the packed tarball installed into an empty project (offline, from
// the local npm cache, with the checkout's lockfile for its dependencies), and the CLI run there
// with npx. Packed and installed once per tarball: every test process of a run shares the install
// (the first to claim the folder installs, the others wait for it to be ready).
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, runToEnd, type CliResult } from './run-suite.ts';

export interface Installed {
  /** The user's project: package.json, node_modules/snapshot-conformance. */
  project: string;
  /** What `npm pack` put in the tarball (paths inside the package). */
  files: string[];
  version: string;
  /** The installed bin, as npx finds it: for a test that needs the process itself (its pid, its output as it comes). */
  bin: string;
  /** Runs `npx snapshot-conformance ARGS` in a folder (the project by default) and resolves when it exits. */
  npx(args: string[], options?: { cwd?: string; env?: NodeJS.ProcessEnv }): Promise<CliResult>;
}

let memo: Promise<Installed> | undefined;

/** The installed package; built by the test command already (`npm run build` comes first). */
export function installedPackage(): Promise<Installed> {
  return (memo ??= install());
}

async function install(): Promise<Installed> {
  const packDir = mkdtempSync(join(tmpdir(), 'sc-pack-'));
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', packDir], { cwd: ROOT, encoding: 'utf8' }))[0];
  const tarball = join(packDir, packed.filename);
  const bytes = readFileSync(tarball);
  const sha = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
  const home = join(tmpdir(), `sc-installed-${sha}`);
  const project = join(home, 'project');
  const ready = join(home, 'ready');
  let mine = false;
  try {
    mkdirSync(home);
    mine = true;
  } catch {
    // Another test process installs this very tarball: wait for it.
  }
  if (mine) {
    renameSync(tarball, join(home, packed.filename));
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8'));
    const own = lock.packages[''];
    const integrity = `sha512-${createHash('sha512').update(bytes).digest('base64')}`;
    const dependency = { 'snapshot-conformance': `file:../${packed.filename}` };
    const packages: Record<string, unknown> = {
      '': { name: 'a-user-project', version: '1.0.0', dependencies: dependency },
      'node_modules/snapshot-conformance': { version: own.version, resolved: `file:../${packed.filename}`, integrity, license: own.license, dependencies: own.dependencies, bin: own.bin, engines: own.engines },
    };
    for (const [path, entry] of Object.entries<any>(lock.packages)) if (path && !entry.dev && !entry.devOptional) packages[path] = entry;
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'a-user-project', version: '1.0.0', private: true, dependencies: dependency }, null, 2));
    writeFileSync(join(project, 'package-lock.json'), JSON.stringify({ name: 'a-user-project', version: '1.0.0', lockfileVersion: 3, requires: true, packages }, null, 2));
    const result = spawnSync('npm', ['ci', '--offline', '--no-audit', '--no-fund'], { cwd: project, encoding: 'utf8' });
    writeFileSync(ready, result.status === 0 ? 'ok' : `npm ci failed: ${result.stderr}`);
  } else {
    // Another worker installs: its mark says when, however long that takes.
    while (!existsSync(ready)) await new Promise((r) => setTimeout(r, 200));
  }
  const state = readFileSync(ready, 'utf8');
  if (state !== 'ok') throw new Error(state);
  return {
    project,
    files: packed.files.map((f: { path: string }) => f.path),
    version: packed.version,
    bin: join(project, 'node_modules', '.bin', 'snapshot-conformance'),
    npx: (args, options = {}) => npx(project, args, options),
  };
}

function npx(project: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv }): Promise<CliResult> {
  // The installed bin, as npx would find it, without npx's own start-up on every call.
  return runToEnd(join(project, 'node_modules', '.bin', 'snapshot-conformance'), args, { cwd: options.cwd ?? project, env: options.env });
}
