// The settings of a run, their defaults (written once, here), and their way from the CLI to
// Playwright's processes: environment variables (SC_*), so that plain `npx playwright test` can be
// driven the same way. The CLI writes them (toEnv); every process of the run reads them (readSettings).
import { join } from 'node:path';
import { embeddedBaseUrl, profileIds } from '../profile/load.ts';
import { registerProfile, registeredProfiles, resolveProfile } from '../profile/sources.ts';

export interface TargetSpec {
  /** The endpoint as a service catalog gives it, version and project included. */
  baseUrl: string;
  token?: string;
  /** A parent resource (volume, cluster) to use instead of making one. */
  parentId?: string;
}

export interface RunSettings {
  runId: string;
  runDir: string;
  profiles: string[];
  /** The run's profiles that live in a folder of the user's: id -> document (the others are the package's). */
  profileFiles?: Record<string, string>;
  targets: Record<string, TargetSpec>;
  /** The targets are the embedded reference servers. */
  embedded: boolean;
  seed: number;
  /** Random lifecycle sequences per profile, and the lanes they run in at once. */
  examples: number;
  concurrency: number;
  /** Processes that run the tests. */
  workers: number;
  requestTimeoutMs: number;
  /** Overrides the profiles' time budget for a state change, in seconds. */
  stateTimeoutSeconds?: number;
  /** How long a failing lifecycle case may be shrunk, in seconds. */
  shrinkBudgetSeconds: number;
  /** Replays one property case: the fast-check path of a counterexample (with its seed). */
  replayPath?: string;
  expectations?: string;
  /** A results.json of an earlier run: only findings it did not have fail the run. */
  baseline?: string;
  /** This run is one part of the tests (I/N), to be joined with the others by `merge`. */
  shard?: string;
  /** The microversion to ask for, where the profile has them (its base otherwise). */
  microversion?: string;
  /** No request that writes: only what reading can judge runs. */
  readOnly?: boolean;
  /** At most this many requests per second, all processes together. */
  maxRps?: number;
  /** More headers every request carries (a gateway's), name -> value. */
  headers?: Record<string, string>;
  /** A client certificate and its key, and a CA to trust, for https targets: files (PEM). */
  tls?: { cert?: string; key?: string; ca?: string };
  /** The whole run's time budget for its tests, in seconds; the clean-up after them comes on top. */
  budgetSeconds: number;
  /** Only the tests whose title (with the profile and tags) matches (--grep). */
  grep?: string;
  /** Only these tests ("<profile> › <group> › <title>"), judged on `clauses` alone (--clause, --last-failed). */
  tests?: string[];
  clauses?: string[];
  /** How the tests and clauses were chosen, as the user asked ("--clause CV3-META-02"). */
  selectedBy?: string;
  /** The tests stop once this many clauses have failed (findings the run did not know of). */
  maxFailures?: number;
}

/**
 * What restricts a run on purpose, as its first and last lines say it ("read-only, --grep RE");
 * undefined for a full run. Such a run's verdict is on what it could test.
 */
export function restrictionOf(run: Pick<RunSettings, 'readOnly' | 'shard' | 'grep' | 'tests' | 'selectedBy' | 'clauses'>): string | undefined {
  return [run.readOnly ? 'read-only' : '', selectionOf(run)?.by ?? '', run.shard ? `shard ${run.shard}` : ''].filter(Boolean).join(', ') || undefined;
}

/** A run restricted to some of its tests: how it was asked, and the clauses it judges (undefined: every clause it tests). */
export function selectionOf(run: Pick<RunSettings, 'grep' | 'tests' | 'selectedBy' | 'clauses'>): { by: string; clauses?: string[] } | undefined {
  if (run.tests) return { by: run.selectedBy ?? 'a selection', clauses: run.clauses };
  if (run.grep) return { by: `--grep ${run.grep}` };
  return undefined;
}

export { DEFAULTS } from './defaults.ts';
import { DEFAULTS } from './defaults.ts';

/** The token Playwright's own embedded servers accept (plain `npx playwright test`, no target). */
export const EMBEDDED_TOKEN = 'embedded-reference-token';

/** Where the embedded server of a profile listens when Playwright starts it (webServer): the package's profiles first. */
export const embeddedPort = (profile: string, profiles: string[] = []) => {
  const own = profileIds().indexOf(profile);
  return 18700 + (own >= 0 ? own : profileIds().length + profiles.indexOf(profile));
};

/** Makes the folder profiles of a run known to this process (each process of a run, and merge). */
export function registerRunProfiles(run: Pick<RunSettings, 'profileFiles'>): void {
  for (const [id, file] of Object.entries(run.profileFiles ?? {})) registerProfile(id, file);
}

/** The folder profiles among these, id -> document, for the run's settings. */
export function profileFilesOf(profiles: string[]): Record<string, string> | undefined {
  const all = registeredProfiles();
  const mine = Object.fromEntries(profiles.filter((p) => all[p]).map((p) => [p, all[p]!]));
  return Object.keys(mine).length ? mine : undefined;
}

export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
  return `${stamp}-${Math.random().toString(16).slice(2, 6).padEnd(4, '0')}`;
}

export const newSeed = () => Math.floor(Math.random() * 2 ** 31);

const num = (value: string | undefined, fallback: number) => {
  const n = Number(value);
  return value !== undefined && value !== '' && Number.isFinite(n) ? n : fallback;
};
const opt = (value: string | undefined) => (value ? Number(value) : undefined);

/** No target from the CLI nor from SC_BASE_URL: Playwright starts the embedded servers itself. */
export const selfServed = (env: NodeJS.ProcessEnv = process.env) => !env.SC_TARGETS && !env.SC_BASE_URL;

export function readSettings(env: NodeJS.ProcessEnv = process.env): RunSettings {
  const runId = env.SC_RUN_ID || newRunId();
  const profileFiles = env.SC_PROFILE_FILES ? (JSON.parse(env.SC_PROFILE_FILES) as Record<string, string>) : undefined;
  registerRunProfiles({ profileFiles });
  // Plain Playwright users may name a profile folder in SC_PROFILE too.
  const profiles = (env.SC_PROFILES || env.SC_PROFILE || profileIds().join(',')).split(',').filter(Boolean).map((p) => resolveProfile(p));
  let targets: Record<string, TargetSpec> = {};
  let embedded = false;
  if (env.SC_TARGETS) {
    targets = JSON.parse(env.SC_TARGETS);
    embedded = env.SC_EMBEDDED === '1';
  } else if (env.SC_BASE_URL) {
    for (const p of profiles) targets[p] = { baseUrl: env.SC_BASE_URL, token: env.SC_TOKEN, parentId: env.SC_PARENT_ID };
  } else {
    embedded = true;
    for (const p of profiles) targets[p] = { baseUrl: embeddedBaseUrl(p, `http://127.0.0.1:${embeddedPort(p, profiles)}`), token: EMBEDDED_TOKEN };
  }
  return {
    runId,
    runDir: env.SC_RUN_DIR || join(process.cwd(), 'reports', runId),
    profiles,
    profileFiles: profileFilesOf(profiles),
    targets,
    embedded,
    seed: num(env.SC_SEED, newSeed()),
    examples: num(env.SC_EXAMPLES, DEFAULTS.examples),
    concurrency: num(env.SC_CONCURRENCY, DEFAULTS.concurrency),
    workers: num(env.SC_WORKERS, DEFAULTS.workers),
    requestTimeoutMs: num(env.SC_REQUEST_TIMEOUT_MS, DEFAULTS.requestTimeoutSeconds * 1000),
    stateTimeoutSeconds: opt(env.SC_STATE_TIMEOUT),
    shrinkBudgetSeconds: num(env.SC_SHRINK_BUDGET, DEFAULTS.shrinkBudgetSeconds),
    replayPath: env.SC_REPLAY_PATH || undefined,
    expectations: env.SC_EXPECTATIONS || undefined,
    baseline: env.SC_BASELINE || undefined,
    shard: env.SC_SHARD || undefined,
    microversion: env.SC_MICROVERSION || undefined,
    readOnly: env.SC_READ_ONLY === '1',
    maxRps: opt(env.SC_MAX_RPS),
    headers: env.SC_HEADERS ? JSON.parse(env.SC_HEADERS) : undefined,
    tls: env.SC_CLIENT_CERT || env.SC_CLIENT_KEY || env.SC_CA_CERT ? { cert: env.SC_CLIENT_CERT || undefined, key: env.SC_CLIENT_KEY || undefined, ca: env.SC_CA_CERT || undefined } : undefined,
    budgetSeconds: num(env.SC_BUDGET, DEFAULTS.budgetSeconds),
    grep: env.SC_GREP || undefined,
    tests: env.SC_TESTS ? JSON.parse(env.SC_TESTS) : undefined,
    clauses: env.SC_CLAUSES ? JSON.parse(env.SC_CLAUSES) : undefined,
    selectedBy: env.SC_SELECTED_BY || undefined,
    maxFailures: opt(env.SC_MAX_FAILURES),
  };
}

/** What of a run is secret, for every Redactor of it: the tokens, and the values of the headers given. */
export const secretsOf = (run: RunSettings, profile?: string): Array<string | undefined> => [
  ...(profile ? [run.targets[profile]?.token] : Object.values(run.targets).map((t) => t.token)),
  ...Object.values(run.headers ?? {}),
];

export function toEnv(run: RunSettings): Record<string, string> {
  const env: Record<string, string> = {
    SC_RUN_ID: run.runId,
    SC_RUN_DIR: run.runDir,
    SC_PROFILES: run.profiles.join(','),
    ...(run.profileFiles ? { SC_PROFILE_FILES: JSON.stringify(run.profileFiles) } : {}),
    SC_TARGETS: JSON.stringify(run.targets),
    SC_EMBEDDED: run.embedded ? '1' : '0',
    SC_SEED: String(run.seed),
    SC_EXAMPLES: String(run.examples),
    SC_CONCURRENCY: String(run.concurrency),
    SC_WORKERS: String(run.workers),
    SC_REQUEST_TIMEOUT_MS: String(run.requestTimeoutMs),
    SC_SHRINK_BUDGET: String(run.shrinkBudgetSeconds),
    SC_BUDGET: String(run.budgetSeconds),
  };
  if (run.stateTimeoutSeconds !== undefined) env.SC_STATE_TIMEOUT = String(run.stateTimeoutSeconds);
  if (run.replayPath) env.SC_REPLAY_PATH = run.replayPath;
  if (run.expectations) env.SC_EXPECTATIONS = run.expectations;
  if (run.baseline) env.SC_BASELINE = run.baseline;
  if (run.shard) env.SC_SHARD = run.shard;
  if (run.microversion) env.SC_MICROVERSION = run.microversion;
  if (run.readOnly) env.SC_READ_ONLY = '1';
  if (run.maxRps) env.SC_MAX_RPS = String(run.maxRps);
  if (run.headers && Object.keys(run.headers).length) env.SC_HEADERS = JSON.stringify(run.headers);
  if (run.tls?.cert) env.SC_CLIENT_CERT = run.tls.cert;
  if (run.tls?.key) env.SC_CLIENT_KEY = run.tls.key;
  if (run.tls?.ca) env.SC_CA_CERT = run.tls.ca;
  if (run.grep) env.SC_GREP = run.grep;
  if (run.tests) env.SC_TESTS = JSON.stringify(run.tests);
  if (run.clauses) env.SC_CLAUSES = JSON.stringify(run.clauses);
  if (run.selectedBy) env.SC_SELECTED_BY = run.selectedBy;
  if (run.maxFailures) env.SC_MAX_FAILURES = String(run.maxFailures);
  return env;
}
