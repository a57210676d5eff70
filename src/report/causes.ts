// What is wrong, by cause rather than by clause. One defect of a target fails several clauses (a
// create that answers 500 fails the create contract and the refusal of a bad body; authentication
// switched off fails every auth clause on every operation), and a reader wants the defect first.
//
// Findings belong to one cause when their evidence is the same exchange, or the same request
// pattern: method, path template, status and fault name (and whether the request was one sent
// without a valid token on purpose). The grouping is transitive. Pure: the results feed it, the
// report and results.json show it.
import type { StoredExchange, Timing } from '../findings/types.ts';

export interface Cause {
  /** "cause-1", "cause-2"...: the largest first. */
  id: string;
  /** The request pattern most of its evidence shares, or the title of its finding. */
  title: string;
  /** What to look at, where the pattern is a known one. */
  hint?: string;
  /** The clauses it fails, in the order given. */
  clauses: string[];
  /** How many findings it explains. */
  findings: number;
}

/** A finding as the grouping sees it. */
export interface CauseFinding {
  clause: string;
  check: string;
  title?: string;
  /** Every exchange kept as evidence of it. */
  exchanges: string[];
}

export interface CauseContext {
  exchanges: ReadonlyMap<string, StoredExchange>;
  /** The path template of an exchange's operation ("/snapshots/{snapshot_id}"), when known. */
  template?: (ex: StoredExchange) => string | undefined;
  /** Every request the run judged, by operation and status: hints that speak of every request need them. */
  timings?: readonly Timing[];
  /** The profile's create operation (its answers say whether the parent is usable). */
  createOperation?: string;
}

export const HINTS = {
  baseUrl: 'Every request answered 404: check the base URL (the endpoint as the service catalog gives it, version and project included).',
  authOff: 'Requests without a token, or with an invalid one, succeed: authentication is off on the target.',
  parent: 'No create succeeded, and creates answer with a server error: the parent volume is not usable (check that it exists, is available and belongs to this project).',
} as const;

/** The name an error body gives its fault: Cinder's wrapper key (computeFault), or an error code (EVS.0001, DWS.0015). */
export function faultNameOf(ex: StoredExchange): string | undefined {
  const body = ex.response?.body;
  if (!body || !body.trimStart().startsWith('{')) return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return undefined;
  const obj = doc as Record<string, unknown>;
  if (typeof obj.error_code === 'string') return obj.error_code;
  const keys = Object.keys(obj);
  if (keys.length !== 1) return undefined;
  const inner = obj[keys[0]!];
  if (!inner || typeof inner !== 'object' || Array.isArray(inner)) return undefined;
  const fields = inner as Record<string, unknown>;
  if (!('message' in fields) && !('code' in fields)) return undefined;
  // A generic wrapper ({"error": {"code": "EVS.0001"}}) is named by its code.
  if (keys[0] === 'error' && typeof fields.code === 'string') return fields.code;
  return keys[0];
}

/** A URL's path with its ids replaced, for exchanges without a known operation. */
export function pathTemplate(url: string): string {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    path = url.split('?')[0]!;
  }
  return path
    .split('/')
    .map((seg) => (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(seg) || /^[0-9a-f]{16,}$/i.test(seg) || /^\d+$/.test(seg) ? '{id}' : seg))
    .join('/');
}

interface Pattern {
  key: string;
  text: string;
}

function patternOf(ex: StoredExchange, ctx: CauseContext): Pattern {
  const method = ex.request.method;
  const template = ctx.template?.(ex) ?? pathTemplate(ex.request.url);
  const status = ex.response ? String(ex.response.status) : 'no answer';
  const fault = faultNameOf(ex) ?? '';
  const probe = ex.purpose === 'auth' ? 'probe' : '';
  const text = `${method} ${template}${probe ? ' without a valid token' : ''} → ${status}${fault ? ` ${fault}` : ''}`;
  return { key: [method, template, status, fault, probe].join('\u0000'), text };
}

/** The causes of a list of findings, largest first, and the id of each finding's cause (same order as given). */
export function groupCauses(findings: readonly CauseFinding[], ctx: CauseContext): { causes: Cause[]; causeOf: string[] } {
  // Union-find over the findings: joined by a shared exchange or a shared pattern.
  const parent = findings.map((_, i) => i);
  const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i]!)));
  const join = (a: number, b: number) => {
    const ra = root(a);
    const rb = root(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  const firstBy = new Map<string, number>();
  const patterns = findings.map((f, i) => {
    const mine = new Map<string, Pattern>();
    for (const id of f.exchanges) {
      const seen = firstBy.get(`x\u0000${id}`);
      if (seen === undefined) firstBy.set(`x\u0000${id}`, i);
      else join(seen, i);
      const ex = ctx.exchanges.get(id);
      if (!ex) continue;
      const p = patternOf(ex, ctx);
      mine.set(p.key, p);
      const samePattern = firstBy.get(`p\u0000${p.key}`);
      if (samePattern === undefined) firstBy.set(`p\u0000${p.key}`, i);
      else join(samePattern, i);
    }
    return mine;
  });

  const groupsOf = () => {
    const groups = new Map<number, number[]>();
    findings.forEach((_, i) => groups.set(root(i), [...(groups.get(root(i)) ?? []), i]));
    return [...groups.values()];
  };
  const exchangesOf = (members: number[]) =>
    [...new Set(members.flatMap((i) => findings[i]!.exchanges))].map((id) => ctx.exchanges.get(id)).filter((e): e is StoredExchange => Boolean(e));
  // A known pattern is one cause, whatever the statuses it shows (200 to a list, 202 to a create).
  const byHint = new Map<string, number>();
  for (const members of groupsOf()) {
    const hint = hintFor(exchangesOf(members), ctx);
    if (!hint) continue;
    const seen = byHint.get(hint);
    if (seen === undefined) byHint.set(hint, members[0]!);
    else join(seen, members[0]!);
  }
  // With authentication off, a probe the target did not refuse for its token (a 400 or a 404 from
  // the operation itself) is the same cause: the request went through.
  const authOff = [...byHint.entries()].find(([hint]) => hint === HINTS.authOff)?.[1];
  if (authOff !== undefined) {
    for (const members of groupsOf()) {
      const exchanges = exchangesOf(members);
      if (exchanges.length && exchanges.every((e) => e.purpose === 'auth' && e.response && e.response.status !== 401 && e.response.status !== 403)) join(authOff, members[0]!);
    }
  }
  const causes = groupsOf().map((members) => {
    const clauses = [...new Set(members.map((i) => findings[i]!.clause))];
    const exchanges = exchangesOf(members);
    // The pattern most of the group's exchanges share names it.
    const tally = new Map<string, { text: string; n: number }>();
    for (const i of members) for (const p of patterns[i]!.values()) tally.set(p.key, { text: p.text, n: (tally.get(p.key)?.n ?? 0) + 1 });
    const ranked = [...tally.values()].sort((a, b) => b.n - a.n);
    const title = ranked.length
      ? `${ranked[0]!.text}${ranked.length > 1 ? ` (and ${ranked.length - 1} more request pattern${ranked.length > 2 ? 's' : ''})` : ''}`
      : (findings[members[0]!]!.title ?? findings[members[0]!]!.check);
    return { title, hint: hintFor(exchanges, ctx), clauses, findings: members.length, members };
  });
  causes.sort((a, b) => b.clauses.length - a.clauses.length || b.findings - a.findings || a.members[0]! - b.members[0]!);
  const causeOf: string[] = [];
  const list = causes.map(({ members, hint, ...c }, i) => {
    const id = `cause-${i + 1}`;
    for (const m of members) causeOf[m] = id;
    return { id, ...c, ...(hint ? { hint } : {}) };
  });
  return { causes: list, causeOf };
}

function hintFor(exchanges: StoredExchange[], ctx: CauseContext): string | undefined {
  if (!exchanges.length) return undefined;
  const status = (e: StoredExchange) => e.response?.status ?? 0;
  const timings = ctx.timings ?? [];
  // Probes only, none refused for the token, and some succeeded.
  if (exchanges.every((e) => e.purpose === 'auth' && e.response && status(e) !== 401 && status(e) !== 403) && exchanges.some((e) => status(e) >= 200 && status(e) < 300)) return HINTS.authOff;
  if (exchanges.every((e) => status(e) === 404) && (timings.length ? timings.every((t) => t.status === 404) : new Set(exchanges.map((e) => e.operation)).size > 1)) return HINTS.baseUrl;
  // No create succeeded, and the ones here failed on the server's side: the parent is the suspect
  // (deliberately bad creates may still be refused with 400, and token probes with 401).
  const create = ctx.createOperation;
  if (create && exchanges.some((e) => e.operation === create && status(e) >= 500)) {
    const creates = timings.filter((t) => t.operation === create);
    if (creates.length && !creates.some((t) => t.status >= 200 && t.status < 300)) return HINTS.parent;
  }
  return undefined;
}
