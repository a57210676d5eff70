// merge: joins the report directories of the shards of one run (`run --shard I/N`, one directory
// each) into one report, results.json and junit.xml, with the verdict an unsharded run would have:
// the records of every shard's tests, judged together.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AfterRunCleanup } from '../resources/after-run.ts';
import type { SuiteError } from '../report/results.ts';
import { writeReport } from '../report/write.ts';
import { readState, type Ended } from '../run/outcome.ts';
import type { RunSettings } from '../run/settings.ts';
import { UsageError } from './usage.ts';

export async function mergeCommand(values: Record<string, any>, dirs: string[]): Promise<number> {
  if (!dirs.length) throw new UsageError('merge needs the report directories of the shards (see merge --help)');
  const shards = dirs.map((d) => {
    const dir = resolve(d);
    const settings = readState<RunSettings>(dir, 'settings');
    if (!settings || !existsSync(join(dir, 'records'))) throw new UsageError(`${d} is not the report directory of a run (no state/settings.json or records/)`);
    return { dir, settings };
  });
  const first = shards[0]!.settings;
  const profiles = [...new Set(shards.flatMap((s) => s.settings.profiles))];
  const runDir = resolve(values['report-dir'] ?? join('reports', `${first.runId}-merged`));
  const merged: RunSettings = {
    ...first,
    runId: shards.map((s) => s.settings.runId).join('+'),
    runDir,
    profiles,
    targets: Object.assign({}, ...shards.map((s) => s.settings.targets)),
    shard: undefined,
  };
  const errors = new Map<string, SuiteError[]>();
  const cleanup: Record<string, AfterRunCleanup> = {};
  let ended: Ended | undefined;
  let start = Number.POSITIVE_INFINITY;
  let end = 0;
  shards.forEach(({ dir }, i) => {
    for (const profile of readdirSync(join(dir, 'records'))) {
      mkdirSync(join(runDir, 'records', profile), { recursive: true });
      for (const f of readdirSync(join(dir, 'records', profile))) copyFileSync(join(dir, 'records', profile, f), join(runDir, 'records', profile, `s${i + 1}-${f}`));
    }
    ended ??= readState<Ended>(dir, 'ended');
    for (const [profile, c] of Object.entries(readState<Record<string, AfterRunCleanup>>(dir, 'cleanup') ?? {})) {
      const had = cleanup[profile];
      cleanup[profile] = had
        ? { made: sumCounts(had.made, c.made), removed: [...had.removed, ...c.removed], notRemoved: [...had.notRemoved, ...c.notRemoved], readOnly: had.readOnly, error: had.error ?? c.error }
        : c;
    }
    const results = join(dir, 'results.json');
    if (!existsSync(results)) return;
    const doc = JSON.parse(readFileSync(results, 'utf8'));
    for (const r of Array.isArray(doc.profiles) ? doc.profiles : [doc]) {
      errors.set(r.profile, [...(errors.get(r.profile) ?? []), ...(r.errors ?? [])]);
      start = Math.min(start, Date.parse(r.startedAt));
      end = Math.max(end, Date.parse(r.startedAt) + r.durationMs);
    }
  });
  const written = writeReport(merged, errors, { startedAt: new Date(Number.isFinite(start) ? start : Date.now()), durationMs: Math.max(0, end - start), ended, cleanup });
  process.stdout.write(`merged ${shards.length} shard(s)\n${written.summary}\n`);
  return written.exitCode;
}

function sumCounts(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + v;
  return out;
}
