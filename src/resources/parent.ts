// The run's parent resources (volumes, a cluster): made once for the run before its tests (or
// found, or the one given with --volume-id / --cluster-id, checked), shared by every process of the
// run through a file in the run directory, and removed with everything else after the tests.
// Where a parent may hold only so many resources (perParent), each process gets one of its own.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { sleep } from '../http/transport.ts';
import { dirname } from 'node:path';
import { SetupError, type ProfileApi } from '../profile/api.ts';
import type { LookupSpec } from '../profile/model.ts';
import { RUN_TAG, runOf } from './sweep.ts';

/** A parent the run's tests use. Whether the run made it (and so removes it) is the ledger's to say. */
export interface ParentState {
  id: string;
}

/** Makes a parent named so, tagged with the run's id where its create takes metadata; does not wait. */
export function makeParent(api: ProfileApi, name: string, options: { lookups?: LookupSpec[]; body?: unknown } = {}) {
  const runId = runOf(name);
  return api.parent.make(name, { ...options, runTag: runId ? { [RUN_TAG]: runId } : undefined });
}

/** Reads a given parent: it must exist. */
async function checkParent(api: ProfileApi, id: string): Promise<void> {
  const exchange = await api.parent.show(id);
  if (exchange.response?.status !== 200) throw new SetupError(`the parent ${id} cannot be read: ${api.parent.model.show.id} answered ${exchange.response?.status ?? exchange.error}`);
}

/**
 * The parents of a run: the one given (checked), or `count` made (or found) and ready. The file
 * (what the tests are handed) is written once they are ready; one that never gets ready is in the
 * ledger, and removed with the rest after the tests.
 */
export async function setUpParents(api: ProfileApi, file: string, options: { given?: string; count: number; name: () => string }): Promise<ParentState[]> {
  let parents: ParentState[];
  if (options.given) {
    await checkParent(api, options.given);
    parents = [{ id: options.given }];
  } else {
    parents = [];
    for (let i = 0; i < options.count; i++) {
      const made = await makeParent(api, options.name());
      parents.push({ id: made.id });
    }
  }
  await Promise.all(
    parents.map(async (parent) => {
      const wait = await api.parent.waitReady(parent.id);
      if (wait.observation.outcome !== 'reached') throw new SetupError(`the parent ${parent.id} did not become ready (saw ${wait.observation.seen.join(' -> ')})`);
    }),
  );
  writeParents(file, { parents });
  return parents;
}

/** What the set-up says of a profile's parents: the ones ready, or why there are none. */
export type ParentsFile = { parents: ParentState[]; error?: undefined } | { parents?: undefined; error: string };

export function writeParents(file: string, content: ParentsFile): void {
  mkdirSync(dirname(file), { recursive: true });
  // Whole or not at all: a reader in another process never sees half of it.
  writeFileSync(`${file}.tmp`, JSON.stringify(content));
  renameSync(`${file}.tmp`, file);
}

/**
 * The parents of the run, once the set-up has them (or has said why there are none); waits for
 * them at most `budgetMs`.
 */
export async function parentsOf(file: string, budgetMs: number): Promise<ParentsFile> {
  const until = performance.now() + budgetMs;
  while (!existsSync(file)) {
    if (performance.now() > until) return { error: `the run's parents were not ready within ${Math.round(budgetMs / 1000)} s` };
    await sleep(20);
  }
  return JSON.parse(readFileSync(file, 'utf8')) as ParentsFile;
}
