// The one waiter: polls a resource until it reaches a state, and says what it saw. It learns, within
// the run, how long each transition takes on this target and polls around that time instead of on
// a fixed schedule (a 100 ms transition is seen at about 100 ms, a 30 s one without 200 polls).
// A transition that timed out once in the run is not waited out at full length again: later waits
// for it are cut short, and say why.
import type { Exchange } from '../http/exchange.ts';
import type { StateObservation } from '../checks/resource.ts';
import { sleep } from '../http/transport.ts';

export interface WaitSpec {
  /** A status to reach, or "gone" (404); null: any status not in `allowed` ends the wait. */
  target: string | null;
  /** Statuses that may be seen on the way ('any': all of them). */
  allowed: string[] | 'any';
  /** Statuses that end the wait as failed (fail fast). */
  failed: string[];
  budgetMs: number;
  /** Which transition this is, for learning its time and remembering its timeouts (profile:ready...). */
  transition?: string;
  /** performance.now() when the change began (the create's or delete's answer); now if not given. */
  since?: number;
  /** Poll from the start and closely, to see the starting state as long as it lasts (timing tests). */
  closely?: boolean;
  /**
   * How old the change already is (a leftover found by the clean-up): that time counts against the
   * budget, so no resource is waited on longer than its budget from its creation. Teaches nothing.
   */
  ageMs?: number;
}

export interface WaitResult {
  observation: StateObservation;
  /** Every poll, in order: evidence when the wait fails. */
  exchanges: Exchange[];
}

/**
 * What the run knows of its transitions: how long they took (per process), and which timed out
 * (shared by the run's processes through `shared`, when given).
 */
export class Transitions {
  private readonly took = new Map<string, number[]>();
  private readonly timedOut = new Map<string, number>();

  constructor(
    private readonly shared?: { read(transition: string): number | undefined; write(transition: string, budgetMs: number): void; clear?(transition: string): void },
    /** How long a wait for a transition that timed out before still lasts (at least). */
    readonly cutMs = CUT_MS,
  ) {}

  /** The typical time of a transition here (the median of the last ones), if it was seen. */
  typical(transition: string): number | undefined {
    const list = this.took.get(transition);
    if (!list?.length) return undefined;
    const sorted = [...list].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
  }

  learn(transition: string, ms: number): void {
    const list = this.took.get(transition) ?? [];
    list.push(ms);
    if (list.length > 15) list.shift();
    this.took.set(transition, list);
  }

  /** How long the timeout was, when a wait for this transition already timed out in the run. */
  timedOutAfter(transition: string): number | undefined {
    return this.timedOut.get(transition) ?? this.shared?.read(transition);
  }

  timeout(transition: string, budgetMs: number): void {
    if (this.timedOut.has(transition)) return;
    this.timedOut.set(transition, budgetMs);
    this.shared?.write(transition, budgetMs);
  }

  /** What ran out is over (a busy target answered): the next requests get their full bound again. */
  recovered(key: string): void {
    if (!this.timedOut.delete(key) && this.shared?.read(key) === undefined) return;
    this.shared?.clear?.(key);
  }
}

/** The time a wait goes by: this process's, or another one (a test's, which passes at once). */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const processClock: Clock = { now: () => performance.now(), sleep };

/** The least time between two polls, and the most. */
const MIN_INTERVAL_MS = 5;
const MAX_INTERVAL_MS = 3000;
/** A wait cut short still polls this long (or twice the transition's typical time, if longer). */
const CUT_MS = 1000;
/** Polls in a row without an answer before the wait gives up. */
const NO_ANSWER_RETRIES = 2;

/**
 * Polls until the target state, a failed state, a state that is not allowed, or the end of the
 * budget. Without knowledge of the transition it polls at once and then at growing intervals; with
 * it, first just before the typical time, then closely around it, then backing off.
 */
export async function waitForState(poll: () => Promise<Exchange>, stateOf: (e: Exchange) => string, spec: WaitSpec, transitions?: Transitions, clock: Clock = processClock): Promise<WaitResult> {
  const since = spec.since ?? clock.now() - (spec.ageMs ?? 0);
  const key = spec.transition;
  const learned = key ? transitions?.typical(key) : undefined;
  const typical = spec.closely ? undefined : learned;
  let budgetMs = spec.budgetMs;
  let cutShort: string | undefined;
  const before = key ? transitions?.timedOutAfter(key) : undefined;
  if (before !== undefined) {
    const cut = Math.max(transitions?.cutMs ?? CUT_MS, 2 * (learned ?? 0));
    if (cut < budgetMs) {
      budgetMs = cut;
      cutShort = `a wait for the same change timed out after ${(before / 1000).toFixed(1)} s earlier in this run`;
    }
  }
  const seen: string[] = [];
  const exchanges: Exchange[] = [];
  let stillFirstAtMs: number | undefined;
  let lastMissSentMs = 0;
  const elapsed = () => clock.now() - since;
  const done = (outcome: StateObservation['outcome']): WaitResult => {
    if (outcome === 'timeout' && key && !cutShort) transitions?.timeout(key, spec.budgetMs);
    return {
      observation: { seen, outcome, elapsedMs: Math.round(elapsed()), budgetMs: spec.budgetMs, stillFirstAtMs, cutShort },
      exchanges,
    };
  };
  // With a known typical time, the first poll comes just before it.
  if (typical !== undefined) await clock.sleep(Math.max(0, Math.min(0.9 * typical - elapsed(), budgetMs - elapsed())));
  // Polling closely is as close as the transition's time allows: a few dozen polls, not thousands.
  let interval = typical !== undefined ? Math.max(MIN_INTERVAL_MS, typical / 10) : spec.closely ? Math.max(MIN_INTERVAL_MS, (learned ?? 0) / 50) : 10;
  let unanswered = 0;
  for (;;) {
    const sentMs = elapsed();
    const ex = await poll();
    exchanges.push(ex);
    // A poll the target did not answer (a reset, a timeout) is tried again, twice, within the budget.
    if (!ex.response) {
      if (++unanswered > NO_ANSWER_RETRIES || elapsed() >= budgetMs) return done('no-answer');
      await clock.sleep(Math.min(interval, Math.max(0, budgetMs - elapsed())));
      continue;
    }
    unanswered = 0;
    const state = stateOf(ex);
    if (seen.at(-1) !== state) seen.push(state);
    if (seen.length === 1 && state !== spec.target) stillFirstAtMs = Math.round(sentMs);
    const allowed = spec.allowed === 'any' || spec.allowed.includes(state);
    if (spec.target === null ? !allowed : state === spec.target) {
      // Learned (when the wait began with the change): about midway between the last poll that
      // missed it and the one that saw it.
      if (key && transitions && spec.since !== undefined) transitions.learn(key, (lastMissSentMs + sentMs) / 2);
      return done('reached');
    }
    if (spec.failed.includes(state)) return done('failed');
    if (!allowed) return done('unexpected');
    lastMissSentMs = sentMs;
    const now = elapsed();
    if (now >= budgetMs) return done('timeout');
    // Close polling until twice the typical time (the learned one, when polling closely), then backing off.
    const close = typical ?? (spec.closely ? (learned ?? 1000) : undefined);
    if (close === undefined || now > 2 * close) interval = Math.min(interval * 1.5, MAX_INTERVAL_MS);
    await clock.sleep(Math.min(interval, budgetMs - now));
  }
}
