// The Judge runs checks for a test and keeps their findings, bound to clauses. Every exchange of a
// judged operation gets the contract and envelope checks automatically; tests add the behavioural
// checks. Identical findings are counted, not repeated, so a run of thousands of exchanges stays small.
import type { Exchange } from '../http/exchange.ts';
import type { TransportListener } from '../http/transport.ts';
import { refusalStatuses, subjectOperations, successStatus, type Operation, type Profile } from '../profile/load.ts';
import { clausesIn, type Validators } from '../validate/validators.ts';
import { isNotApplicable, type Check, type Failure } from '../checks/check.ts';
import { bodyMatchesSchema, busyRetried, documentedHeaders, jsonContentType, statusDocumented, statusIs } from '../checks/contract.ts';
import { envelopeShape, faultCodeIsStatus, faultName } from '../checks/envelope.ts';
import { evidenceOf, mergeOccurrences, noteOccurrence } from './occurrences.ts';
import { addCase, CHECK_MARK, storable, type Finding, type PropertyCounterexample, type StateTiming, type TestRecord, type Timing } from './types.ts';

/** The target refused to let the test go on (over quota): not a failure of the clause tested. */
export class TargetBlocked extends Error {}

/** Thrown by Judge.require when a check fails and the test cannot go on. */
export class CheckFailed extends Error {
  constructor(readonly finding: Finding) {
    super(`${CHECK_MARK} ${finding.clause} ${finding.title}: expected ${finding.expected}, got ${finding.actual}`);
  }
}

export interface JudgeOptions {
  /** Called once per distinct failure (Playwright's soft expect, in the suite). */
  onFailure?: (finding: Finding) => void;
  /**
   * While a property explores, failures of required checks only stop the example (fast-check
   * shrinks and the minimal case is replayed and recorded); passes and contract findings count.
   */
  exploring?: boolean;
  /** Called when the target blocks the test (the suite skips it); must not return. */
  onBlocked?: (reason: string) => never;
}

const MAX_EVIDENCE = 3;

export class Judge {
  private readonly findings = new Map<string, Finding>();
  /** The first failure found on each exchange, by exchange id. */
  private readonly byExchange = new Map<string, Finding>();
  private readonly exchanges = new Map<string, Exchange>();
  private readonly timings: Timing[] = [];
  private readonly states: StateTiming[] = [];
  private context: string | undefined;

  constructor(
    readonly profile: Profile,
    readonly validators: Validators,
    private readonly options: JudgeOptions = {},
  ) {}

  /** Says what the test is doing; findings made meanwhile carry it. */
  async step<T>(context: string, body: () => Promise<T>): Promise<T> {
    const previous = this.context;
    this.context = context;
    try {
      return await body();
    } finally {
      this.context = previous;
    }
  }

  /**
   * Runs a check, records its finding(s); true when it held or did not apply. `also` names more
   * clauses the same evaluation exercises (each value compared may come from another clause):
   * they hold with it unless a failure names them.
   */
  check<I>(check: Check<I>, clause: string, input: I, evidence: Exchange[] = [], also: string[] = []): boolean {
    // A request the target kept answering "busy" was never judged on its merits: only the busy
    // clause speaks of it.
    if (check !== busyRetried && evidence.some((e) => this.stayedBusy(e))) return true;
    const verdict = check.judge(input);
    if (isNotApplicable(verdict)) return true;
    const failures = verdict;
    // A failure may name a more specific clause; the others exercised hold unless one names them.
    for (const held of new Set([clause, ...also])) {
      if (!failures.some((f) => (f.clause ?? clause) === held)) this.pass(held, check.id);
    }
    for (const f of failures) this.fail(f.clause ?? clause, check.id, f, evidence);
    return failures.length === 0;
  }

  /** Like check, but a failure stops the test (or the property example). */
  require<I>(check: Check<I>, clause: string, input: I, evidence: Exchange[] = [], also: string[] = []): void {
    const busy = evidence.find((e) => this.stayedBusy(e));
    if (busy) this.blocked(`the target stayed busy (${busy.response?.status}) through every attempt`);
    const verdict = check.judge(input);
    if (isNotApplicable(verdict) || verdict.length === 0) {
      this.check(check, clause, input, evidence, also);
      return;
    }
    if (this.options.exploring) {
      const f = verdict[0]!;
      throw new CheckFailed(this.finding(f.clause ?? clause, check.id, 'fail', f, evidence));
    }
    this.check(check, clause, input, evidence, also);
    const f = verdict[0]!;
    throw new CheckFailed(this.findings.get(key(f.clause ?? clause, check.id, f.title))!);
  }

  /** The target will not let the test go on: skip it, saying why (never a clause failure). */
  blocked(reason: string): never {
    this.options.onBlocked?.(reason);
    throw new TargetBlocked(reason);
  }

  /**
   * The answer to a request that must succeed: any other 2xx than the documented one is a
   * finding, but only a refusal stops the test. A documented over-quota refusal blocks it.
   */
  succeeded(op: Operation, exchange: Exchange, clause = op.clause ?? ''): void {
    this.unlessHeldBack(op, exchange);
    const status = exchange.response?.status ?? 0;
    if (exchange.response && !op.responses.has(String(status))) {
      // The contract already found the status undocumented: one finding for one cause. A success
      // goes on; anything else stops the test, on that finding.
      if (status >= 200 && status < 300) return;
      const found = this.byExchange.get(exchange.id);
      if (found) throw new CheckFailed(found);
    }
    const input = { exchange, expected: [successStatus(op)] };
    if (status >= 200 && status < 300) this.check(statusIs, clause, input, [exchange]);
    else this.require(statusIs, clause, input, [exchange]);
  }

  /**
   * Blocks the test when the target held the request back for a reason of its own state rather
   * than the request's: busy through every attempt, or over its quota (a documented refusal).
   */
  unlessHeldBack(op: Operation, exchange: Exchange): void {
    const held = this.heldBack(op, exchange);
    if (held) this.blocked(held);
  }

  /** Why the target held a request back for a reason of its own state (busy, over quota), if it did. */
  heldBack(op: Operation, exchange: Exchange): string | undefined {
    const status = exchange.response?.status ?? 0;
    if (this.stayedBusy(exchange)) return `the target answered ${op.id} busy (${status}) through every attempt`;
    if (refusalStatuses(op, 'over-quota').includes(status)) return `the target refused ${op.id} with ${status}: over its quota`;
    return undefined;
  }

  private stayedBusy(exchange: Exchange): boolean {
    const busy = this.profile.model.busy;
    return Boolean(busy && exchange.response?.status === busy.status && (exchange.attempt ?? 1) >= (exchange.attempts ?? busy.attempts));
  }

  /**
   * The clause could not be tested here: the precondition of its check could not be established
   * (a timing this machine or target did not allow). Never a pass, never a failure.
   */
  untestable(clause: string, check: string, reason: string): void {
    const k = key(clause, check, reason);
    const hit = this.findings.get(k);
    if (hit) hit.count++;
    else this.findings.set(k, { clause, check, outcome: 'untestable', count: 1, title: reason, context: this.context, exchanges: [] });
  }

  /** Records that a clause held, for checks made in code rather than by a Check (rare). */
  pass(clause: string, check: string): void {
    const k = key(clause, check);
    const hit = this.findings.get(k);
    if (hit) hit.count++;
    else this.findings.set(k, { clause, check, outcome: 'pass', count: 1, exchanges: [] });
  }

  fail(clause: string, check: string, failure: Failure, evidence: Exchange[] = [], counterexample?: PropertyCounterexample): Finding {
    const k = key(clause, check, failure.title);
    const hit = this.findings.get(k);
    const finding = hit ?? this.finding(clause, check, 'fail', failure, evidence, counterexample);
    if (hit) {
      hit.count++;
      // The same failure made again: where, and (within bounds) the exchanges that show it there.
      const kept = new Set(noteOccurrence(hit, this.context, evidence.slice(0, MAX_EVIDENCE).map((e) => e.id)));
      for (const ex of evidence) if (kept.has(ex.id)) this.exchanges.set(ex.id, ex);
    } else {
      finding.occurrences = [{ context: finding.context, count: 1, exchanges: [...finding.exchanges] }];
      this.findings.set(k, finding);
      for (const ex of evidence.slice(0, MAX_EVIDENCE)) this.exchanges.set(ex.id, ex);
      this.options.onFailure?.(finding);
    }
    if (evidence[0]) {
      addCase(finding, { operation: evidence[0].operation, status: evidence[0].response?.status ?? 0 });
      if (!this.byExchange.has(evidence[0].id)) this.byExchange.set(evidence[0].id, finding);
    }
    return finding;
  }


  private finding(clause: string, check: string, outcome: 'fail', f: Failure, evidence: Exchange[], counterexample?: PropertyCounterexample): Finding {
    return {
      clause,
      check,
      outcome,
      count: 1,
      title: f.title,
      expected: f.expected,
      actual: f.actual,
      pointer: f.pointer,
      context: this.context,
      operation: evidence[0]?.operation,
      status: evidence[0] ? (evidence[0].response?.status ?? 0) : undefined,
      exchanges: evidence.slice(0, MAX_EVIDENCE).map((e) => e.id),
      counterexample,
    };
  }

  /** The judge as a listener of a transport: every exchange gets the automatic checks. */
  listener(): TransportListener {
    return { received: (exchange) => this.exchange(exchange, exchange.operation ? this.profile.operations.get(exchange.operation) : undefined) };
  }

  /**
   * The automatic checks of one exchange. Every answer of the profile's operations: its envelope and
   * its media type. A request that should succeed: also the contract of its operation (status, body,
   * headers). A request the target must refuse, or one sent without a valid token, is judged by the
   * refusal and auth clauses its test names, never by the operation's contract: one cause, one finding.
   */
  exchange(exchange: Exchange, op?: Operation): void {
    if (op && exchange.response) this.timings.push({ operation: op.id, status: exchange.response.status, ms: exchange.durationMs });
    const c = this.profile.model;
    const ev = [exchange];
    // Being busy is the target's state, whatever the operation (a volume's create too).
    if (c.busy) this.check(busyRetried, c.busy.clause, { exchange, busyStatus: c.busy.status, attempts: c.busy.attempts }, ev);
    if (!op || !op.clause || !op.tags.includes(c.subject)) return;
    const input = { exchange, operation: op, validators: this.validators };
    if (exchange.purpose) {
      this.check(jsonContentType, c.contentType, { exchange }, ev);
      return this.envelope(exchange);
    }
    this.check(statusDocumented, op.clause, input, ev);
    if (this.check(bodyMatchesSchema, op.clause, input, ev)) {
      const schema = op.responses.get(String(exchange.response?.status))?.schemaPointer;
      if (schema && (exchange.response?.status ?? 0) < 400) for (const clause of this.validators.clausesIn(schema)) this.pass(clause, bodyMatchesSchema.id);
    }
    this.check(jsonContentType, c.contentType, { exchange }, ev);
    if (this.check(documentedHeaders, op.clause, input, ev)) {
      for (const h of op.responses.get(String(exchange.response?.status))?.headers ?? []) if (h.required && h.clause) this.pass(h.clause, documentedHeaders.id);
    }
    this.envelope(exchange);
  }

  /** An error answer carries the profile's envelope, its code the status, its name the documented one. */
  private envelope(exchange: Exchange): void {
    const ev = [exchange];
    const envelope = this.profile.model.envelope;
    if (this.check(envelopeShape, envelope.shape, { exchange, validators: this.validators, schemaPointer: envelope.schema }, ev)) {
      if (envelope.status) this.check(faultCodeIsStatus, envelope.status.clause, { exchange, at: envelope.status.at }, ev);
      if (envelope.names) this.check(faultName, envelope.names.clause, { exchange, byStatus: envelope.names.byStatus, otherwise: envelope.names.otherwise, at: envelope.names.at }, ev);
    }
  }

  /** Keeps an exchange as evidence for a finding recorded outside check(). */
  keep(exchange: Exchange): void {
    this.exchanges.set(exchange.id, exchange);
  }

  stateTiming(phase: StateTiming['phase'], ms: number): void {
    this.states.push({ phase, ms: Math.round(ms) });
  }

  failures(): Finding[] {
    return [...this.findings.values()].filter((f) => f.outcome === 'fail');
  }

  /** Merges another judge's record (a property's replay, a concurrent lane) into this one. */
  absorb(record: TestRecord): void {
    for (const f of record.findings) {
      const k = key(f.clause, f.check, f.title);
      const hit = this.findings.get(k);
      if (hit) {
        hit.count += f.count;
        for (const c of f.cases ?? []) addCase(hit, c);
        if (f.outcome === 'fail') mergeOccurrences(hit, f);
      } else {
        this.findings.set(k, f);
        if (f.outcome === 'fail') this.options.onFailure?.(f);
      }
    }
    for (const ex of record.exchanges) this.exchanges.set(ex.id, ex as Exchange);
    this.timings.push(...record.timings);
    this.states.push(...record.states);
  }

  record(): TestRecord {
    const wanted = new Set([...this.findings.values()].flatMap(evidenceOf));
    return {
      profile: this.profile.id,
      findings: [...this.findings.values()],
      exchanges: [...this.exchanges.values()].filter((e) => wanted.has(e.id)).map(storable),
      timings: this.timings,
      states: this.states,
    };
  }
}

/**
 * The clauses the automatic checks of Judge.exchange can find held, for a profile whose tests call
 * every subject operation as documented and send requests it must refuse: each operation's
 * contract, the clauses of its documented answers' schemas and required headers, the media type,
 * the envelope. What the profile check counts, besides each test's own (keep in step with exchange).
 */
export function clausesOfAnswers(profile: Profile): string[] {
  const c = profile.model;
  const judged = subjectOperations(profile).filter((op) => op.clause);
  if (!judged.length) return [];
  const out = [c.contentType, c.envelope.shape, ...(c.envelope.status ? [c.envelope.status.clause] : []), ...(c.envelope.names ? [c.envelope.names.clause] : [])];
  for (const op of judged) {
    out.push(op.clause!);
    for (const response of op.responses.values()) {
      if (Number(response.status) >= 400) continue;
      if (response.schemaPointer) out.push(...clausesIn(profile.doc, response.schemaPointer));
      for (const h of response.headers) if (h.required && h.clause) out.push(h.clause);
    }
  }
  return out;
}

const key = (clause: string, check: string, title = '') => `${clause}\u0000${check}\u0000${title}`;
