// Tests that need the target to themselves (pages that must not shift, a quota filled up) run last,
// after every other test of their profile has ended, in the same worker processes: each test marks
// itself active in the run directory while it runs, and such a test waits until no other is.
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sleep } from '../http/transport.ts';

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

/** Waits until no test of the profile is active (a mark of a process that died does not count). */
export async function waitAlone(runDir: string, profile: string): Promise<void> {
  const dir = dirOf(runDir, profile);
  for (;;) {
    const active = existsSync(dir) ? readdirSync(dir).filter((f) => alive(Number(f.split('-')[0]))) : [];
    if (!active.length) return;
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
