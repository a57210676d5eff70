// The conformance report: one self-contained HTML file per profile (no network, opens from disk),
// and a summary page when several profiles ran. It starts with what is wrong (the failed MUST
// clauses grouped by cause), then the clause matrix by area, each failure with every place it was
// made, its evidence and a curl command that replays it, the checks named, the reference defects
// and timing. Every clause is an anchor (#CV3-ERR-05); the filters live in the URL's fragment.
import type { StoredExchange } from '../findings/types.ts';
import { faultNameOf } from './causes.ts';
import { curlCommand, variablesOf } from './curl.ts';
import type { ClauseResult, ProfileResults, ReportedFinding } from './results.ts';

const esc = (s: unknown) =>
  String(s ?? '').replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c]!);
/** A sentence of the suite's ("`size` is missing"): escaped, the names in backticks set as code. */
const prose = (s: unknown) => esc(s).replace(/`([^`]+)`/g, '<code>$1</code>');

const AREAS = ['contract', 'versions', 'lifecycle', 'metadata', 'lists', 'errors', 'limits', 'auth'] as const;
const STATUS_LABEL: Record<string, string> = { pass: 'pass', fail: 'fail', skip: 'not tested', 'expected-fail': 'expected fail' };
const FOLD = 2000;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

const STYLE = `
:root{--fg:#1d2330;--muted:#5b6577;--line:#d9dee7;--pass:#1a7f37;--fail:#c62828;--skip:#8a6d00;--xfail:#6f42c1;--bg:#f6f8fa}
*{box-sizing:border-box}body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:var(--fg);margin:0;padding:24px 32px;max-width:1200px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}h3{font-size:15px;margin:18px 0 6px}
a{color:#0b57d0}.muted{color:var(--muted)}.verdict{display:inline-block;font-weight:700;padding:4px 12px;border-radius:6px;color:#fff;margin:8px 0}
.verdict.ok{background:var(--pass)}.verdict.bad{background:var(--fail)}.cleanup.bad{border-left:4px solid var(--fail);padding-left:8px}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid var(--line);vertical-align:top}th{background:var(--bg);font-weight:600}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:8px 0}dl.meta dt{color:var(--muted)}dl.meta dd{margin:0;word-break:break-all}
.badge{display:inline-block;min-width:84px;text-align:center;font-size:12px;font-weight:600;padding:1px 6px;border-radius:10px;color:#fff}
.s-pass{background:var(--pass)}.s-fail{background:var(--fail)}.s-skip{background:var(--skip)}.s-expected-fail{background:var(--xfail)}
.lvl{font-size:12px;font-weight:600;color:var(--muted)}
details.clause{border-bottom:1px solid var(--line);scroll-margin-top:8px}details.clause>summary{display:grid;grid-template-columns:120px 60px 110px 1fr;gap:8px;padding:5px 4px;cursor:pointer;list-style:none}
details.clause>summary::-webkit-details-marker{display:none}details.clause[open]>summary{background:var(--bg)}details.clause:target>summary{outline:2px solid #0b57d0}
.body{padding:6px 12px 14px 24px}.finding{border-left:3px solid var(--fail);padding:4px 10px;margin:10px 0;background:#fff8f8}
.finding h4{margin:0 0 4px;font-size:14px}pre{background:var(--bg);padding:8px;overflow:auto;max-height:420px;white-space:pre-wrap;word-break:break-all;font-size:12px;margin:4px 0}
.ex{margin:4px 0}.ex>summary{cursor:pointer;font-family:ui-monospace,monospace;font-size:12.5px;word-break:break-all}
ol.occ{margin:6px 0;padding-left:22px}ol.occ>li{margin:4px 0}
.filters{display:flex;gap:16px;flex-wrap:wrap;align-items:center;margin:8px 0;padding:8px;background:var(--bg);border-radius:6px}
.filters input[type=search]{padding:4px 8px;min-width:240px;flex:1}button.copy{font-size:12px;margin:2px 0}
.hidden{display:none}.defect{border-left:3px solid var(--xfail);padding:4px 10px;margin:8px 0}
.causes{border:1px solid var(--fail);border-radius:6px;padding:4px 16px 8px;margin:16px 0;background:#fffafa}.causes h2{border:0;margin:8px 0 4px}
ol.cause-list{padding-left:22px;margin:4px 0}ol.cause-list>li{margin:8px 0}.hint{margin:2px 0;font-weight:600}
.ok-box{border:1px solid var(--pass);border-radius:6px;padding:8px 16px;margin:16px 0}
dl.checks dt{font-family:ui-monospace,monospace;margin-top:6px}dl.checks dd{margin:0 0 0 16px}dl.checks dt:target{background:#fff3c4}
.back{display:inline-block;margin-bottom:8px}
table.profiles td.target{overflow-wrap:anywhere;word-break:break-word}table.profiles td.n{text-align:right;white-space:nowrap}
`;

// Filters: status boxes, level, search. Their state is the fragment (#status=fail,skip&level=MUST&q=500)
// so that it survives a reload and can be sent on; a fragment without "=" is a clause's (or check's)
// anchor, which shows everything and opens that clause.
const SCRIPT = `
const q=(s,r=document)=>[...r.querySelectorAll(s)];
const STATUSES=q('input[name=status]').map(i=>i.value);
q('details.clause:not([data-search])').forEach(d=>d.dataset.search=(d.id+' '+d.querySelector('summary>span:last-child').textContent).toLowerCase());
function read(){const h=decodeURIComponent(location.hash.slice(1));if(!h.includes('='))return{anchor:h};const p=new URLSearchParams(h);return{status:p.has('status')?p.get('status').split(',').filter(Boolean):STATUSES,level:p.get('level')||'',text:p.get('q')||''}}
function show(state){q('input[name=status]').forEach(i=>i.checked=!state.status||state.status.includes(i.value));document.getElementById('level').value=state.level||'';document.getElementById('search').value=state.text||'';filter()}
function filter(){const on=new Set(q('input[name=status]:checked').map(i=>i.value));const lvl=document.getElementById('level').value;const text=document.getElementById('search').value.trim().toLowerCase();
q('details.clause').forEach(d=>{const ok=on.has(d.dataset.status)&&(!lvl||d.dataset.level===lvl)&&(!text||d.dataset.search.includes(text));d.classList.toggle('hidden',!ok)});
q('section.area').forEach(s=>s.classList.toggle('hidden',!q('details.clause:not(.hidden)',s).length));}
function save(){filter();const on=q('input[name=status]:checked').map(i=>i.value);const lvl=document.getElementById('level').value;const text=document.getElementById('search').value.trim();const p=new URLSearchParams();
if(on.length!==STATUSES.length)p.set('status',on.join(','));if(lvl)p.set('level',lvl);if(text)p.set('q',text);const h=p.toString();history.replaceState(null,'',h?'#'+h:location.pathname+location.search)}
function go(){const s=read();if(s.anchor===undefined){show(s);return}show({});if(!s.anchor)return;const el=document.getElementById(s.anchor);if(!el)return;for(let d=el;d;d=d.parentElement)if(d.tagName==='DETAILS')d.open=true;el.scrollIntoView()}
q('input[name=status],#level').forEach(e=>e.addEventListener('change',save));document.getElementById('search').addEventListener('input',save);
window.addEventListener('hashchange',go);go();
q('button.copy').forEach(b=>b.addEventListener('click',()=>{const t=document.getElementById(b.dataset.target).textContent;navigator.clipboard&&navigator.clipboard.writeText(t);b.textContent='copied';setTimeout(()=>b.textContent='copy',1200)}));
`;

function page(title: string, body: string, script = SCRIPT): string {
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title><style>${STYLE}</style></head><body>
${body}
${script ? `<script>${script}</script>` : ''}</body></html>\n`;
}

export interface PageOptions {
  /** The run's summary page, relative to this one, when several profiles ran. */
  index?: string;
  /** The names of the headers the run added (--header): each is replayed from a variable of its own. */
  headers?: readonly string[];
}

/** The verdict as a page shows it: a run restricted on purpose found no failure, it is not conformance. */
const VERDICT_LABEL: Record<ProfileResults['verdict'], string> = { conformant: 'Conformant', 'not conformant': 'Not conformant', 'no failure found': 'No failure found' };

export function profilePage(r: ProfileResults, options: PageOptions = {}): string {
  const ok = r.exitCode === 0;
  const levelRows = (['MUST', 'SHOULD', 'MAY'] as const)
    .map((l) => `<tr><th>${l}</th><td>${r.byLevel[l].passed}</td><td>${r.byLevel[l].failed}</td><td>${r.byLevel[l].skipped}</td><td>${r.byLevel[l].expectedFailures}</td></tr>`)
    .join('');
  const exchanges = new Map(r.exchanges.map((e) => [e.id, e]));
  const body = `
${options.index ? `<a class="back" data-testid="back" href="${esc(options.index)}">← all profiles of this run</a>` : ''}
<header>
<h1>${esc(r.title)}</h1>
<div class="verdict ${ok ? 'ok' : 'bad'}" data-testid="verdict">${VERDICT_LABEL[r.verdict]}</div>
<span class="muted">decided by the MUST clauses</span>
<p data-testid="reason">${esc(r.reason)}</p>
${causesSection(r)}
<dl class="meta">
<dt>Target</dt><dd data-testid="target">${esc(r.target)}</dd>${r.microversion ? `<dt>Microversion</dt><dd data-testid="microversion">${esc(r.microversion)}</dd>` : ''}${r.readOnly ? '<dt>Mode</dt><dd data-testid="mode">read-only: no request that writes was sent; what needs one shows as not testable read-only</dd>' : ''}
${r.ended ? `<dt>Ended</dt><dd data-testid="ended">${r.ended === 'budget' ? `early: the run's time budget of ${r.budgetSeconds} s ran out; what it did not reach is not tested` : 'early: the run was interrupted; what it did not reach is not tested'}</dd>` : ''}
<dt>Profile</dt><dd>${esc(r.profile)}</dd>
<dt>Tool</dt><dd>${esc(r.tool)} ${esc(r.version)}</dd>
<dt>Started</dt><dd>${esc(r.startedAt)}</dd>
<dt>Duration</dt><dd>${seconds(r.profileDurationMs ?? r.durationMs)}</dd>
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
<input type="search" id="search" placeholder="Search: clause, title, status code, fault name, check, operation" aria-label="Search the clauses and their findings">
</div>
${AREAS.map((area) => areaSection(area, r, exchanges, options.headers ?? [])).join('')}
${checksSection(r)}
${cleanup(r)}
${defects(r)}
${timing(r)}
${ABOUT}
`;
  return page(`${r.profile}: ${r.verdict}`, body);
}

/** What is wrong, first: the failed MUST clauses by cause, each with a hint where the pattern is known. */
function causesSection(r: ProfileResults): string {
  const byId = new Map(r.clauses.map((c) => [c.id, c]));
  const mustFailed = r.clauses.filter((c) => c.level === 'MUST' && c.status === 'fail');
  const others = r.clauses.filter((c) => c.level !== 'MUST' && c.status === 'fail');
  const clauseLink = (id: string) => `<a href="#${esc(id)}">${esc(id)}</a> <span class="muted">${esc(byId.get(id)?.title)}</span>`;
  const also = others.length
    ? `<p class="muted" data-testid="also-failing">Also failing, without deciding the verdict: ${others.map((c) => `<a href="#${esc(c.id)}">${esc(c.id)}</a> (${c.level})`).join(', ')}.</p>`
    : '';
  if (!r.causes.length) {
    if (!others.length) return '';
    return `<section class="ok-box" data-testid="causes"><p>No MUST clause failed.</p>${also}</section>`;
  }
  const items = r.causes
    .map(
      (cause) => `<li id="${esc(cause.id)}" class="cause" data-testid="cause">
${cause.hint ? `<p class="hint" data-testid="hint">${esc(cause.hint)}</p><div class="muted" data-testid="cause-title">Seen as ${prose(cause.title)}</div>` : `<div data-testid="cause-title"><strong>${prose(cause.title)}</strong></div>`}
<div>Fails ${cause.clauses.length === 1 ? '' : `${cause.clauses.length} clauses: `}${cause.clauses.map(clauseLink).join('; ')} <span class="muted">(${plural(cause.findings, 'finding')})</span></div></li>`,
    )
    .join('');
  return `<section class="causes" data-testid="causes"><h2>What is wrong</h2>
<p data-testid="cause-count">${plural(mustFailed.length, 'MUST clause')} failed, from ${plural(r.causes.length, 'cause')}:</p>
<ol class="cause-list">${items}</ol>${also}</section>`;
}

/** What the run made on the target, and whether all of it is gone. */
function cleanup(r: ProfileResults): string {
  const c = r.cleanup;
  if (!c) return '';
  const made = Object.entries(c.made).map(([kind, n]) => `${n} ${esc(kind)}${n === 1 ? '' : 's'}`).join(', ') || 'nothing';
  const item = (f: { kind: string; id: string; name?: string; reason?: string }) => `<li><code>${esc(f.kind)} ${esc(f.id)}</code>${f.name ? ` ${esc(f.name)}` : ''}${f.reason ? `: ${esc(f.reason)}` : ''}</li>`;
  // The run's directory holds its ledger: sweep reads the run id, the profile and the target there.
  const sweep = `<code>snapshot-conformance sweep --report-dir DIR</code> (DIR: this report's directory; the token in SC_TOKEN)`;
  const unconfirmed = c.unconfirmed ?? [];
  let said: string;
  if (c.error) said = `The clean-up after the tests could not run (${esc(c.error)}): remove what is left with ${sweep}.`;
  else if (c.readOnly) said = c.notRemoved.length ? `Read-only run, yet ${c.notRemoved.length} resource(s) named for it exist:<ul>${c.notRemoved.map(item).join('')}</ul>` : 'Read-only run: it made nothing, and nothing named for it exists on the target.';
  else {
    said = `The run made ${made}. `;
    said += c.removed.length ? `After the tests, ${c.removed.length} resource(s) they left were removed:<ul>${c.removed.map(item).join('')}</ul>` : 'Its tests removed all of it themselves. ';
    if (c.notRemoved.length) said += `<strong>Still on the target</strong>, as a fresh read after the clean-up saw (remove with ${sweep}):<ul>${c.notRemoved.map(item).join('')}</ul>`;
    if (unconfirmed.length) said += `<strong>Perhaps still on the target</strong>: their removal went wrong and no fresh read could tell (check, or run ${sweep}):<ul>${unconfirmed.map(item).join('')}</ul>`;
    if (!c.notRemoved.length && !unconfirmed.length) said += 'Nothing of this run is left on the target.';
  }
  return `<h2>Clean-up</h2><div data-testid="cleanup" class="cleanup${c.error || c.notRemoved.length || unconfirmed.length ? ' bad' : ''}">${said}</div>`;
}

function areaSection(area: string, r: ProfileResults, exchanges: Map<string, StoredExchange>, headers: readonly string[]): string {
  const clauses = r.clauses.filter((c) => c.area === area);
  if (!clauses.length) return '';
  return `<section class="area" data-area="${area}"><h3>${esc(area)}</h3>${clauses.map((c) => clauseRow(c, r, exchanges, headers)).join('')}</section>`;
}

/** What the search box finds a clause by: its id and title, and everything its findings say. */
function searchText(c: ClauseResult, exchanges: Map<string, StoredExchange>): string {
  const words = [c.id, c.title];
  for (const f of c.findings) {
    words.push(f.title ?? '', f.expected ?? '', f.actual ?? '', f.pointer ?? '', f.check, f.context ?? '');
    for (const o of f.occurrences) {
      words.push(o.context ?? '');
      for (const id of o.exchanges) {
        const e = exchanges.get(id);
        if (!e) continue;
        words.push(e.operation ?? '', e.request.method, e.response ? String(e.response.status) : 'no answer', faultNameOf(e) ?? '');
      }
    }
  }
  return [...new Set(words.filter(Boolean))].join(' ').toLowerCase();
}

function clauseRow(c: ClauseResult, r: ProfileResults, exchanges: Map<string, StoredExchange>, headers: readonly string[]): string {
  const open = c.status === 'fail' ? ' open' : '';
  const search = c.findings.length ? ` data-search="${esc(searchText(c, exchanges))}"` : '';
  return `<details class="clause" id="${esc(c.id)}" data-status="${c.status}" data-level="${c.level}"${search} data-clause="${esc(c.id)}"${open}>
<summary><strong>${esc(c.id)}</strong><span class="lvl">${c.level}</span><span class="badge s-${c.status}">${STATUS_LABEL[c.status]}${c.unexpectedPass ? ' (unexpected)' : ''}</span><span>${esc(c.title)}${c.findings.length ? ` <span class="muted">(${plural(c.findings.length, 'finding')})</span>` : ''}</span></summary>
<div class="body">
<p>${esc(c.text)}</p>
<p class="muted source">Vendor's page: <a class="vendor" href="${esc(c.url)}" rel="noreferrer">${esc(hostOf(c.url))}</a>${c.passes ? ` · held in ${c.passes} check(s)` : ''}</p>
<p class="muted notes" data-testid="notes">${NOTES}: ${c.source.map(esc).join('; ')}</p>
${c.reason ? `<p><em>${esc(c.reason)}</em></p>` : ''}${c.evidence ? `<p class="muted">Evidence: ${esc(c.evidence)}</p>` : ''}
${c.contradiction ? `<p class="muted">Sources disagree: ${esc(c.contradiction.summary)} Decision: ${esc(c.contradiction.decision)}</p>` : ''}
${c.findings.map((f, i) => finding(f, `${c.id}-${i}`, r, exchanges, headers)).join('')}
</div></details>`;
}

const hostOf = (url: string) => url.replace(/^https:\/\/([^/]+).*$/, '$1');

/**
 * How the clauses' `source` entries are shown: the profile authors' research notes (a reference
 * folder kept outside the package), named as text for whoever keeps them, never as a file to open.
 * The vendor's public page is the citation a reader can follow.
 */
const NOTES = "Written from the profile authors' notes (not in the package)";

/** Where the reader finds how to read this page: the package's own documents (they ship with it). */
const ABOUT = `<footer class="muted" data-testid="about"><p>How to read this report: the section "Reading the report" of README.md; clauses, checks and expectations files: docs/clauses.md; what a run does and how it cleans up: docs/architecture.md. All are in the snapshot-conformance package (<code>node_modules/snapshot-conformance/</code>).</p></footer>`;

function finding(f: ReportedFinding, key: string, r: ProfileResults, exchanges: Map<string, StoredExchange>, headers: readonly string[]): string {
  const ce = f.counterexample;
  const known = r.checks.some((c) => c.id === f.check);
  const cause = f.cause ? r.causes.find((c) => c.id === f.cause) : undefined;
  const more = [
    f.occurrencesNotListed ? `${plural(f.occurrencesNotListed, 'more occurrence')} not listed` : '',
    f.exchangesNotKept ? `${plural(f.exchangesNotKept, 'more exchange')} not kept` : '',
  ].filter(Boolean);
  return `<div class="finding"${f.cause ? ` data-cause="${esc(f.cause)}"` : ''}><h4>${prose(f.title)}${f.count > 1 ? ` <span class="muted">×${f.count}</span>` : ''}</h4>
<table><tr><th>expected</th><td>${esc(f.expected)}</td></tr><tr><th>got</th><td>${esc(f.actual)}</td></tr>
${f.pointer ? `<tr><th>at</th><td><code>${esc(f.pointer)}</code></td></tr>` : ''}
<tr><th>check</th><td>${known ? `<a class="check" href="#check-${esc(f.check)}"><code>${esc(f.check)}</code></a>` : `<code>${esc(f.check)}</code>`}</td></tr></table>
${f.sameExchangeAs?.length ? `<p class="same" data-testid="same-exchange">Same exchange as ${f.sameExchangeAs.map((id) => `<a href="#${esc(id)}">${esc(id)}</a>`).join(', ')}</p>` : ''}
${cause && cause.clauses.length > 1 ? `<p class="muted">Cause: <a href="#${esc(cause.id)}">${prose(cause.title)}</a></p>` : ''}
${ce ? `<p><strong>Shrunk counterexample</strong> (seed ${ce.seed}, path ${esc(ce.path)}, after ${ce.runs} run(s)):</p><pre>${esc(ce.commands.join('\n'))}</pre>
${ce.shrink ? `<p class="muted" data-testid="shrink">Shrinking took ${ce.shrink.steps} step(s) in ${ce.shrink.seconds} s${ce.shrink.stoppedByBudget ? `, and was stopped by its time budget of ${ce.shrink.budgetSeconds} s (--shrink-budget): the case above is the smallest found by then` : ''}.</p>` : ''}
<p>Replay exactly this case: <button class="copy" data-target="replay-${key}">copy</button></p><pre id="replay-${key}">${esc(ce.replay)}</pre>` : ''}
<ol class="occ" data-testid="occurrences">${f.occurrences
    .map((o, i) => {
      const shown = o.exchanges.map((id) => exchanges.get(id)).filter((e): e is StoredExchange => Boolean(e));
      const label = o.context ? esc(o.context) : `<span class="muted">${esc([...new Set(shown.map((e) => e.operation ?? `${e.request.method} request`))].join(', ') || 'no step named')}</span>`;
      return `<li data-testid="occurrence">${label}${o.count > 1 ? ` <span class="muted">×${o.count}</span>` : ''}${shown.map((e, j) => exchange(e, `${key}-${i}-${j}`, headers)).join('')}</li>`;
    })
    .join('')}</ol>
${more.length ? `<p class="muted" data-testid="not-kept">${more.join('; ')}.</p>` : ''}
</div>`;
}

function fold(text: string): string {
  if (text.length <= FOLD) return `<pre>${esc(text)}</pre>`;
  return `<pre>${esc(text.slice(0, FOLD))}</pre><details><summary class="muted">${text.length - FOLD} more characters</summary><pre>${esc(text.slice(FOLD))}</pre></details>`;
}

const headerText = (h: Record<string, string>) => Object.entries(h).map(([k, v]) => `${k}: ${v}`).join('\n');

function exchange(e: StoredExchange, key: string, headers: readonly string[]): string {
  const curl = curlCommand(e, headers);
  const variables = variablesOf(curl);
  const status = e.response ? `${e.response.status}${faultNameOf(e) ? ` ${faultNameOf(e)}` : ''}` : `no answer: ${e.error}`;
  return `<details class="ex" data-exchange="${esc(e.id)}"><summary>${esc(e.request.method)} ${esc(e.request.url)} → ${esc(status)} <span class="muted">(${e.operation ? `${esc(e.operation)}, ` : ''}${e.durationMs} ms)</span></summary>
<p class="muted">Request</p><pre>${esc(headerText(e.request.headers))}</pre>${e.request.body !== undefined ? fold(e.request.body) : ''}
${e.response ? `<p class="muted">Response ${e.response.status}${e.response.truncated ? ` (body cut at ${e.response.body.length} of ${e.response.bodyBytes} bytes)` : ''}</p><pre>${esc(headerText(e.response.headers))}</pre>${e.response.body ? fold(prettyJson(e.response.body)) : ''}` : ''}
<p class="muted">Replay${variables.length ? ` (set ${variables.map((v) => `<code>${v}</code>`).join(', ')} first)` : ''} <button class="copy" data-target="curl-${key}">copy</button></p><pre id="curl-${key}" class="curl">${esc(curl)}</pre>
</details>`;
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** The checks the findings name, each an anchor the findings link to. */
function checksSection(r: ProfileResults): string {
  if (!r.checks.length) return '';
  return `<h2>Checks</h2><p class="muted">What each check named in a finding holds to.</p><dl class="checks" data-testid="checks">${r.checks
    .map((c) => `<dt id="check-${esc(c.id)}">${esc(c.id)}</dt><dd>${esc(c.summary)}</dd>`)
    .join('')}</dl>`;
}

function defects(r: ProfileResults): string {
  const list = r.clauses.filter((c) => c.contradiction?.defect);
  if (!list.length) return '';
  return `<h2>Reference defects</h2><p class="muted">Where the vendor's own text contradicts what this profile checks. The clause holds to the decision; the defect is in the cited text.</p>
${list.map((c) => `<div class="defect"><a href="#${esc(c.id)}"><strong>${esc(c.id)}</strong></a> ${esc(c.contradiction!.summary)}<br><span class="muted">The vendor's page: <a class="vendor" href="${esc(c.url)}" rel="noreferrer">${esc(hostOf(c.url))}</a>. ${NOTES}: the defect is in ${esc(c.contradiction!.defect)}.</span>
<ul>${c.contradiction!.positions.map((p) => `<li>${esc(p.says)} <span class="muted">(${esc(p.source)})</span></li>`).join('')}</ul>Decision: ${esc(c.contradiction!.decision)}</div>`).join('')}`;
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

/**
 * The page of a run of several profiles: one row per profile with its verdict, counts, causes and
 * duration, linking to its page. Fits a narrow window: the target wraps instead of widening the table.
 */
export function summaryPage(all: ProfileResults[], links: Record<string, string>): string {
  const ok = all.every((r) => r.verdict === 'conformant');
  const clean = all.every((r) => r.exitCode === 0);
  const rows = all
    .map((r) => {
      const s = r.summary;
      return `<tr data-profile="${esc(r.profile)}"><td class="target"><a href="${esc(links[r.profile])}"><strong>${esc(r.profile)}</strong></a><div class="muted">${esc(r.title)}</div><div class="muted">${esc(r.target)}</div></td>
<td><span class="badge ${r.exitCode === 0 ? 's-pass' : 's-fail'}" data-testid="verdict">${esc(r.verdict)}</span>${r.ended ? `<div class="muted">ended early</div>` : ''}</td>
<td class="n" data-testid="passed">${s.passed}</td><td class="n" data-testid="failed">${s.failed}</td><td class="n" data-testid="skipped">${s.skipped}</td><td class="n" data-testid="expected">${s.expectedFailures}</td><td class="n" data-testid="causes">${s.causes ?? 0}</td><td class="n" data-testid="duration">${seconds(r.profileDurationMs ?? r.durationMs)}</td></tr>`;
    })
    .join('');
  const total = all[0] ? Math.max(...all.map((r) => r.durationMs)) : 0;
  const body = `<h1>Conformance run</h1>
<div class="verdict ${clean ? 'ok' : 'bad'}" data-testid="run-verdict">${ok ? 'All profiles conformant' : clean ? 'No failure found' : 'Not conformant'}</div>
<dl class="meta"><dt>Tool</dt><dd>${esc(all[0]?.tool)} ${esc(all[0]?.version)}</dd><dt>Started</dt><dd>${esc(all[0]?.startedAt)}</dd><dt>Duration</dt><dd>${seconds(total)}</dd><dt>Seed</dt><dd>${all[0]?.seed}</dd></dl>
<table class="profiles" data-testid="profiles"><tr><th>Profile</th><th>Verdict</th><th class="n">pass</th><th class="n">fail</th><th class="n">not tested</th><th class="n">expected fail</th><th class="n">causes</th><th class="n">duration</th></tr>${rows}</table>
<p class="muted">Counts are clauses; causes group the failed MUST clauses by what they have in common.</p>`;
  return page(`Conformance run: ${ok ? 'conformant' : clean ? 'no failure found' : 'not conformant'}`, body, '');
}
