// The fault matrix: `snapshot-conformance selftest` (src/selftest) on every shipped profile, the
// whole suite in process against the profile's reference server once correct and once per fault,
// side by side. The correct server must pass every clause with nothing left behind; every fault must
// be caught, by exactly the clauses its row in specs/fault-matrix.yaml gives where it has one (every
// named fault has one), unless the row says why the profile cannot catch it.
import { test, expect } from '@playwright/test';
import { loadProfile, profileIds } from '../src/profile/load.ts';
import { matrixRows, type MatrixRow } from '../src/selftest/matrix.ts';
import { selftest, type FaultOutcome } from '../src/selftest/selftest.ts';
import { summaryText } from '../src/selftest/report.ts';
import { serverFor } from '../src/servers/index.ts';
import { CLAUSE_MAP } from '../suites/clause-map.ts';

for (const profile of profileIds()) {
  test(`${profile}: the correct server passes every clause, and every fault is caught by its clauses`, async () => {
    const family = await serverFor(profile);
    const rows = matrixRows(profile);
    expect(Object.keys(rows).filter((f) => !Object.hasOwn(family.faults, f)), 'rows of faults the server does not have').toEqual([]);
    const named = Object.keys(family.faults).filter((f) => !family.generic?.has(f));
    expect(named.filter((f) => !rows[f]?.catches?.length && !rows[f]?.['not-applicable']), 'named faults without their clauses').toEqual([]);

    const result = await selftest(profile);
    test.info().annotations.push({ type: 'mutation score', description: summaryText(result).split('\n').at(-1)! });
    const { correct } = result;
    expect(correct.errors).toEqual([]);
    expect([...correct.failing, ...correct.untested], 'clauses the correct server does not pass').toEqual([]);
    expect(correct.verdict).toBe('conformant');
    expect(correct.left, 'left on the correct server').toEqual([]);
    // `run --clause ID` selects by suites/clause-map.ts: every clause has a test there that judged it
    // in the correct run, and every test it names ran (else: npm run clause-map).
    const judged = correct.judged ?? {};
    const map = CLAUSE_MAP[profile] ?? {};
    expect(Object.keys(map).filter((t) => !judged[t]), 'tests the clause map names that did not run').toEqual([]);
    const unselectable = [...loadProfile(profile).clauses.keys()].filter((id) => !Object.entries(map).some(([t, clauses]) => clauses.includes(id) && judged[t]?.includes(id)));
    expect(unselectable, 'clauses --clause would not test (npm run clause-map)').toEqual([]);

    const levels = loadProfile(profile).clauses;
    const problems = result.faults.flatMap((o) => problemsOf(o, rows[o.fault] ?? {}, (id) => (levels.get(id) as { level?: string } | undefined)?.level));
    expect(problems).toEqual([]);
  });
}

/** What is wrong with how the suite met one fault, one line each. */
function problemsOf(o: FaultOutcome, row: MatrixRow, level: (clause: string) => string | undefined): string[] {
  if (row['not-applicable']) return [];
  const out: string[] = [];
  const say = (what: string) => out.push(`${o.fault}: ${what}`);
  if (o.outcome !== 'caught') say(`${o.outcome}${o.failing.length ? ` by ${o.failing.join(', ')}` : ''}${o.why ? `; ${o.why}` : ''}`);
  // Where the row is exact: those clauses and no others, a run that ends and cleans up unless it says otherwise.
  if (row.catches) {
    const allowed = new Set([...row.catches, ...(row.also ?? [])]);
    const others = o.failing.filter((id) => !allowed.has(id));
    const missed = row.catches.filter((id) => !o.failing.includes(id));
    if (others.length) say(`also failed ${others.join(', ')}, which should not have`);
    if (missed.length) say(`did not fail ${missed.join(', ')}`);
    if (!row.residue && !row.blocks && o.errors.length) say(`the run broke: ${o.errors.join('; ')}`);
    if (!row.residue && o.left.length) say(`left ${o.left.join(', ')} on the server`);
  }
  const mustFailed = o.failing.some((id) => level(id) === 'MUST');
  const mustOpen = o.untested.some((u) => level(u.split(':')[0]!) === 'MUST');
  if (mustFailed && o.verdict !== 'not conformant') say(`a MUST clause failed, yet the run is ${o.verdict}`);
  if (!mustFailed && !mustOpen && o.verdict !== 'conformant') say(`only SHOULD or MAY clauses failed, yet the run is ${o.verdict}`);
  // What the report says is still on the target is there: seen by a fresh read, never inferred
  // from a removal that went wrong (a 500 to the show of a deleted resource).
  const held = new Set(o.left.map((item) => item.split(' ')[1]));
  const gone = o.reportedLeft.filter((item) => !held.has(item.split(' ')[1]));
  if (gone.length) say(`reported as left, yet gone: ${gone.join(', ')}`);
  return out;
}
