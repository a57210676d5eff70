// What a process of the run holds for one profile: the profile (loaded and compiled once), its
// validators, the transport to its target with the ledger listening, an unjudged profile API for
// set-up and clean-up, what the run learns of the target's transitions, and fresh names.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redactor } from '../http/redact.ts';
import { Transport, type TlsFiles } from '../http/transport.ts';
import { ProfileApi } from '../profile/api.ts';
import { loadProfile, type Profile } from '../profile/load.ts';
import { Ledger } from '../resources/ledger.ts';
import { inCase, runPrefix } from '../resources/sweep.ts';
import { Transitions } from '../resources/waiter.ts';
import { validatorsFor, type Validators } from '../validate/validators.ts';
import { secretsOf, type RunSettings } from './settings.ts';

export interface World {
  run: RunSettings;
  profile: Profile;
  validators: Validators;
  redactor: Redactor;
  ledger: Ledger;
  /** Unjudged: set-up and clean-up. A test judges through api.with(judge). */
  api: ProfileApi;
  /** Fresh names for what the run creates: the run's prefix, the process, a counter. */
  name: () => string;
  namePrefix: string;
}

export interface WorldOptions {
  /** How many processes send to the target at once, each taking its share of --max-rps. */
  processes?: number;
  /** Tells names apart between the processes of a run. */
  tag?: string;
  /** What the process learned of the target's transitions, shared with its other worlds. */
  transitions?: Transitions;
}

/** The files of a run directory that its processes share. */
export const runFiles = (runDir: string) => ({
  ledger: join(runDir, 'ledger.jsonl'),
  state: join(runDir, 'state'),
  parents: (profile: string) => join(runDir, 'state', `${profile}.parents.json`),
  timeouts: (profile: string) => join(runDir, 'state', 'ran-out', profile),
});

/** An unjudged profile API to the target of a profile, with no ledger listening (the sweep brings its own). */
export function openApi(run: RunSettings, profileId: string, processes = 1, transitions?: Transitions): ProfileApi {
  const profile = loadProfile(profileId);
  const spec = run.targets[profileId];
  if (!spec) throw new Error(`no target for profile ${profileId}`);
  const transport = Transport.create({
    baseUrl: spec.baseUrl,
    requestTimeoutMs: run.requestTimeoutMs,
    readOnly: run.readOnly,
    minIntervalMs: run.maxRps ? (1000 * processes) / run.maxRps : undefined,
    redactor: new Redactor(secretsOf(run, profileId)),
    tls: tlsFiles(run.tls),
  });
  return new ProfileApi(
    profile,
    transport,
    { baseUrl: spec.baseUrl.replace(/\/+$/, ''), token: spec.token, microversion: run.microversion, headers: run.headers, stateTimeoutSeconds: run.stateTimeoutSeconds },
    transitions ?? newTransitions(run, profileId),
  );
}

/** The TLS files of a run, read once per process. */
const tlsRead = new Map<string, TlsFiles>();
function tlsFiles(tls: RunSettings['tls']): TlsFiles | undefined {
  if (!tls) return undefined;
  const key = JSON.stringify(tls);
  let files = tlsRead.get(key);
  if (!files) {
    const read = (file?: string) => (file ? readFileSync(file, 'utf8') : undefined);
    tlsRead.set(key, (files = { cert: read(tls.cert), key: read(tls.key), ca: read(tls.ca) }));
  }
  return files;
}

/**
 * What a process learns of a profile's target, shared by the run's processes where it must be.
 * `cutMs`: how long a wait for a transition that timed out before still lasts.
 */
export const newTransitions = (run: RunSettings, profileId: string, cutMs?: number) => new Transitions(sharedTimeouts(runFiles(run.runDir).timeouts(profileId)), cutMs);

export function openWorld(run: RunSettings, profileId: string, options: WorldOptions = {}): World {
  const api = openApi(run, profileId, options.processes, options.transitions);
  const profile = api.profile;
  const ledger = new Ledger(profile, run.runId, runFiles(run.runDir).ledger);
  api.transport.listen(ledger.listener());
  const redactor = api.transport.redactor;
  const namePrefix = runPrefix(run.runId, profile.model.names);
  let counter = 0;
  const tag = options.tag ?? '';
  return {
    run,
    profile,
    validators: validatorsFor(profile),
    redactor,
    ledger,
    api,
    // The whole name in the case the profile's rule asks for (the tag and counter too).
    name: () => inCase(`${namePrefix}${tag}${++counter}`, profile.model.names),
    namePrefix,
  };
}

/**
 * What ran out in the run (a transition that timed out, a target busy or full through every
 * attempt), shared by the run's processes: one file per key in the run directory, written once (the
 * first to write it wins, nothing is lost between processes), removed when it is over.
 */
function sharedTimeouts(dir: string) {
  const fileOf = (key: string) => join(dir, encodeURIComponent(key));
  return {
    read: (key: string) => {
      try {
        return Number(readFileSync(fileOf(key), 'utf8'));
      } catch {
        return undefined;
      }
    },
    write: (key: string, budgetMs: number) => {
      mkdirSync(dir, { recursive: true });
      try {
        writeFileSync(fileOf(key), String(budgetMs), { flag: 'wx' });
      } catch {
        // Another process said it first.
      }
    },
    clear: (key: string) => rmSync(fileOf(key), { force: true }),
  };
}
