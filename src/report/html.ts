// The conformance report: one self-contained HTML file per profile (no network, opens from disk),
// and a summary page when several profiles ran. Summary first, then the clause matrix by area,
// each failure with its evidence and a curl command, the reference defects, and timing.
import type { StoredExchange } from '../findings/types.ts';
import type { Finding } from '../findings/types.ts';
import { curlCommand } from './curl.ts';
import type { ClauseResult, ProfileResults } from './results.ts';

const esc = (s: unknown) =>
  String(s ?? '').replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c]!);

const AREAS = ['contract', 'versions', 'lifecycle', 'metadata', 'lists', 'errors', 'limits', 'auth'] as const;
const STATUS_LABEL: Record<string, string> = { pass: 'pass', fail: 'fail', skip: 'not tested', 'expected-fail': 'expected fail' };
const FOLD = 2000;

const STYLE = `
:root{--fg:#1d2330;--muted:#5b6577;--line:#d9dee7;--pass:#1a7f37;--fail:#c62828;--skip:#8a6d00;--xfail:#6f42c1;--bg:#f6f8fa}
*{box-sizing:border-box}body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:var(--fg);margin:0;padding:24px 32px;max-width:1200px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}h3{font-size:15px;margin:18px 0 6px}
.muted{color:var(--muted)}.verdict{display:inline-block;font-weight:700;padding:4px 12px;border-radius:6px;color:#fff;margin:8px 0}
.verdict.ok{background:var(--pass)}.verdict.bad{background:var(--fail)}.cleanup.bad{border-left:4px solid var(--fail);padding-left:8px}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid var(--line);vertical-align:top}th{background:var(--bg);font-weight:600}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:8px 0}dl.meta dt{color:var(--muted)}dl.meta dd{margin:0;word-break:break-all}
.badge{display:inline-block;min-width:84px;text-align:center;font-size:12px;font-weight:600;padding:1px 6px;border-radius:10px;color:#fff}
.s-pass{background:var(--pass)}.s-fail{background:var(--fail)}.s-skip{background:var(--skip)}.s-expected-fail{background:var(--xfail)}
.lvl{font-size:12px;font-weight:600;color:var(--muted)}
details.clause{border-bottom:1px solid var(--line)}details.clause>summary{display:grid;grid-template-columns:120px 60px 110px 1fr;gap:8px;padding:5px 4px;cursor:pointer;list-style:none}
details.clause>summary::-webkit-details-marker{display:none}details.clause[open]>summary{background:var(--bg)}
.body{padding:6px 12px 14px 24px}.finding{border-left:3px solid var(--fail);padding:4px 10px;margin:10px 0;background:#fff8f8}
.finding h4{margin:0 0 4px;font-size:14px}pre{background:var(--bg);padding:8px;overflow:auto;max-height:420px;white-space:pre-wrap;word-break:break-all;font-size:12px;margin:4px 0}
.ex{margin:6px 0}.ex>summary{cursor:pointer;font-family:ui-monospace,monospace;font-size:12.5px}
.filters{display:flex;gap:16px;flex-wrap:wrap;align-items:center;margin:8px 0;padding:8px;background:var(--bg);border-radius:6px}
.filters input[type=search]{padding:4px 8px;min-width:240px}button.copy{font-size:12px;margin:2px 0}
.hidden{display:none}.defect{border-left:3px solid var(--xfail);padding:4px 10px;margin:8px 0}
`;

const SCRIPT = `
const q=(s,r=document)=>[...r.querySelectorAll(s)];
function apply(){const on=new Set(q('input[name=status]:checked').map(i=>i.value));const lvl=document.getElementById('level').value;const text=document.getElementById('search').value.trim().toLowerCase();
q('details.clause').forEach(d=>{const ok=on.has(d.dataset.status)&&(!lvl||d.dataset.level===lvl)&&(!text||d.dataset.search.includes(text));d.classList.toggle('hidden',!ok)});
q('section.area').forEach(s=>s.classList.toggle('hidden',!q('details.clause:not(.hidden)',s).length));}
q('input[name=status],#level,#search').forEach(e=>e.addEventListener('input',apply));
q('button.copy').forEach(b=>b.addEventListener('click',()=>{const t=document.getElementById(b.dataset.target).textContent;navigator.clipboard&&navigator.clipboard.writeText(t);b.textContent='copied';setTimeout(()=>b.textContent='copy',1200)}));
`;

function page(title: string, body: string): string {
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title><style>${STYLE}</style></head><body>
${body}
<script>${SCRIPT}</script></body></html>\n`;
}

export function profilePage(r: ProfileResults): string {
  const ok = r.verdict === 'conformant';
  const levelRows = (['MUST', 'SHOULD', 'MAY'] as const)
    .map((l) => `<tr><th>${l}</th><td>${r.byLevel[l].passed}</td><td>${r.byLevel[l].failed}</td><td>${r.byLevel[l].skipped}</td><td>${r.byLevel[l].expectedFailures}</td></tr>`)
    .join('');
  const body = `
<header>
<h1>${esc(r.title)}</h1>
<div class="verdict ${ok ? 'ok' : 'bad'}" data-testid="verdict">${ok ? 'Conformant' : 'Not conformant'}</div>
<span class="muted">decided by the MUST clauses</span>
<dl class="meta">
<dt>Target</dt><dd data-testid="target">${esc(r.target)}</dd>${r.microversion ? `<dt>Microversion</dt><dd data-testid="microversion">${esc(r.microversion)}</dd>` : ''}${r.readOnly ? '<dt>Mode</dt><dd data-testid="mode">read-only: no request that writes was sent; what needs one shows as not testable read-only</dd>' : ''}
${r.ended ? `<dt>Ended</dt><dd data-testid="ended">${r.ended === 'budget' ? `early: the run's time budget of ${r.budgetSeconds} s ran out; what it did not reach is not tested` : 'early: the run was interrupted; what it did not reach is not tested'}</dd>` : ''}
<dt>Profile</dt><dd>${esc(r.profile)}</dd>
<dt>Tool</dt><dd>${esc(r.tool)} ${esc(r.version)}</dd>
<dt>Started</dt><dd>${esc(r.startedAt)}</dd>
<dt>Duration</dt><dd>${(r.durationMs / 1000).toFixed(1)} s</dd>
<dt>Seed</dt><dd>${r.seed}</dd>
</dl>
<table class="counts" data-testid="counts"><tr><th>Level</th><th>pass</th><th>fail</th><th>not tested</th><th>expected fail</th></tr>${levelRows}
<tr><th>All</th><td>${r.summary.passed}</td><td>${r.summary.failed}</td><td>${r.summary.skipped}</td><td>${r.summary.expectedFailures}</td></tr></table>
${r.summary.unexpectedPasses ? `<p><strong>${r.summary.unexpectedPasses}</strong> clause(s) listed as expected failures passed: update the expectations file.</p>` : ''}
</header>
${r.errors.length ? `<h2>Suite errors</h2>${r.errors.map((e) => `<div class="finding"><h4>${esc(e.test)}</h4><pre>${esc(e.message)}</pre></div>`).join('')}` : ''}
<h2>Clauses</h2>
<div class="filters">
${Object.entries(STATUS_LABEL).map(([s, label]) => `<label><input type="checkbox" name="status" value="${s}" checked> ${label}</label>`).join('')}
<label>Level <select id="level"><option value="">all</option><option>MUST</option><option>SHOULD</option><option>MAY</option></select></label>
<input type="search" id="search" placeholder="Search clause id or title">
</div>
${AREAS.map((area) => areaSection(area, r)).join('')}
${cleanup(r)}
${defects(r)}
${timing(r)}
`;
  return page(`${r.profile}: ${ok ? 'conformant' : 'not conformant'}`, body);
}

/** What the run made on the target, and whether all of it is gone. */
function cleanup(r: ProfileResults): string {
  const c = r.cleanup;
  if (!c) return '';
  const made = Object.entries(c.made).map(([kind, n]) => `${n} ${esc(kind)}${n === 1 ? '' : 's'}`).join(', ') || 'nothing';
  const item = (f: { kind: string; id: string; name?: string; reason?: string }) => `<li><code>${esc(f.kind)} ${esc(f.id)}</code>${f.name ? ` ${esc(f.name)}` : ''}${f.reason ? `: ${esc(f.reason)}` : ''}</li>`;
  let said: string;
  if (c.error) said = `The clean-up after the tests could not run (${esc(c.error)}): remove what is left with <code>snapshot-conformance sweep --profile ${esc(r.profile)} --run ${esc(r.runId ?? '<run id>')}</code>.`;
  else if (c.readOnly) said = c.notRemoved.length ? `Read-only run, yet ${c.notRemoved.length} resource(s) named for it exist:<ul>${c.notRemoved.map(item).join('')}</ul>` : 'Read-only run: it made nothing, and nothing named for it exists on the target.';
  else {
    said = `The run made ${made}. `;
    said += c.removed.length ? `After the tests, ${c.removed.length} resource(s) they left were removed:<ul>${c.removed.map(item).join('')}</ul>` : 'Its tests removed all of it themselves. ';
    said += c.notRemoved.length
      ? `<strong>Still on the target</strong> (remove with <code>snapshot-conformance sweep --profile ${esc(r.profile)} --run ${esc(r.runId ?? '<run id>')}</code>):<ul>${c.notRemoved.map(item).join('')}</ul>`
      : 'Nothing of this run is left on the target.';
  }
  return `<h2>Clean-up</h2><div data-testid="cleanup" class="cleanup${c.error || c.notRemoved.length ? ' bad' : ''}">${said}</div>`;
}

function areaSection(area: string, r: ProfileResults): string {
  const clauses = r.clauses.filter((c) => c.area === area);
  if (!clauses.length) return '';
  return `<section class="area" data-area="${area}"><h3>${esc(area)}</h3>${clauses.map((c) => clauseRow(c, r)).join('')}</section>`;
}

function clauseRow(c: ClauseResult, r: ProfileResults): string {
  const search = `${c.id} ${c.title}`.toLowerCase();
  return `<details class="clause" data-status="${c.status}" data-level="${c.level}" data-search="${esc(search)}" data-clause="${esc(c.id)}"${c.status === 'fail' ? '' : ''}>
<summary><strong>${esc(c.id)}</strong><span class="lvl">${c.level}</span><span class="badge s-${c.status}">${STATUS_LABEL[c.status]}${c.unexpectedPass ? ' (unexpected)' : ''}</span><span>${esc(c.title)}${c.findings.length ? ` <span class="muted">(${c.findings.length} finding${c.findings.length > 1 ? 's' : ''})</span>` : ''}</span></summary>
<div class="body">
<p>${esc(c.text)}</p>
<p class="muted">Source: ${c.source.map(esc).join('; ')}${c.passes ? ` · held in ${c.passes} check(s)` : ''}</p>
${c.reason ? `<p><em>${esc(c.reason)}</em></p>` : ''}${c.evidence ? `<p class="muted">Evidence: ${esc(c.evidence)}</p>` : ''}
${c.contradiction ? `<p class="muted">Sources disagree: ${esc(c.contradiction.summary)} Decision: ${esc(c.contradiction.decision)}</p>` : ''}
${c.findings.map((f, i) => finding(f, `${c.id}-${i}`, r)).join('')}
</div></details>`;
}

function finding(f: Finding, key: string, r: ProfileResults): string {
  const exchanges = f.exchanges.map((id) => r.exchanges.find((e) => e.id === id)).filter((e): e is StoredExchange => Boolean(e));
  const ce = f.counterexample;
  return `<div class="finding"><h4>${esc(f.title)}${f.count > 1 ? ` <span class="muted">×${f.count}</span>` : ''}</h4>
<table><tr><th>expected</th><td>${esc(f.expected)}</td></tr><tr><th>got</th><td>${esc(f.actual)}</td></tr>
${f.pointer ? `<tr><th>at</th><td><code>${esc(f.pointer)}</code></td></tr>` : ''}
${f.context ? `<tr><th>while</th><td>${esc(f.context)}</td></tr>` : ''}
<tr><th>check</th><td><code>${esc(f.check)}</code></td></tr></table>
${ce ? `<p><strong>Shrunk counterexample</strong> (seed ${ce.seed}, path ${esc(ce.path)}, after ${ce.runs} run(s)):</p><pre>${esc(ce.commands.join('\n'))}</pre>
<p>Replay exactly this case: <button class="copy" data-target="replay-${key}">copy</button></p><pre id="replay-${key}">${esc(ce.replay)}</pre>` : ''}
${exchanges.map((e, i) => exchange(e, `${key}-${i}`)).join('')}
</div>`;
}

function fold(text: string): string {
  if (text.length <= FOLD) return `<pre>${esc(text)}</pre>`;
  return `<pre>${esc(text.slice(0, FOLD))}</pre><details><summary class="muted">${text.length - FOLD} more characters</summary><pre>${esc(text.slice(FOLD))}</pre></details>`;
}

const headerText = (h: Record<string, string>) => Object.entries(h).map(([k, v]) => `${k}: ${v}`).join('\n');

function exchange(e: StoredExchange, key: string): string {
  const status = e.response ? e.response.status : `no answer: ${e.error}`;
  return `<details class="ex"><summary>${esc(e.request.method)} ${esc(e.request.url)} → ${esc(status)} <span class="muted">(${e.durationMs} ms)</span></summary>
<p class="muted">Request</p><pre>${esc(headerText(e.request.headers))}</pre>${e.request.body !== undefined ? fold(e.request.body) : ''}
${e.response ? `<p class="muted">Response ${e.response.status}${e.response.truncated ? ` (body cut at ${e.response.body.length} of ${e.response.bodyBytes} bytes)` : ''}</p><pre>${esc(headerText(e.response.headers))}</pre>${e.response.body ? fold(prettyJson(e.response.body)) : ''}` : ''}
<p class="muted">Reproduce <button class="copy" data-target="curl-${key}">copy</button></p><pre id="curl-${key}">${esc(curlCommand(e))}</pre>
</details>`;
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function defects(r: ProfileResults): string {
  const list = r.clauses.filter((c) => c.contradiction?.defect);
  if (!list.length) return '';
  return `<h2>Reference defects</h2><p class="muted">Where the vendor's own text contradicts what this profile checks. The clause holds to the decision; the defect is in the cited text.</p>
${list.map((c) => `<div class="defect"><strong>${esc(c.id)}</strong> ${esc(c.contradiction!.summary)}<br><span class="muted">Defect in ${esc(c.contradiction!.defect)}.</span>
<ul>${c.contradiction!.positions.map((p) => `<li>${esc(p.source)}: ${esc(p.says)}</li>`).join('')}</ul>Decision: ${esc(c.contradiction!.decision)}</div>`).join('')}`;
}

function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function timing(r: ProfileResults): string {
  const byOp = new Map<string, number[]>();
  for (const t of r.timings) byOp.set(t.operation, [...(byOp.get(t.operation) ?? []), t.ms]);
  const row = (name: string, values: number[]) => {
    const s = [...values].sort((a, b) => a - b);
    return `<tr><td>${esc(name)}</td><td>${s.length}</td><td>${quantile(s, 0.5).toFixed(1)}</td><td>${quantile(s, 0.95).toFixed(1)}</td><td>${(s.at(-1) ?? 0).toFixed(1)}</td></tr>`;
  };
  const states = (['ready', 'gone'] as const).map((p) => [p, r.states.filter((s) => s.phase === p).map((s) => s.ms)] as const).filter(([, v]) => v.length);
  return `<h2>Timing</h2><table><tr><th>Operation</th><th>requests</th><th>median ms</th><th>p95 ms</th><th>max ms</th></tr>
${[...byOp.entries()].sort().map(([op, v]) => row(op, v)).join('')}</table>
${r.busy ? `<h3>Busy answers</h3><p data-testid="busy">The target answered ${r.busy.status} ("busy, try again") ${r.busy.count} time(s); the suite retried each within its bound.${r.busy.count ? ` By operation: ${Object.entries(r.busy.byOperation).map(([op, n]) => `${esc(op)} ${n}`).join(', ')}.` : ''}</p>` : ''}
${states.length ? `<h3>State changes</h3><table><tr><th>From request to</th><th>count</th><th>median ms</th><th>p95 ms</th><th>max ms</th></tr>${states.map(([p, v]) => row(p === 'ready' ? 'create → ready' : 'delete → gone', v)).join('')}</table>` : ''}`;
}

export function summaryPage(all: ProfileResults[], links: Record<string, string>): string {
  const ok = all.every((r) => r.verdict === 'conformant');
  const rows = all
    .map((r) => `<tr data-profile="${esc(r.profile)}"><td><a href="${esc(links[r.profile])}">${esc(r.profile)}</a></td><td>${esc(r.title)}</td><td><span class="badge ${r.verdict === 'conformant' ? 's-pass' : 's-fail'}">${esc(r.verdict)}</span></td><td>${r.summary.passed}</td><td>${r.summary.failed}</td><td>${r.summary.skipped}</td><td>${r.summary.expectedFailures}</td><td>${esc(r.target)}</td></tr>`)
    .join('');
  const body = `<h1>Conformance run</h1>
<div class="verdict ${ok ? 'ok' : 'bad'}" data-testid="verdict">${ok ? 'All profiles conformant' : 'Not conformant'}</div>
<dl class="meta"><dt>Tool</dt><dd>${esc(all[0]?.tool)} ${esc(all[0]?.version)}</dd><dt>Started</dt><dd>${esc(all[0]?.startedAt)}</dd><dt>Seed</dt><dd>${all[0]?.seed}</dd></dl>
<table data-testid="profiles"><tr><th>Profile</th><th>System</th><th>Verdict</th><th>pass</th><th>fail</th><th>not tested</th><th>expected fail</th><th>Target</th></tr>${rows}</table>`;
  return page(`Conformance run: ${ok ? 'conformant' : 'not conformant'}`, body);
}
