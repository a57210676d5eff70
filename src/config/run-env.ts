// The settings of a run travel from the CLI to Playwright's workers through environment variables
// (SC_*), so that plain `npx playwright test` can be driven the same way. This module reads them;
// the CLI writes them (toEnv).
import { join } from 'node:path';
import { loadProfile, PACKAGE_ROOT, profileIds } from '../profile/load.ts';
import type { Target } from '../http/client.ts';

export interface TargetSpec {
  baseUrl: string;
  token?: string;
  parentId?: string;
}

export interface RunEnv {
  runId: string;
  runDir: string;
  profiles: string[];
  targets: Record<string, TargetSpec>;
  /** The targets are the embedded reference servers (started by the CLI, or by Playwright's webServer). */
  embedded: boolean;
  seed: number;
  examples: number;
  concurrency: number;
  workers: number;
  requestTimeoutMs: number;
  stateTimeoutSeconds?: number;
  /** Replays one property case: the fast-check path of a counterexample (with its seed). */
  replayPath?: string;
  expectations?: string;
  /** The microversion to ask for, where the profile has them (its base otherwise). */
  microversion?: string;
  /** No request that writes: only what reading can judge runs. */
  readOnly?: boolean;
  /** At most this many requests per second, all workers together. */
  maxRps?: number;
  /** The whole run's time budget for its tests, in seconds; the clean-up after them comes on top. */
  budgetSeconds: number;
}

/** The budget of a run no one gave one: long enough for a slow cloud, short enough for a CI job. */
export const DEFAULT_BUDGET_SECONDS = 3600;

export const EMBEDDED_TOKEN = 'embedded-reference-token';

/** Where the embedded server of a profile listens when Playwright starts it (webServer). */
export const embeddedPort = (profile: string) => 18700 + profileIds().indexOf(profile);

export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
  return `${stamp}-${Math.random().toString(16).slice(2, 6)}`;
}

const int = (value: string | undefined, fallback: number) => {
  const n = Number(value);
  return value !== undefined && value !== '' && Number.isFinite(n) ? n : fallback;
};

export function readRunEnv(env: NodeJS.ProcessEnv = process.env): RunEnv {
  const runId = env.SC_RUN_ID || newRunId();
  const profiles = (env.SC_PROFILES || env.SC_PROFILE || profileIds().join(',')).split(',').filter(Boolean);
  let targets: Record<string, TargetSpec> = {};
  let embedded = false;
  if (env.SC_TARGETS) {
    targets = JSON.parse(env.SC_TARGETS);
    embedded = env.SC_EMBEDDED === '1';
  }
  else if (env.SC_BASE_URL) {
    for (const p of profiles) targets[p] = { baseUrl: env.SC_BASE_URL, token: env.SC_TOKEN, parentId: env.SC_PARENT_ID };
  } else {
    embedded = true;
    for (const p of profiles) targets[p] = { baseUrl: embeddedBaseUrl(p, `http://127.0.0.1:${embeddedPort(p)}`), token: EMBEDDED_TOKEN };
  }
  return {
    runId,
    runDir: env.SC_RUN_DIR || join(PACKAGE_ROOT, 'reports', runId),
    profiles,
    targets,
    embedded,
    seed: int(env.SC_SEED, Date.now() % 2 ** 31),
    examples: int(env.SC_EXAMPLES, 20),
    concurrency: int(env.SC_CONCURRENCY, 2),
    workers: int(env.SC_WORKERS, 2),
    requestTimeoutMs: int(env.SC_REQUEST_TIMEOUT_MS, 30_000),
    stateTimeoutSeconds: env.SC_STATE_TIMEOUT ? Number(env.SC_STATE_TIMEOUT) : undefined,
    replayPath: env.SC_REPLAY_PATH || undefined,
    expectations: env.SC_EXPECTATIONS || undefined,
    microversion: env.SC_MICROVERSION || undefined,
    readOnly: env.SC_READ_ONLY === '1',
    maxRps: env.SC_MAX_RPS ? Number(env.SC_MAX_RPS) : undefined,
    budgetSeconds: int(env.SC_BUDGET, DEFAULT_BUDGET_SECONDS),
  };
}

/**
 * The target of one profile as a client sees it. `processes`: how many processes send to it at
 * once, each taking its share of --max-rps.
 */
export function targetOf(run: RunEnv, profile: string, processes = 1): Target {
  const spec = run.targets[profile];
  if (!spec) throw new Error(`no target for profile ${profile}`);
  return {
    profile,
    baseUrl: spec.baseUrl.replace(/\/+$/, ''),
    token: spec.token,
    parentId: spec.parentId,
    requestTimeoutMs: run.requestTimeoutMs,
    stateTimeoutSeconds: run.stateTimeoutSeconds,
    microversion: run.microversion,
    readOnly: run.readOnly,
    minIntervalMs: run.maxRps ? (1000 * processes) / run.maxRps : undefined,
  };
}

/** No target from the CLI nor from SC_BASE_URL: Playwright starts the embedded servers itself. */
export const selfServed = (env: NodeJS.ProcessEnv = process.env) => !env.SC_TARGETS && !env.SC_BASE_URL;

/**
 * The base URL of a profile's embedded server at an origin: the path of the document's first
 * server URL, its variables at their defaults (/v3/<project> for Cinder).
 */
export function embeddedBaseUrl(profile: string, origin: string): string {
  const server = loadProfile(profile).doc.servers?.[0];
  if (!server) throw new Error(`profile ${profile} documents no server URL`);
  const url = server.url.replace(/\{([^}]+)\}/g, (_, name: string) => String(server.variables?.[name]?.default ?? name));
  return origin + new URL(url).pathname.replace(/\/$/, '');
}

export function toEnv(run: RunEnv): Record<string, string> {
  const env: Record<string, string> = {
    SC_RUN_ID: run.runId,
    SC_RUN_DIR: run.runDir,
    SC_PROFILES: run.profiles.join(','),
    SC_TARGETS: JSON.stringify(run.targets),
    SC_SEED: String(run.seed),
    SC_EXAMPLES: String(run.examples),
    SC_CONCURRENCY: String(run.concurrency),
    SC_WORKERS: String(run.workers),
    SC_REQUEST_TIMEOUT_MS: String(run.requestTimeoutMs),
    SC_EMBEDDED: run.embedded ? '1' : '0',
    SC_BUDGET: String(run.budgetSeconds),
  };
  if (run.stateTimeoutSeconds !== undefined) env.SC_STATE_TIMEOUT = String(run.stateTimeoutSeconds);
  if (run.replayPath) env.SC_REPLAY_PATH = run.replayPath;
  if (run.expectations) env.SC_EXPECTATIONS = run.expectations;
  if (run.microversion) env.SC_MICROVERSION = run.microversion;
  if (run.readOnly) env.SC_READ_ONLY = '1';
  if (run.maxRps) env.SC_MAX_RPS = String(run.maxRps);
  return env;
}
