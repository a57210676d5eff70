// Tests that need the target to themselves (pages that must not shift, a quota filled up) and the
// verdict run last, after every other test of their profile has ended, in the same worker
// processes. Playwright gives them out only after every other test; what they wait for is the end
// of those: every test marks itself active in the run directory while it runs, and the reporter
// writes, before the tests start, how many tests that share the target each profile has, whose
// records must all be there.
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sleep } from '../http/transport.ts';
import { readState } from './outcome.ts';
import { recordsOf } from './records.ts';

/** The tag of the tests that need the target alone (the reporter counts the others). */
export const ALONE_TAG = '@alone';

const dirOf = (runDir: string, profile: string) => join(runDir, 'state', 'active', profile);
let marks = 0;

/** Marks a test of the profile active until the returned function is called. */
export function markActive(runDir: string, profile: string): () => void {
  const dir = dirOf(runDir, profile);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${process.pid}-${++marks}`);
  writeFileSync(file, '');
  return () => rmSync(file, { force: true });
}

/** A test that died before writing its record must not hold the others up for ever. */
const STALL_MS = 60_000;

/**
 * Waits until no test of the profile is active (a mark of a process that died does not count) and
 * every test that shares the target has its record.
 */
export async function waitAlone(runDir: string, profile: string): Promise<void> {
  const dir = dirOf(runDir, profile);
  let seen = -1;
  let since = performance.now();
  for (;;) {
    const active = existsSync(dir) ? readdirSync(dir).filter((f) => alive(Number(f.split('-')[0]))) : [];
    const expected = readState<Record<string, number>>(runDir, 'expected')?.[profile];
    const done = recordsOf(runDir, profile, 'shared');
    if (done !== seen) [seen, since] = [done, performance.now()];
    if (!active.length && (expected === undefined || done >= expected || performance.now() - since > STALL_MS)) return;
    await sleep(25);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
