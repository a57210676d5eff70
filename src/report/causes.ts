// What is wrong, by defect rather than by clause or by request. One defect of a target fails
// several clauses (a snapshot answer without `size` fails the contract of every operation that
// answers a snapshot; authentication switched off fails every auth clause on every operation), and
// two defects can meet on one request (an answer without `size` that also has the wrong status). A
// reader wants each defect once, said in the words of the API.
//
// Findings are one cause when they say the same thing is wrong:
//   - a member of a successful answer breaks the same rule (`size` is missing), whatever the
//     operation and clause;
//   - error answers break the clause's envelope;
//   - a request the clause says must be refused gets the same kind of answer (accepted, a 500
//     computeFault, the wrong 4xx), or any other check fails the same way on the same clause;
//   - requests without a body (reads, deletes) get the same answer on the same path (a show of an
//     unknown id answering 500 is one defect, whichever clause met it): a request with a body is not
//     joined this way, as its body is what differs between two defects (a missing volume_id, a body
//     that is not JSON);
//   - a known pattern (authentication off, a wrong base URL) holds for all of them.
// An undocumented status is a consequence, not a defect: it goes with the defect its request shows.
// Sharing an exchange alone joins nothing. Pure: the results feed it, the report shows it.
import type { StoredExchange, Timing } from '../findings/types.ts';

export interface Cause {
  /** "cause-1", "cause-2"...: the largest first. */
  id: string;
  /** What is wrong, in words ("`size` is missing (in the answers of ...)"). */
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
  /** What the clause holds to, in the profile's words ("An unknown snapshot is 404"). */
  clauseTitle?: string;
  check: string;
  title?: string;
  /** Every exchange kept as evidence of it. */
  exchanges: string[];
  /** What the tests were doing when they made it ("createSnapshot with a body that is not JSON"). */
  contexts?: string[];
  /** The operations it was made on. */
  operations?: string[];
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

/** Checks whose finding is about the answer's status as a whole, not a member of it. */
const ANSWER_CHECKS = new Set(['refusal.status', 'status.expected', 'status.accepted', 'status.documented', 'state.reached', 'state.initial']);
/** A status the operation does not document follows from what made the request fail. */
const CONSEQUENCE = 'status.documented';
/** Which finding names a cause, first: the most particular kinds of defect. */
const RANK: Record<string, number> = { 'status.expected': 0, 'status.accepted': 0, 'refusal.status': 1, 'body.schema': 1, 'envelope.shape': 1, 'state.reached': 4, [CONSEQUENCE]: 5 };
const BODILESS = new Set(['GET', 'HEAD', 'DELETE']);

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

/** "a, b and c"; past four, "a, b, c, d and 3 more". */
function words(list: readonly string[]): string {
  if (list.length <= 1) return list[0] ?? '';
  if (list.length > 4) return `${list.slice(0, 4).join(', ')} and ${list.length - 4} more`;
  return `${list.slice(0, -1).join(', ')} and ${list.at(-1)}`;
}

const mostCommon = (values: Array<string | undefined>) => {
  const tally = new Map<string, number>();
  for (const v of values) if (v) tally.set(v, (tally.get(v) ?? 0) + 1);
  return [...tally.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
};

/** The causes of a list of findings, largest first, and the id of each finding's cause (same order as given). */
export function groupCauses(findings: readonly CauseFinding[], ctx: CauseContext): { causes: Cause[]; causeOf: string[] } {
  const parent = findings.map((_, i) => i);
  const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i]!)));
  const join = (a: number, b: number) => {
    const ra = root(a);
    const rb = root(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  const exchangesOf = (i: number) => findings[i]!.exchanges.map((id) => ctx.exchanges.get(id)).filter((e): e is StoredExchange => Boolean(e));
  const faultOf = findings.map((_, i) => mostCommon(exchangesOf(i).map(faultNameOf)));
  const key = findings.map((f, i) => defectKey(f, faultOf[i]));
  const consequence = (i: number) => findings[i]!.check === CONSEQUENCE;

  // The same defect: the same key.
  const byKey = new Map<string, number>();
  const joinBy = (k: string, i: number) => {
    const seen = byKey.get(k);
    if (seen === undefined) byKey.set(k, i);
    else join(seen, i);
  };
  findings.forEach((_, i) => {
    if (!consequence(i)) joinBy(`k\u0000${key[i]}`, i);
  });

  // A consequence goes with the defect its requests show; one whose requests show none is a
  // finding of its own (an undocumented 500 on reads that nothing else judged).
  const byExchange = new Map<string, number[]>();
  findings.forEach((f, i) => {
    if (!consequence(i)) for (const id of f.exchanges) byExchange.set(id, [...(byExchange.get(id) ?? []), i]);
  });
  const alsoFails = new Map<number, Set<number>>(); // finding -> the findings whose causes it also fails
  const attachedTo = new Map<number, number>();
  findings.forEach((f, i) => {
    if (!consequence(i)) return;
    const shared = new Map<number, number>();
    for (const id of f.exchanges) for (const j of byExchange.get(id) ?? []) shared.set(j, (shared.get(j) ?? 0) + 1);
    if (!shared.size) return joinBy(`k\u0000${key[i]}`, i);
    const ranked = [...shared.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    attachedTo.set(i, ranked[0]![0]);
    alsoFails.set(i, new Set(ranked.map(([j]) => j)));
  });

  // The same answer to the same request: one defect, where the request's body cannot be what
  // differs. Reads and deletes have none; and where a request as documented gets a server error
  // too, the target fails there whatever the body (a 500 to every write when busy).
  const answerOf = (ex: StoredExchange) => [ex.request.method, ctx.template?.(ex) ?? pathTemplate(ex.request.url), ex.response ? ex.response.status : 'no answer', faultNameOf(ex) ?? '', ex.purpose === 'auth' ? 'probe' : ''].join('\u0000');
  const answering = (i: number) => ANSWER_CHECKS.has(findings[i]!.check) && !attachedTo.has(i) && !(findings[i]!.check.startsWith('state.') && !/HTTP \d{3}/.test(findings[i]!.title ?? ''));
  const failsAnyway = new Set<string>();
  findings.forEach((_, i) => {
    if (answering(i)) for (const ex of exchangesOf(i)) if (!ex.purpose && (ex.response?.status ?? 500) >= 500) failsAnyway.add(answerOf(ex));
  });
  findings.forEach((_, i) => {
    if (!answering(i)) return;
    for (const ex of exchangesOf(i)) {
      const answer = answerOf(ex);
      if ((BODILESS.has(ex.request.method) && ex.request.body === undefined) || failsAnyway.has(answer)) joinBy(`p\u0000${answer}`, i);
    }
  });

  for (const [i, j] of attachedTo) join(i, j);

  const groupsOf = () => {
    const groups = new Map<number, number[]>();
    findings.forEach((_, i) => groups.set(root(i), [...(groups.get(root(i)) ?? []), i]));
    return [...groups.values()];
  };
  const evidenceOf = (members: number[]) => [...new Map(members.flatMap(exchangesOf).map((e) => [e.id, e])).values()];
  // A known pattern is one cause, whatever the statuses it shows (200 to a list, 202 to a create).
  const byHint = new Map<string, number>();
  for (const members of groupsOf()) {
    const hint = hintFor(evidenceOf(members), ctx);
    if (!hint) continue;
    const seen = byHint.get(hint);
    if (seen === undefined) byHint.set(hint, members[0]!);
    else join(seen, members[0]!);
  }
  // With authentication off, a probe the target did not refuse for its token (a 400 or a 404 from
  // the operation itself) is the same cause: the request went through.
  const authOff = byHint.get(HINTS.authOff);
  if (authOff !== undefined) {
    for (const members of groupsOf()) {
      const evidence = evidenceOf(members);
      if (evidence.length && evidence.every((e) => e.purpose === 'auth' && e.response && e.response.status !== 401 && e.response.status !== 403)) join(authOff, members[0]!);
    }
  }

  const groups = groupsOf().map((members) => {
    // The clauses it fails: its findings', and those of consequences that came with it.
    const clauses = new Set(members.map((i) => findings[i]!.clause));
    for (const [i, others] of alsoFails) if ([...others].some((j) => members.includes(j))) clauses.add(findings[i]!.clause);
    const hint = hintFor(evidenceOf(members), ctx);
    return { members, clauses: [...clauses], hint, title: titleOf(members, findings, key, faultOf) };
  });
  groups.sort((a, b) => b.clauses.length - a.clauses.length || b.members.length - a.members.length || a.members[0]! - b.members[0]!);
  const causeOf: string[] = [];
  const causes = groups.map(({ members, clauses, hint, title }, n) => {
    const id = `cause-${n + 1}`;
    for (const m of members) causeOf[m] = id;
    return { id, title, ...(hint ? { hint } : {}), clauses, findings: members.length };
  });
  return { causes, causeOf };
}

/** What makes two findings the same defect (see the top of this file). */
function defectKey(f: CauseFinding, fault: string | undefined): string {
  switch (f.check) {
    case 'body.schema':
      return ['schema', f.title].join('\u0000');
    case 'envelope.shape':
      return ['envelope', f.clause].join('\u0000');
    case CONSEQUENCE:
      return [CONSEQUENCE, f.title, fault ?? ''].join('\u0000');
    case 'refusal.status':
      // Accepted is accepted, whichever 2xx said so.
      return ['refusal', f.clause, (f.title ?? '').replace(/^accepted \(\d{3}\)/, 'accepted'), fault ?? ''].join('\u0000');
    default:
      return [f.check, f.clause, f.title ?? '', ANSWER_CHECKS.has(f.check) ? (fault ?? '') : ''].join('\u0000');
  }
}

/** A cause's title: what is wrong, said from its most particular finding, with where it was seen. */
function titleOf(members: number[], findings: readonly CauseFinding[], key: string[], faultOf: Array<string | undefined>): string {
  const lead = [...members].sort((a, b) => (RANK[findings[a]!.check] ?? 3) - (RANK[findings[b]!.check] ?? 3) || findings[b]!.exchanges.length - findings[a]!.exchanges.length || a - b)[0]!;
  const f = findings[lead]!;
  const same = members.filter((i) => key[i] === key[lead]).map((i) => findings[i]!);
  const operations = [...new Set(same.flatMap((x) => x.operations ?? []))];
  const title = f.title ?? f.check;
  const fault = faultOf[lead];
  // Every status the answers had ("accepted (200, 202)"), with the fault they named.
  const statuses = [...new Set(same.map((x) => /\((\d{3})\)/.exec(x.title ?? '')?.[1]).filter(Boolean))].join(', ');
  const answer = title.replace(/\(\d{3}\)/, `(${statuses}${fault ? ` ${fault}` : ''})`).replace(/ with (\d{3})\b/, `$&${fault ? ` ${fault}` : ''}`);
  const inOperations = operations.length ? ` (${words(operations)})` : '';
  switch (f.check) {
    case 'body.schema':
      return `${title}${operations.length ? ` (in the answers of ${words(operations)})` : ''}`;
    case 'envelope.shape': {
      const rules = [...new Set(same.map((x) => (x.title ?? '').replace(/^error envelope: /, '')))];
      return `error answers are not in the documented envelope: ${rules.slice(0, 3).join('; ')}${rules.length > 3 ? `; and ${rules.length - 3} more` : ''}`;
    }
    case 'refusal.status':
    case 'status.accepted': {
      // What was asked: the case every place names, else the clause (what must hold) and where.
      const subject = requestCase(same, operations);
      return subject ? `${subject}: ${answer}` : `${f.clauseTitle ?? f.clause}: ${answer}${inOperations}`;
    }
    case 'status.expected':
    case CONSEQUENCE:
      return `${operations.length ? `${words(operations)}: ` : ''}${title}${fault ? ` (${fault})` : ''}`;
    default:
      return f.clauseTitle ? `${f.clauseTitle}: ${title}` : title;
  }
}

/**
 * The request an answer was about, from what the tests were doing: "createSnapshot with a body that
 * is not JSON", or "createSnapshot and updateSnapshot with a body that is not JSON" when every
 * place names the same case. Undefined when the places say different things.
 */
function requestCase(same: CauseFinding[], operations: string[]): string | undefined {
  const contexts = [...new Set(same.flatMap((x) => x.contexts ?? []))];
  const cases = new Set(contexts.map((c) => /^\S+ with (.+)$/.exec(c)?.[1]));
  if (contexts.length && cases.size === 1 && !cases.has(undefined)) return `${words(operations.length ? operations : contexts.map((c) => c.split(' ')[0]!))} with ${[...cases][0]}`;
  return undefined;
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
