// Runs the conformance suite through the CLI, as a user would, against a reference server that this
// process starts (with faults, if asked) and stops. Returns what the run wrote and what the server
// holds afterwards.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { embeddedBaseUrl } from '../../src/profile/load.ts';
import { serverFor, type ReferenceServer } from '../../src/servers/index.ts';

export const ROOT = resolve(import.meta.dirname, '../..');
export const CLI = join(ROOT, 'bin/snapshot-conformance.mjs');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end, with CI set (no colours, no prompts); resolves with its exit code and output. */
export function runToEnd(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return new Promise((resolvePromise) => {
    const child = spawn(command, args, { cwd: options.cwd ?? ROOT, env: { ...process.env, CI: '1', ...options.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code, signal) => resolvePromise({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
  });
}

/** Runs the CLI with arguments; resolves when it exits. */
export const cli = (args: string[], options: { env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> => runToEnd(process.execPath, [CLI, ...args], options);

export interface SuiteRun extends CliResult {
  dir: string;
  results: any;
  inventory: ReturnType<ReferenceServer['inventory']>;
  stats: ReturnType<ReferenceServer['stats']>;
}

export const TOKEN = 'canary-token-5f0c2b7e9a';

export async function runSuite(profile: string, options: { faults?: string[]; args?: string[] } = {}): Promise<SuiteRun> {
  const server = await (await serverFor(profile)).start({ token: TOKEN, faults: options.faults });
  const dir = mkdtempSync(join(tmpdir(), `sc-${profile}-`));
  try {
    const result = await cli([
      'run', '--profile', profile, '--base-url', embeddedBaseUrl(profile, server.url), '--token', TOKEN,
      '--report-dir', dir, '--seed', '7', '--examples', '8', '--state-timeout', '3', ...(options.args ?? []),
    ]);
    const file = join(dir, 'results.json');
    return { ...result, dir, results: existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined, inventory: server.inventory(), stats: server.stats() };
  } finally {
    await server.close();
  }
}

/** The clauses a run failed, sorted. */
export const failing = (results: any): string[] =>
  results.clauses.filter((c: any) => c.status === 'fail').map((c: any) => c.id).sort();
