// Two runs side by side: what is newly failing, what was fixed, what still fails (at the grain of
// findings: profile, clause, check, title), what was tested before and is not now (lost coverage:
// never "fixed"), and how latency by operation and time-to-ready and time-to-gone changed (flagged
// only past a noise floor). Pure: the CLI reads the two results.json and writes what this returns.
import { signature } from './known.ts';
import type { Stats } from './results.ts';

interface Finding {
  clause: string;
  check: string;
  title?: string;
  expected?: string;
  actual?: string;
  level?: string;
}

/**
 * A change of a median is worth a flag only past both: an absolute floor (milliseconds of jitter
 * that any network and any busy machine show) and a ratio (a slower target is slower by a factor,
 * not by a few milliseconds on a fast one).
 */
export const NOISE_FLOOR = { ms: 25, ratio: 1.5 } as const;

export function notable(o: Stats | undefined, n: Stats | undefined): boolean {
  if (!o || !n) return false;
  const [low, high] = o.median <= n.median ? [o.median, n.median] : [n.median, o.median];
  return high - low >= NOISE_FLOOR.ms && high >= NOISE_FLOOR.ratio * low;
}

export interface TimeChange {
  old?: Stats;
  new?: Stats;
  /** The median moved past the noise floor (NOISE_FLOOR). */
  notable: boolean;
}

export interface ProfileComparison {
  profile: string;
  verdict: { old?: string; new?: string };
  newlyFailing: Finding[];
  /** Failing before, and tested now without failing. */
  fixed: Finding[];
  stillFailing: Finding[];
  /** Clauses tested before (pass, fail, expected fail) and not tested now: their findings are not fixed. */
  lostCoverage: Array<{ id: string; title: string; old: string; new?: string }>;
  /** Clauses whose status changed. */
  clauses: Array<{ id: string; title: string; old?: string; new?: string }>;
  latency: Array<{ operation: string } & TimeChange>;
  stateTimes: Array<{ phase: 'ready' | 'gone' } & TimeChange>;
}

export interface Comparison {
  old: { file: string; runId?: string; startedAt?: string };
  new: { file: string; runId?: string; startedAt?: string };
  profiles: ProfileComparison[];
}

/** The profiles of a results.json (one, or several under `profiles`). */
function profilesOf(doc: any): any[] {
  return Array.isArray(doc?.profiles) ? doc.profiles : [doc];
}

function failing(p: any): Map<string, Finding> {
  const out = new Map<string, Finding>();
  for (const c of p?.clauses ?? []) {
    if (c.status !== 'fail' && c.status !== 'expected-fail') continue;
    for (const f of c.findings ?? []) out.set(signature(p.profile, f), { clause: f.clause, check: f.check, title: f.title, expected: f.expected, actual: f.actual, level: c.level });
  }
  return out;
}

export function compareRuns(oldDoc: any, newDoc: any, files: { old: string; new: string }): Comparison {
  const olds = new Map(profilesOf(oldDoc).map((p) => [p.profile, p]));
  const news = new Map(profilesOf(newDoc).map((p) => [p.profile, p]));
  const ids = [...new Set([...news.keys(), ...olds.keys()])];
  const profiles = ids.map((id): ProfileComparison => {
    const o = olds.get(id);
    const n = news.get(id);
    const of = failing(o);
    const nf = failing(n);
    const oClauses = new Map<string, any>((o?.clauses ?? []).map((c: any) => [c.id, c]));
    const nClauses = new Map<string, any>((n?.clauses ?? []).map((c: any) => [c.id, c]));
    const clauseIds = [...new Set([...nClauses.keys(), ...oClauses.keys()])];
    const ops = [...new Set([...Object.keys(n?.latency ?? {}), ...Object.keys(o?.latency ?? {})])].sort();
    // "skip" is how results.json writes "not tested"; a clause absent from the new run was not tested either.
    const tested = (c: any) => c !== undefined && c.status !== 'skip';
    const lost = clauseIds.filter((c) => tested(oClauses.get(c)) && !tested(nClauses.get(c)));
    const testedNow = (f: Finding) => tested(nClauses.get(f.clause));
    const time = (old: Stats | undefined, now: Stats | undefined): TimeChange => ({ old, new: now, notable: notable(old, now) });
    return {
      profile: id,
      verdict: { old: o?.verdict, new: n?.verdict },
      newlyFailing: [...nf].filter(([k]) => !of.has(k)).map(([, f]) => f),
      fixed: [...of].filter(([k, f]) => !nf.has(k) && testedNow(f)).map(([, f]) => f),
      stillFailing: [...nf].filter(([k]) => of.has(k)).map(([, f]) => f),
      lostCoverage: lost.map((c) => ({ id: c, title: oClauses.get(c).title, old: oClauses.get(c).status, new: nClauses.get(c)?.status })),
      clauses: clauseIds
        .filter((c) => oClauses.get(c)?.status !== nClauses.get(c)?.status)
        .map((c) => ({ id: c, title: (nClauses.get(c) ?? oClauses.get(c)).title, old: oClauses.get(c)?.status, new: nClauses.get(c)?.status })),
      latency: ops.map((op) => ({ operation: op, ...time(o?.latency?.[op], n?.latency?.[op]) })),
      stateTimes: (['ready', 'gone'] as const).map((phase) => ({ phase, ...time(o?.stateTimes?.[phase], n?.stateTimes?.[phase]) })).filter((s) => s.old || s.new),
    };
  });
  const about = (doc: any, file: string) => ({ file, runId: profilesOf(doc)[0]?.runId ?? doc?.runId, startedAt: doc?.startedAt });
  return { old: about(oldDoc, files.old), new: about(newDoc, files.new), profiles };
}

/** A change of a time, in words: "+35% (120 -> 162 ms)". */
export function change(o: number | undefined, n: number | undefined): string {
  if (o === undefined || n === undefined) return n === undefined ? 'gone' : 'new';
  const pct = o === 0 ? 0 : Math.round((100 * (n - o)) / o);
  return `${pct >= 0 ? '+' : ''}${pct}% (${o} -> ${n} ms)`;
}

export function comparisonText(c: Comparison): string {
  const lines: string[] = [];
  for (const p of c.profiles) {
    lines.push(`${p.profile}: ${p.verdict.old ?? 'not run'} -> ${p.verdict.new ?? 'not run'}; ${p.newlyFailing.length} newly failing, ${p.fixed.length} fixed, ${p.stillFailing.length} still failing, ${p.lostCoverage.length} lost coverage`);
    for (const f of p.newlyFailing) lines.push(`  new:   ${f.clause} ${f.title}`);
    for (const f of p.fixed) lines.push(`  fixed: ${f.clause} ${f.title}`);
    for (const c of p.lostCoverage) lines.push(`  lost coverage: ${c.id} ${c.title} (was ${c.old}, now not tested)`);
    for (const l of p.latency) if (l.notable) lines.push(`  latency ${l.operation} median ${change(l.old!.median, l.new!.median)}`);
    for (const s of p.stateTimes) if (s.notable) lines.push(`  time to ${s.phase} median ${change(s.old!.median, s.new!.median)}`);
  }
  return lines.join('\n');
}

const esc = (s: unknown) => String(s ?? '').replace(/[<>&"']/g, (ch) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[ch]!);

export function comparisonHtml(c: Comparison): string {
  const findings = (title: string, list: Finding[], kind: string) =>
    list.length ? `<h3>${title} (${list.length})</h3><table><tr><th>clause</th><th>level</th><th>finding</th><th>expected</th><th>got</th></tr>${list.map((f) => `<tr class="${kind}"><td>${esc(f.clause)}</td><td>${esc(f.level)}</td><td>${esc(f.title)}</td><td>${esc(f.expected)}</td><td>${esc(f.actual)}</td></tr>`).join('')}</table>` : `<p>${title}: none.</p>`;
  const stat = (s?: Stats) => (s ? `${s.median} / ${s.p95} / ${s.max} (${s.count})` : '—');
  const body = c.profiles
    .map(
      (p) => `<section><h2>${esc(p.profile)}</h2><p>Verdict: ${esc(p.verdict.old ?? 'not run')} → <b>${esc(p.verdict.new ?? 'not run')}</b></p>
${findings('Newly failing', p.newlyFailing, 'new')}${findings('Fixed', p.fixed, 'fixed')}${findings('Still failing', p.stillFailing, 'still')}
${p.lostCoverage.length ? `<h3>Lost coverage (${p.lostCoverage.length})</h3><p>Tested before, not tested now: neither fixed nor failing.</p><table><tr><th>clause</th><th>title</th><th>before</th></tr>${p.lostCoverage.map((x) => `<tr class="lost"><td>${esc(x.id)}</td><td>${esc(x.title)}</td><td>${esc(x.old)}</td></tr>`).join('')}</table>` : ''}
${p.clauses.length ? `<h3>Clauses whose status changed</h3><table><tr><th>clause</th><th>title</th><th>before</th><th>now</th></tr>${p.clauses.map((x) => `<tr><td>${esc(x.id)}</td><td>${esc(x.title)}</td><td>${esc(x.old ?? '—')}</td><td>${esc(x.new ?? '—')}</td></tr>`).join('')}</table>` : ''}
<h3>Latency by operation (median / p95 / max ms, and requests)</h3><p class="muted">A change of a median is marked only when it is at least ${NOISE_FLOOR.ms} ms and a factor of ${NOISE_FLOOR.ratio}.</p><table><tr><th>operation</th><th>before</th><th>now</th><th>median</th></tr>${p.latency.map((l) => `<tr${l.notable ? ' class="notable"' : ''}><td>${esc(l.operation)}</td><td>${stat(l.old)}</td><td>${stat(l.new)}</td><td>${esc(change(l.old?.median, l.new?.median))}</td></tr>`).join('')}</table>
<h3>Time to ready and to gone</h3><table><tr><th></th><th>before</th><th>now</th><th>median</th></tr>${p.stateTimes.map((s) => `<tr${s.notable ? ' class="notable"' : ''}><td>${s.phase}</td><td>${stat(s.old)}</td><td>${stat(s.new)}</td><td>${esc(change(s.old?.median, s.new?.median))}</td></tr>`).join('')}</table></section>`,
    )
    .join('\n');
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Comparison of two conformance runs</title>
<style>body{font:14px/1.45 system-ui,sans-serif;margin:0;padding:24px 32px;max-width:1200px;color:#1d2330}table{border-collapse:collapse;width:100%;margin:6px 0}th,td{text-align:left;padding:3px 8px;border-bottom:1px solid #d9dee7;vertical-align:top}th{background:#f6f8fa}tr.new td:first-child{border-left:4px solid #c62828}tr.fixed td:first-child{border-left:4px solid #1a7f37}tr.lost td:first-child{border-left:4px solid #8a6d00}tr.notable td{font-weight:600}.muted{color:#5b6577}h2{border-bottom:1px solid #d9dee7}</style></head><body>
<h1>Comparison of two conformance runs</h1><p>Before: ${esc(c.old.file)} (${esc(c.old.runId)})<br>Now: ${esc(c.new.file)} (${esc(c.new.runId)})</p>
${body}</body></html>\n`;
}
