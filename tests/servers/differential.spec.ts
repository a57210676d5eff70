// The comparing and judging of the interop job's differential test (interop/cinder/differential.ts),
// without a Cinder: made-up answer pairs, the sequence file and the list of known differences.
import { expect, test } from '@playwright/test';
import { type Answer, type Difference, type Exchange, type RequestStep, compare, judge, loadListed, loadSequence } from '../../interop/cinder/differential.ts';

const step = (id: string, unordered = false): RequestStep => ({ kind: 'request', id, method: 'GET', path: '/snapshots', fromRoot: false, headers: {}, save: {}, unordered });
const answer = (status: number, json: unknown, headers: Record<string, string> = {}): Answer => ({ status, headers, text: JSON.stringify(json), json });
const origins = { cinder: 'http://127.0.0.1:1', serve: 'http://127.0.0.1:2' };

function exchange(id: string, cinder: Answer, serve: Answer, vars: Array<[string, string, string]> = [], unordered = false): Exchange {
  return {
    step: step(id, unordered),
    line: `GET ${id}`,
    cinder,
    serve,
    vars: { cinder: new Map(vars.map(([n, c]) => [n, c])), serve: new Map(vars.map(([n, , s]) => [n, s])) },
  };
}

test('ids, times and the server address are normalised; other values, members and headers are compared', () => {
  const ids: Array<[string, string, string]> = [['snap', '11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222']];
  const same = compare(
    exchange(
      'show',
      answer(200, { snapshot: { id: ids[0]![1], created_at: '2026-01-01T00:00:00.123456', link: `${origins.cinder}/v3/p/snapshots/${ids[0]![1]}`, type: 'aaaaaaaa-0000-4000-8000-000000000000' } }, { 'x-openstack-request-id': 'req-1' }),
      answer(200, { snapshot: { id: ids[0]![2], created_at: '2027-05-05T10:10:10.000001', link: `${origins.serve}/v3/p/snapshots/${ids[0]![2]}`, type: 'bbbbbbbb-0000-4000-8000-000000000000' } }, { 'x-openstack-request-id': 'req-2' }),
      ids,
    ),
    origins,
  );
  expect(same).toEqual([]);
  const differs = compare(
    exchange('show', answer(200, { snapshot: { user_id: 'interop', a: 1 } }, { 'x-compute-request-id': 'r' }), answer(200, { snapshot: { user_id: 'someone', b: 1 } })),
    origins,
  );
  expect(differs.map((d) => d.key).sort()).toEqual(['header x-compute-request-id', 'member /snapshot/a', 'member /snapshot/b', 'value /snapshot/user_id']);
});

test('faults: the name and code count, not the message; different statuses compare no bodies', () => {
  const fault = (name: string, code: number, message: string) => answer(code, { [name]: { code, message } });
  expect(compare(exchange('e', fault('badRequest', 400, 'one wording'), fault('badRequest', 400, 'another')), origins)).toEqual([]);
  const keys = (d: Difference[]) => d.map((x) => x.key).sort();
  expect(keys(compare(exchange('e', fault('computeFault', 500, 'x'), fault('badRequest', 400, 'y')), origins))).toEqual(['fault', 'status']);
  expect(keys(compare(exchange('e', answer(200, { snapshots: [] }), fault('badRequest', 400, 'y')), origins))).toEqual(['fault', 'status']);
});

test('list items: in order unless the step says the order is random; one difference per member path', () => {
  const list = (...names: string[]) => answer(200, { snapshots: names.map((name) => ({ name, size: 1 })) });
  expect(compare(exchange('l', list('a', 'b'), list('b', 'a')), origins).map((d) => d.key)).toEqual(['value /snapshots/*/name']);
  expect(compare(exchange('l', list('a', 'b'), list('b', 'a'), [], true), origins)).toEqual([]);
  expect(compare(exchange('l', list('a', 'b'), list('a')), origins).map((d) => d.key)).toEqual(['value /snapshots']);
});

test('judging: listed differences pass, others fail, and a listed one no longer seen is stale', () => {
  const listed = [
    { steps: ['auth-*'], differences: ['status', 'fault'], reason: 'noauth' },
    { steps: ['*'], differences: ['header keep-alive'], reason: 'transport' },
    { steps: ['gone-*'], differences: ['status'], reason: 'no longer happens' },
  ];
  const diffs: Difference[] = [
    { step: 'auth-none-list', key: 'status', cinder: '204', serve: '401' },
    { step: 'auth-none-list', key: 'fault', cinder: '(none)', serve: 'unauthorized' },
    { step: 'list', key: 'header keep-alive', cinder: '(absent)', serve: 'timeout=5' },
    { step: 'list', key: 'value /snapshots/*/name', cinder: '"a"', serve: '"b"' },
  ];
  const verdict = judge(diffs, listed);
  expect(verdict.listedCount).toBe(3);
  expect(verdict.unlisted.map((d) => `${d.step} ${d.key}`)).toEqual(['list value /snapshots/*/name']);
  expect(verdict.stale).toEqual(['"no longer happens": step gone-*, difference status no longer seen']);
});

test('the sequence and the list of differences load, and every listed step pattern names steps of the sequence', () => {
  const steps = loadSequence().filter((s): s is RequestStep => s.kind === 'request');
  expect(new Set(steps.map((s) => s.id)).size).toBe(steps.length);
  const glob = (p: string) => new RegExp(`^${p.split('*').map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  for (const entry of loadListed()) {
    expect(entry.reason.length).toBeGreaterThan(40);
    for (const pattern of entry.steps) expect(steps.some((s) => glob(pattern).test(s.id)), pattern).toBe(true);
  }
});
