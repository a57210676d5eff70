// A real OpenStack Cinder (Debian's python3-cinder) on 127.0.0.1, for the interop job: installed when
// missing, started on a free port with a state directory of its own, stopped by its process id.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Debian's interpreter: the one python3-cinder is installed for, whatever else is on PATH. */
export const PYTHON = process.env.SC_CINDER_PYTHON ?? '/usr/bin/python3';
const LAUNCHER = join(dirname(fileURLToPath(import.meta.url)), 'launch.py');
/** noauth takes any token of the form user:project; the project must be hex. */
export const PROJECT = '5c0a5f6d1e2b4c3d8e9f0a1b2c3d4e5f';
export const TOKEN = `interop:${PROJECT}`;

export interface RunningCinder {
  pid: number;
  /** The endpoint as a service catalog gives it: version and project included. */
  baseUrl: string;
  stateDir: string;
  stop(): Promise<void>;
}

export function cinderInstalled(): boolean {
  return existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import cinder.cmd.api'], { stdio: 'ignore' }).status === 0;
}

/** Installs Debian's Cinder when it is missing (as root, or through sudo). */
export function ensureCinder(log: (line: string) => void): void {
  if (cinderInstalled()) return;
  log('installing python3-cinder from Debian');
  const asRoot = process.getuid?.() === 0;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const sudo = (args: string[]) => (asRoot ? args : ['sudo', '-E', ...args]);
  for (const args of [['apt-get', 'update', '-qq'], ['apt-get', 'install', '-y', '-qq', '--no-install-recommends', 'python3-cinder']]) {
    const [cmd, ...rest] = sudo(args);
    const result = spawnSync(cmd!, rest, { stdio: ['ignore', 'ignore', 'inherit'], env });
    if (result.status !== 0) throw new Error(`${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
  }
  if (!cinderInstalled()) throw new Error(`python3-cinder is installed but ${PYTHON} cannot import cinder`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Starts Cinder and waits until its version document answers (start-up takes a few seconds). */
export async function startCinder(options: { timeoutMs?: number } = {}): Promise<RunningCinder> {
  const stateDir = mkdtempSync(join(tmpdir(), 'sc-cinder-'));
  const port = await freePort();
  const child = spawn(PYTHON, [LAUNCHER, '--state-dir', stateDir, '--port', String(port)], { stdio: ['ignore', 'ignore', 'pipe'], detached: false });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const root = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited(child);
      clearTimeout(timer);
    }
    rmSync(stateDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const log = logTail(stateDir);
      await stop();
      throw new Error(`Cinder exited during start-up (${child.exitCode ?? child.signalCode}):\n${stderr || log}`);
    }
    try {
      // The version document answers 300 Multiple Choices.
      if ((await fetch(`${root}/`, { signal: AbortSignal.timeout(2000) })).status < 500) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`Cinder did not answer on ${root} within ${(options.timeoutMs ?? 60_000) / 1000} s`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { pid: child.pid!, baseUrl: `${root}/v3/${PROJECT}`, stateDir, stop };
}

function logTail(stateDir: string): string {
  const file = join(stateDir, 'cinder.log');
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(-30).join('\n') : '';
}
