// merge: joins the report directories of the shards of one run (`run --shard I/N`, one directory
// each) into one report, results.json and junit.xml, with the verdict an unsharded run would have:
// the records of every shard's tests, judged together. Only every shard of one run, each once: a
// shard of another run, a missing one or the same one twice would give a verdict of tests that
// never ran together (or never ran), so they stop the merge with one line.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AfterRunCleanup } from '../resources/after-run.ts';
import type { SuiteError } from '../report/results.ts';
import { writeReport } from '../report/write.ts';
import { readState, type Ended } from '../run/outcome.ts';
import { registerRunProfiles, type RunSettings } from '../run/settings.ts';
import { UsageError } from './usage.ts';

export async function mergeCommand(values: Record<string, any>, dirs: string[]): Promise<number> {
  if (!dirs.length) throw new UsageError('merge needs the report directories of the shards (see merge --help)');
  const shards = dirs.map((d) => {
    const dir = resolve(d);
    const settings = readState<RunSettings>(dir, 'settings');
    if (!settings || !existsSync(join(dir, 'records'))) throw new UsageError(`${d} is not the report directory of a run (no state/settings.json or records/)`);
    registerRunProfiles(settings);
    return { dir, settings };
  });
  checkShards(dirs, shards.map((s) => s.settings));
  const first = shards[0]!.settings;
  const profiles = [...new Set(shards.flatMap((s) => s.settings.profiles))];
  const runDir = resolve(values['report-dir'] ?? join('reports', `${first.runId}-merged`));
  const merged: RunSettings = {
    ...first,
    runId: shards.map((s) => s.settings.runId).join('+'),
    runDir,
    profiles,
    profileFiles: Object.assign({}, ...shards.map((s) => s.settings.profileFiles ?? {})),
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
        ? { made: sumCounts(had.made, c.made), removed: [...had.removed, ...c.removed], notRemoved: [...had.notRemoved, ...c.notRemoved], unconfirmed: had.unconfirmed || c.unconfirmed ? [...(had.unconfirmed ?? []), ...(c.unconfirmed ?? [])] : undefined, readOnly: had.readOnly, error: had.error ?? c.error }
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

/**
 * What makes shards parts of one run: the same plan (profiles, targets, what the run was asked to
 * exercise) and the same number of parts. Each part once, none missing.
 */
function checkShards(dirs: string[], settings: RunSettings[]): void {
  const plan = (s: RunSettings) => ({
    profiles: [...s.profiles].sort().join(','),
    // The embedded servers of each shard listen on ports of their own.
    targets: s.embedded ? 'the embedded reference servers' : Object.entries(s.targets).map(([p, t]) => `${p}=${t.baseUrl}`).sort().join(' '),
    microversion: s.microversion ?? '',
    'read-only': String(Boolean(s.readOnly)),
    examples: String(s.examples),
  });
  const parts = settings.map((s, i) => {
    const m = s.shard ? /^(\d+)\/(\d+)$/.exec(s.shard) : null;
    if (!m) throw new UsageError(`${dirs[i]} was not run with --shard: merge joins the shards of one run`);
    return { index: Number(m[1]), total: Number(m[2]) };
  });
  const first = plan(settings[0]!);
  for (let i = 1; i < settings.length; i++) {
    const other = plan(settings[i]!);
    const differs = (Object.keys(first) as Array<keyof typeof first>).find((k) => first[k] !== other[k]);
    if (differs) throw new UsageError(`${dirs[0]} and ${dirs[i]} are shards of different runs: their ${differs} differ (${first[differs] || 'none'} / ${other[differs] || 'none'})`);
    if (parts[i]!.total !== parts[0]!.total) throw new UsageError(`${dirs[0]} and ${dirs[i]} are shards of different runs: ${settings[0]!.shard} and ${settings[i]!.shard}`);
  }
  const total = parts[0]!.total;
  for (let i = 0; i < parts.length; i++) {
    const twice = parts.findIndex((p, j) => j > i && p.index === parts[i]!.index);
    if (twice >= 0) throw new UsageError(`shard ${parts[i]!.index}/${total} is given twice (${dirs[i]} and ${dirs[twice]})`);
  }
  const missing = Array.from({ length: total }, (_, i) => i + 1).filter((n) => !parts.some((p) => p.index === n));
  if (missing.length) throw new UsageError(`shard${missing.length > 1 ? 's' : ''} ${missing.map((n) => `${n}/${total}`).join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing: merge needs every shard of the run`);
}

function sumCounts(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + v;
  return out;
}
