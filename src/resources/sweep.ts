// Clean-up outside the test runner: after every `run` (also one interrupted or out of time), and by
// `sweep` for runs that crashed. Starts from a run's ledger, finds what a create sent without an
// answer made (by its name), and lists the target for resources named with the suite's prefix.
// Never touches a resource whose name lacks that prefix.
import type { ProfileApi } from '../profile/api.ts';
import { Ledger } from './ledger.ts';
import { cleanup, type CleanupFailure, type CleanupReport } from './cleanup.ts';

/**
 * What every name the suite gives starts with: sc-<run id>- (run id: UTC stamp and 4 hex digits),
 * in the case the profile's name rule asks for.
 */
const PREFIX = /^sc-(\d{8}T\d{6}-[0-9a-f]{4})-/i;
export const runPrefix = (runId: string, rule: NameCase = {}) => inCase(`sc-${runId}-`, rule);

type NameCase = { case?: 'lower' | 'upper' };

/** A name in the case a profile's rule asks for. */
export const inCase = (name: string, rule: NameCase = {}) => (rule.case === 'lower' ? name.toLowerCase() : rule.case === 'upper' ? name.toUpperCase() : name);

/** The run a name was given by, as its id is written (20261123T120000-1a2b), whatever case the name is in. */
export function runOf(name: unknown): string | undefined {
  const id = typeof name === 'string' ? PREFIX.exec(name)?.[1] : undefined;
  return id && `${id.slice(0, 8)}T${id.slice(9).toLowerCase()}`;
}
/** The metadata key that carries the run's id, where a parent's create takes metadata. */
export const RUN_TAG = 'sc-run';

export interface SweepOptions {
  /** Runs whose resources are removed; undefined: every run of the suite (any sc-<run id>- name). */
  runs?: string[];
  /** The ledger file(s) to start from, when there are. */
  ledgerFile?: string;
  /** Only say what would be removed. */
  dryRun?: boolean;
}

export interface SweepReport extends CleanupReport {
  /**
   * Removals that went wrong where a fresh read could not tell whether the resource is still there
   * (its list and its show both failed): neither removed nor left, as far as anyone can say.
   * `failed` holds only what a fresh read saw still there.
   */
  unconfirmed: CleanupFailure[];
  /** Resources found (ledger and prefix), by kind and id, with their names. */
  found: Array<{ kind: string; id: string; name?: string }>;
  /** How many resources of each kind the runs made, as far as the ledger and the target tell. */
  made: Record<string, number>;
  /** The target's list could not be read: only what the ledger holds was found. */
  listError?: string;
}

/**
 * Removes what the given runs left on a target. `api` is an unjudged profile API whose transport
 * does not already feed a ledger: the sweep's own ledger listens to its deletes.
 */
export async function sweep(api: ProfileApi, options: SweepOptions): Promise<SweepReport> {
  const profile = api.profile;
  const ledger = options.ledgerFile ? Ledger.fromFile(profile, options.runs, options.ledgerFile) : new Ledger(profile, 'sweep');
  const swept = options.dryRun ? api : api.with(ledger.listener());
  const wanted = (name: unknown) => {
    const run = runOf(name);
    return run !== undefined && (!options.runs || options.runs.includes(run));
  };
  // Sent but never answered: the name tells whether it was made after all. A target that cannot
  // list still gets what the ledger holds removed.
  let named: Array<{ id: string; name?: string }> = [];
  let listError: string | undefined;
  try {
    named = await listResources(api);
  } catch (error) {
    listError = (error as Error).message;
  }
  for (const entry of ledger.entries.filter((e) => e.state === 'intended' && e.name)) {
    const hit = named.find((n) => n.name === entry.name);
    if (hit) ledger.adopt(entry.kind, hit.id, hit.name);
  }
  for (const item of named.filter((n) => wanted(n.name))) ledger.adopt(api.model.resource.kind, item.id, item.name);
  const found = ledger.entries.filter((e) => e.id && e.state !== 'gone').map((e) => ({ kind: e.kind, id: e.id!, name: e.name }));
  const made: Record<string, number> = {};
  for (const e of ledger.entries) if (e.id) made[e.kind] = (made[e.kind] ?? 0) + 1;
  if (options.dryRun) return { found, made, deleted: [], failed: [], unconfirmed: [], listError };
  const removal = await cleanup(swept, ledger);
  // A removal that seemed to fail (a delete refused, a wait that never saw 404: a target whose
  // unknown ids answer 500 never says "gone") is a leftover only if a fresh read still sees it.
  const seen = await freshLook(api, removal.failed);
  const failed: CleanupFailure[] = [];
  const unconfirmed: CleanupFailure[] = [];
  const deleted = [...removal.deleted];
  for (const f of removal.failed) {
    const there = seen.get(f.id);
    if (there === true) failed.push(f);
    else if (there === undefined) unconfirmed.push({ ...f, reason: `${f.reason}; a fresh read could not tell whether it is still there` });
    else {
      const entry = ledger.entries.find((e) => e.id === f.id);
      if (entry) ledger.gone(entry);
      deleted.push(f.id);
    }
  }
  return { found, made, listError, deleted, failed, unconfirmed };
}

/**
 * Whether each resource is still on the target, read afresh: the profile's list for its own kind
 * (a target whose show of an unknown id answers 500 still lists truly), else the show (404: gone;
 * a 2xx: there). Undefined where neither could tell.
 */
async function freshLook(api: ProfileApi, failures: CleanupFailure[]): Promise<Map<string, boolean | undefined>> {
  const out = new Map<string, boolean | undefined>();
  if (!failures.length) return out;
  let listed: Set<string> | undefined;
  try {
    listed = new Set((await listResources(api)).map((r) => r.id));
  } catch {
    listed = undefined; // the show tells, where it can
  }
  for (const f of failures) {
    const own = f.kind === api.model.resource.kind;
    if (own && listed) {
      out.set(f.id, listed.has(f.id));
      continue;
    }
    const shown = own ? await api.show(f.id) : await api.parent.show(f.id);
    const status = shown.response?.status ?? 0;
    out.set(f.id, status === 404 ? false : status >= 200 && status < 300 ? true : undefined);
  }
  return out;
}

/** Every resource of the profile's kind on the target, page by page where the list pages. */
async function listResources(api: ProfileApi): Promise<Array<{ id: string; name?: string }>> {
  const nameField = api.model.resource.fields.name;
  return (await api.lists.main.all()).map((i) => ({ id: api.idOf(i), name: typeof i[nameField] === 'string' ? (i[nameField] as string) : undefined }));
}
