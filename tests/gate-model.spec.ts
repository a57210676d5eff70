// What a CI gate reads, without running a target: junit.xml counts as failures only what decides
// the verdict and links each to the report; compare never calls a clause that was not tested
// "fixed", and flags latency only past its noise floor.
import { test, expect } from '@playwright/test';
import type { Finding, TestRecord } from '../src/findings/types.ts';
import { loadProfile } from '../src/profile/load.ts';
import { compareRuns, comparisonText, NOISE_FLOOR, notable } from '../src/report/compare.ts';
import { junitXml } from '../src/report/junit.ts';
import { profileResults, resultsJson, type ProfileResults } from '../src/report/results.ts';

const PROFILE = loadProfile('cinder-v3');
const SHOULD = PROFILE.clauseFile.clauses.find((c) => c.level === 'SHOULD')!.id;
const MUST = 'CV3-META-02';

/** Results where every clause held, but those given failed. */
function resultsWith(failing: string[], profileDurationMs = 7): ProfileResults {
  const findings: Finding[] = PROFILE.clauseFile.clauses.map((c) =>
    failing.includes(c.id)
      ? { clause: c.id, check: 'status.expected', outcome: 'fail', count: 1, title: `${c.id} went wrong`, expected: 'a', actual: 'b', exchanges: [] }
      : { clause: c.id, check: 'status.expected', outcome: 'pass', count: 1, exchanges: [] },
  );
  const record: TestRecord = { profile: PROFILE.id, test: 't', findings, exchanges: [], timings: [], states: [] };
  return profileResults({ profile: PROFILE, target: 'http://127.0.0.1:1/v3/p', seed: 1, startedAt: new Date(0), durationMs: 20_000, profileDurationMs, records: [record], errors: [], expectations: [] });
}

const suiteOf = (xml: string, profile: string) => xml.match(new RegExp(`<testsuite name="${profile}"[^>]*>`))![0];
const caseOf = (xml: string, name: string) => xml.match(new RegExp(`<testcase [^>]*name="${name}[^"]*"[^>]*>(?:(?!</testcase>)[\\s\\S])*</testcase>|<testcase [^>]*name="${name}[^"]*"[^>]*/>`))?.[0] ?? '';

test.describe('junit.xml', () => {
  test('a failed SHOULD clause is no failure: a conformant run counts none, and its verdict case passes', () => {
    const r = resultsWith([SHOULD]);
    expect(r.verdict).toBe('conformant');
    const xml = junitXml([r]);
    expect(suiteOf(xml, 'cinder-v3')).toContain('failures="0"');
    expect(xml).not.toContain('<failure');
    expect(caseOf(xml, SHOULD)).toContain(`<system-out>SHOULD clause failed (it does not decide the verdict); report: index.html#${SHOULD}`);
    expect(caseOf(xml, 'verdict')).toMatch(/^<testcase classname="cinder-v3" name="verdict" time="0.000"><\/testcase>$/);
  });

  test('a failed MUST clause is a failure that links its anchor, and so is the verdict', () => {
    const xml = junitXml([resultsWith([SHOULD, MUST])]);
    expect(suiteOf(xml, 'cinder-v3')).toContain('failures="2"');
    expect([...xml.matchAll(/<failure /g)]).toHaveLength(2);
    expect(caseOf(xml, MUST)).toMatch(new RegExp(`<failure message="\\[MUST\\] [^"]*\\(report: index.html#${MUST}\\)" type="MUST">report: index.html#${MUST}\\n`));
    expect(caseOf(xml, 'verdict')).toContain(`<failure message="not conformant: MUST clauses failed: ${MUST} (report: index.html)" type="verdict">`);
    expect(caseOf(xml, SHOULD)).not.toContain('<failure');
  });

  test("each profile's suite takes its own time, and links to its own page when several ran", () => {
    const v3 = resultsWith([MUST], 7_000);
    const other = { ...resultsWith([], 9_000), profile: 'second' };
    const xml = junitXml([v3, other]);
    expect(suiteOf(xml, 'cinder-v3')).toContain('time="7.000"');
    expect(suiteOf(xml, 'second')).toContain('time="9.000"');
    expect(caseOf(xml, MUST)).toContain(`report: cinder-v3/index.html#${MUST}`);
  });
});

test.describe('compare', () => {
  const stats = (median: number) => ({ count: 10, median, p95: median, max: median });
  const doc = (r: ProfileResults, latency: Record<string, ReturnType<typeof stats>> = {}) => ({ ...resultsJson(r), latency });

  test('a clause tested before and not now is lost coverage, never fixed; one tested now without failing is fixed', () => {
    const before = resultsWith([MUST, 'CV3-LIFE-05']);
    const now = resultsWith([]);
    // Now CV3-LIFE-05 was not tested at all, and CV3-API-01 (it passed before) neither.
    for (const id of ['CV3-LIFE-05', 'CV3-API-01']) Object.assign(now.clauses.find((c) => c.id === id)!, { status: 'skip', reason: 'not tested' });
    now.verdict = 'not conformant';
    const c = compareRuns(doc(before), doc(now), { old: 'a', new: 'b' }).profiles[0]!;
    expect(c.fixed.map((f) => f.clause)).toEqual([MUST]);
    expect(c.lostCoverage.map((l) => [l.id, l.old])).toEqual([['CV3-API-01', 'pass'], ['CV3-LIFE-05', 'fail']]);
    const text = comparisonText(compareRuns(doc(before), doc(now), { old: 'a', new: 'b' }));
    expect(text.split('\n')[0]).toBe('cinder-v3: not conformant -> not conformant; 0 newly failing, 1 fixed, 0 still failing, 2 lost coverage');
    expect(text).toMatch(/^ {2}lost coverage: CV3-LIFE-05 .* \(was fail, now not tested\)$/m);
    expect(text).not.toMatch(/fixed: CV3-LIFE-05/);
  });

  test(`latency is flagged only past ${NOISE_FLOOR.ms} ms and a factor of ${NOISE_FLOOR.ratio}`, () => {
    expect(notable(stats(2), stats(18.4))).toBe(false); // +819%, but 16 ms
    expect(notable(stats(300), stats(360))).toBe(false); // 60 ms, but +20%
    expect(notable(stats(100), stats(160))).toBe(true);
    expect(notable(stats(160), stats(100))).toBe(true); // faster counts too
    const r = resultsWith([]);
    const text = comparisonText(compareRuns(doc(r, { listSnapshots: stats(2), createSnapshot: stats(100) }), doc(r, { listSnapshots: stats(18.4), createSnapshot: stats(250) }), { old: 'a', new: 'b' }));
    expect(text).toContain('latency createSnapshot median +150% (100 -> 250 ms)');
    expect(text).not.toContain('listSnapshots');
  });
});
