// Failures a run already knows of, at the grain of findings, so that a known failure of a clause
// never hides a new one in the same clause:
//   - an expectations file: entries naming a clause and, optionally, the check, the operation, the
//     case (words of the finding's title or context) and the answer's status. An entry covers the
//     findings it matches. A clause-only entry covers every finding of its clause (as it always
//     did), but a finding its evidence does not describe is marked new in the report;
//   - a baseline (--baseline): the results.json of an earlier run; its failing findings are known.
// A clause whose failing findings are all known is an expected failure; any other fails the run.
// An entry with `untested: true` accepts instead that a clause is not tested on this target (a
// precondition it cannot show): it covers no finding, and a clause it names that was tested makes
// the entry out of date.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { Finding, FindingCase } from '../findings/types.ts';

export interface Expectation {
  clause: string;
  /** The check that fails (status.expected, refusal.status, schema.body...). */
  check?: string;
  /** The operation of the exchange the finding is about (createSnapshot...). */
  operation?: string;
  /** Words the finding's title or context contains ("empty body", "with no token"...). */
  case?: string;
  /** The status of the answer the finding is about. */
  status?: number;
  reason: string;
  evidence?: string;
  /** Accepts that the clause is not tested on this target, rather than a failure. */
  untested?: boolean;
}

const FIELDS = ['clause', 'check', 'operation', 'case', 'status', 'untested', 'reason', 'evidence'];

export function readExpectations(file: string): Expectation[] {
  const doc = parse(readFileSync(file, 'utf8'));
  const list = Array.isArray(doc) ? doc : doc?.expectations;
  if (!Array.isArray(list)) throw new Error(`${file}: expected a list of {clause, reason}`);
  return list.map((e: any, i: number) => {
    if (typeof e?.clause !== 'string' || typeof e?.reason !== 'string') throw new Error(`${file}: entry ${i + 1} needs clause and reason`);
    const unknown = Object.keys(e).find((k) => !FIELDS.includes(k));
    if (unknown) throw new Error(`${file}: entry ${i + 1} has "${unknown}"; an entry has ${FIELDS.join(', ')}`);
    if (e.status !== undefined && !Number.isInteger(e.status)) throw new Error(`${file}: entry ${i + 1}: status must be an HTTP status code`);
    for (const k of ['check', 'operation', 'case', 'evidence'] as const) if (e[k] !== undefined && typeof e[k] !== 'string') throw new Error(`${file}: entry ${i + 1}: ${k} must be text`);
    if (e.untested !== undefined && typeof e.untested !== 'boolean') throw new Error(`${file}: entry ${i + 1}: untested must be true or false`);
    // Accepting "not tested" speaks of the clause, never of a finding.
    if (e.untested && fine(e)) throw new Error(`${file}: entry ${i + 1}: an untested entry names the clause alone (no check, operation, case or status)`);
    return { clause: e.clause, check: e.check, operation: e.operation, case: e.case, status: e.status, reason: e.reason, evidence: e.evidence, untested: e.untested || undefined };
  });
}

/** Whether an entry names more than its clause. */
export const fine = (e: Expectation) => e.check !== undefined || e.operation !== undefined || e.case !== undefined || e.status !== undefined;

/** The operations and statuses a finding was made on (one, where it was made once). */
export const casesOf = (f: Finding): FindingCase[] => (f.cases?.length ? f.cases : [{ operation: f.operation, status: f.status }]);

/** Whether an entry speaks of a finding: its clause, check and case words. */
function matches(e: Expectation, f: Finding): boolean {
  if (e.clause !== f.clause) return false;
  if (e.check !== undefined && e.check !== f.check) return false;
  if (e.case !== undefined && !`${f.title ?? ''} ${f.context ?? ''}`.toLowerCase().includes(e.case.toLowerCase())) return false;
  return true;
}

const coversCase = (e: Expectation, c: FindingCase) => (e.operation === undefined || e.operation === c.operation) && (e.status === undefined || e.status === c.status);

/** Whether an entry covers at least one of the cases a finding was made on (it is not stale). */
export const coversSome = (e: Expectation, f: Finding) => matches(e, f) && casesOf(f).some((c) => coversCase(e, c));

/**
 * The entries that together cover every case a finding was made on (an empty-body 500 on the
 * create and on the update needs an entry for each, where entries name operations); undefined when
 * some case is not covered: that part of the finding is new.
 */
export function coveredBy(entries: Expectation[], f: Finding): Expectation[] | undefined {
  const used = new Set<Expectation>();
  for (const c of casesOf(f)) {
    const e = entries.find((x) => matches(x, f) && coversCase(x, c));
    if (!e) return undefined;
    used.add(e);
  }
  return [...used];
}

/**
 * Whether a clause-only entry's evidence describes a finding: it names the status of every answer
 * the finding was made on. What it does not describe is marked new.
 */
export function describes(e: Expectation, f: Finding): boolean {
  if (fine(e)) return true;
  const text = `${e.evidence ?? ''} ${e.reason}`;
  return casesOf(f).every((c) => c.status === undefined || c.status === 0 || new RegExp(`\\b${c.status}\\b`).test(text));
}

/** The identity of a finding across runs: the same profile, clause, check and title. */
export const signature = (profile: string, f: Pick<Finding, 'clause' | 'check' | 'title'>) => `${profile}\u0000${f.clause}\u0000${f.check}\u0000${f.title ?? ''}`;

/** The failing findings of a results.json (one profile, or several), by signature. */
export function readBaseline(file: string): Set<string> {
  const doc = JSON.parse(readFileSync(file, 'utf8'));
  const profiles: any[] = Array.isArray(doc.profiles) ? doc.profiles : [doc];
  const out = new Set<string>();
  for (const p of profiles) {
    if (typeof p?.profile !== 'string' || !Array.isArray(p.clauses)) throw new Error(`${file}: not a results.json of snapshot-conformance`);
    for (const c of p.clauses) if (c.status === 'fail' || c.status === 'expected-fail') for (const f of c.findings ?? []) out.add(signature(p.profile, f));
  }
  return out;
}

/** What a run knows of before it starts: its expectations (those that speak of findings) and its baseline. */
export interface Known {
  expectations: Expectation[];
  baseline: Set<string>;
}

export const readKnown = (files: { expectations?: string; baseline?: string }): Known => ({
  expectations: files.expectations ? readExpectations(files.expectations).filter((e) => !e.untested) : [],
  baseline: files.baseline ? readBaseline(files.baseline) : new Set(),
});

/** Whether the run knew of a failing finding: an expectation covers it, or the baseline has it. */
export const isKnown = (known: Known, profile: string, f: Finding): boolean =>
  Boolean(coveredBy(known.expectations.filter((e) => e.clause === f.clause), f)) || known.baseline.has(signature(profile, f));
