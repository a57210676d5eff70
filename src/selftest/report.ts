// A selftest, written: one line per fault on the terminal as it comes, and at the end the score and
// every fault not caught with what should have caught it; selftest.json for tools, and
// selftest.html to send on. The writer only reads the result and writes.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FaultOutcome, SelftestResult } from './selftest.ts';

const MARK: Record<FaultOutcome['outcome'], string> = { caught: '✓', 'caught-elsewhere': '~', unseen: '✘', 'broke-the-run': '!', 'not-applicable': '-' };
const WORDS: Record<FaultOutcome['outcome'], string> = {
  caught: 'caught',
  'caught-elsewhere': 'caught, by other clauses than those meant for it',
  unseen: 'unseen',
  'broke-the-run': 'broke the run',
  'not-applicable': 'not applicable',
};

export function outcomeLine(o: FaultOutcome, i: number, total: number): string {
  const by = o.failing.length ? ` by ${o.failing.join(', ')}` : '';
  return `${MARK[o.outcome]} [${i + 1}/${total}] ${o.fault}: ${WORDS[o.outcome]}${o.outcome === 'caught' ? by : ''} (${(o.durationMs / 1000).toFixed(1)} s)`;
}

export function summaryText(r: SelftestResult): string {
  const lines: string[] = [];
  if (r.correct.verdict !== 'conformant') {
    lines.push(`the correct server is not conformant to the profile (${r.correct.failing.join(', ') || r.correct.errors[0] || 'see the run'}): the faults below prove nothing until it is`);
  }
  const missed = r.faults.filter((f) => f.outcome !== 'caught');
  for (const f of missed) {
    lines.push(`${MARK[f.outcome]} ${f.fault} (${f.does}): ${WORDS[f.outcome]}${f.failing.length && f.outcome !== 'caught' ? ` by ${f.failing.join(', ')}` : ''}${f.why ? `; ${f.why}` : ''}`);
  }
  const g = r.score.generic;
  const na = r.faults.filter((f) => f.outcome === 'not-applicable').length;
  lines.push(
    `${r.profile}: mutation score ${r.score.percent}% (${r.score.caught} of ${r.score.faults} faults caught by the clauses meant for them; ` +
      `${g.faults ? `generic faults ${g.percent}%, ${g.caught} of ${g.faults}` : 'no generic faults'}${na ? `; ${na} not applicable` : ''})`,
  );
  return lines.join('\n');
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

export function selftestHtml(r: SelftestResult): string {
  const rows = r.faults
    .map((f) => `<tr class="${f.outcome}"><td>${MARK[f.outcome]}</td><td><code>${esc(f.fault)}</code></td><td>${esc(f.does)}</td><td>${esc(WORDS[f.outcome])}</td><td>${esc(f.failing.join(', '))}</td><td>${esc(f.expected.join(', '))}</td><td>${esc(f.why ?? '')}</td></tr>`)
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(r.profile)}: mutation score ${r.score.percent}%</title>
<style>body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;vertical-align:top;text-align:left}.caught{background:#eef8ee}.unseen,.broke-the-run{background:#fbeaea}.caught-elsewhere{background:#fdf6e3}</style></head>
<body><h1>${esc(r.profile)}: mutation score ${r.score.percent}%</h1>
<p data-testid="score">${r.score.caught} of ${r.score.faults} faults caught by the clauses meant for them (generic faults: ${r.score.generic.caught} of ${r.score.generic.faults}). The correct server: ${esc(r.correct.verdict)}${r.correct.failing.length ? ` (${esc(r.correct.failing.join(', '))})` : ''}.</p>
<table><thead><tr><th></th><th>fault</th><th>what it makes wrong</th><th>outcome</th><th>clauses that failed</th><th>clauses meant to catch it</th><th>why not</th></tr></thead><tbody>
${rows}
</tbody></table></body></html>
`;
}

export function writeSelftest(dir: string, r: SelftestResult): { json: string; html: string } {
  const json = join(dir, 'selftest.json');
  const html = join(dir, 'selftest.html');
  writeFileSync(json, `${JSON.stringify(r, null, 2)}\n`);
  writeFileSync(html, selftestHtml(r));
  return { json, html };
}
