// What a test hands to the reporter (as a JSON attachment named "conformance"): the findings of
// the checks it ran, the exchanges that are evidence for failures, and the timing of every exchange.
import type { Exchange } from '../http/exchange.ts';

/** `untestable`: the check's precondition could not be established here (its title says why). */
export type Outcome = 'pass' | 'fail' | 'untestable';

export interface PropertyCounterexample {
  seed: number;
  path: string;
  /** The shrunk command sequence, one command per entry, values resolved. */
  commands: string[];
  /** A shell command that replays exactly this case. */
  replay: string;
  runs: number;
  /** How far shrinking got: steps taken, seconds spent, and whether its time budget stopped it. */
  shrink?: { steps: number; seconds: number; stoppedByBudget: boolean; budgetSeconds: number };
}

export interface FindingCase {
  operation?: string;
  status?: number;
}

/** Adds a case to a finding's, once. */
export function addCase(f: Finding, c: FindingCase): void {
  const cases = (f.cases ??= []);
  if (!cases.some((x) => x.operation === c.operation && x.status === c.status)) cases.push(c);
}

export interface Finding {
  clause: string;
  check: string;
  outcome: Outcome;
  /** How many times this same finding was made (same clause, check and title). */
  count: number;
  title?: string;
  expected?: string;
  actual?: string;
  pointer?: string;
  /** What the test was doing, in words ("createSnapshot with a name of 256 characters"). */
  context?: string;
  /** The operation and the answer's status of the exchange the finding is first about (0: no answer). */
  operation?: string;
  status?: number;
  /** Every operation and status the finding was made on (it is made again on other requests too). */
  cases?: FindingCase[];
  /** Ids of the exchanges that show the failure (stored in the record's exchanges). */
  exchanges: string[];
  counterexample?: PropertyCounterexample;
  /** Every place the failure was made, with its own exchanges (bounds: findings/occurrences.ts). */
  occurrences?: Occurrence[];
  /** Occurrences past the listing bound, counted. */
  occurrencesNotListed?: number;
  /** Exchanges of occurrences past the storage bound, counted. */
  exchangesNotKept?: number;
}

/** One place a finding was made: what the test was doing, how often, and the exchanges kept. */
export interface Occurrence {
  context?: string;
  count: number;
  exchanges: string[];
}

/** An exchange as stored in artifacts: the parsed body is dropped (the redacted text stays). */
export type StoredExchange = Omit<Exchange, 'response'> & { response?: Omit<NonNullable<Exchange['response']>, 'json'> };

export interface Timing {
  operation: string;
  status: number;
  ms: number;
}

export interface StateTiming {
  /** "ready" (create to ready) or "gone" (delete to gone). */
  phase: 'ready' | 'gone';
  ms: number;
}

export interface TestRecord {
  profile: string;
  /** The test that made it ("contract › createSnapshot conforms to its contract"), or "set-up". */
  test?: string;
  /** When the test began (epoch ms), and how long it took. */
  startedAt?: number;
  durationMs?: number;
  /** Why the test was skipped, when it was. */
  skipped?: string;
  /** The test needed the target to itself (it ran after the others). */
  alone?: boolean;
  /** The test stopped on an error of its own (not a finding): a suite error. */
  error?: string;
  /** What the test noted about itself (the property's runs, say). */
  notes?: Array<{ type: string; description: string }>;
  findings: Finding[];
  exchanges: StoredExchange[];
  timings: Timing[];
  states: StateTiming[];
}

/** The annotation a Playwright test carries for each failure it found (for Playwright's own reporters). */
export const FINDING = 'finding';

/** The annotation that says where a test's record is (the CLI's terminal reads the findings there). */
export const RECORD = 'record';

/** Marks the messages of check failures (the findings report them; they are not suite errors). */
export const CHECK_MARK = '[conformance]';

export function storable(ex: Exchange): StoredExchange {
  if (!ex.response) return ex;
  const { json: _parsed, ...response } = ex.response;
  return { ...ex, response };
}
