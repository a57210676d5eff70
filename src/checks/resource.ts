// Checks of what the target says about a resource against what the suite knows it must say:
// fields as sent (after the vendor's normalisation), metadata sets, presence in lists, and the
// statuses a resource passed through while the suite waited.
import { fieldPointer, fieldValue } from '../util/pointer.ts';
import { defineCheck, notApplicable, show, type Failure } from './check.ts';

export interface ExpectedField {
  /** The member name in the resource object (name, description, volume_id, metadata), or a pointer into it. */
  field: string;
  value: unknown;
  /** A list whose order does not matter (tags). */
  unordered?: boolean;
  /** The clause that made the suite expect this value (create, update, a metadata write...). */
  clause: string;
  /** The value as sent, when the vendor's normalisation made the expected value differ from it. */
  raw?: unknown;
}

/** Deep equality of JSON values, key order ignored. */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => sameJson((a as any)[k], (b as any)[k]));
}

/** The same items, in any order (a list of tags). */
function sameSet(a: unknown, b: unknown): boolean {
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  const sorted = (x: unknown[]) => x.map((v) => JSON.stringify(v)).sort();
  return sameJson(sorted(a), sorted(b));
}

/** How two metadata sets differ, in words. */
function metadataDifference(expected: Record<string, string>, actual: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const k of Object.keys(expected)) {
    if (!(k in actual)) parts.push(`${show(k)} missing`);
    else if (actual[k] !== expected[k]) parts.push(`${show(k)} is ${show(actual[k], 40)} not ${show(expected[k], 40)}`);
  }
  for (const k of Object.keys(actual)) if (!(k in expected)) parts.push(`${show(k)} should not be there`);
  return parts.join('; ');
}

export const fieldsMatch = defineCheck<{ resource: unknown; expected: ExpectedField[]; where: string; normalize?: (s: string) => string; normalizedFields?: string[]; normalizeClause?: string }>({
  id: 'resource.fields',
  summary: 'The resource holds the values the suite sent, after the vendor\'s normalisation.',
  judge({ resource, expected, where, normalize, normalizedFields = [], normalizeClause }) {
    if (!resource || typeof resource !== 'object') {
      return [{ title: `${where}: no resource object`, expected: 'an object', actual: show(resource) }];
    }
    const failures: Failure[] = [];
    for (const { field, value, clause, raw, unordered } of expected) {
      const want = normalize && typeof value === 'string' && normalizedFields.includes(field) ? normalize(value) : value;
      const got = fieldValue(resource, field);
      if (sameJson(want, got) || (unordered && sameSet(want, got))) continue;
      const pointer = fieldPointer(field);
      const isMap = want && typeof want === 'object' && got && typeof got === 'object';
      // Stored exactly as sent where the vendor's rule changes it: the rule is what broke.
      if (raw !== undefined && normalizeClause && sameJson(raw, got) && !sameJson(raw, want)) {
        failures.push({ title: `${where}: ${field} was stored as sent, not normalised`, expected: show(want), actual: show(got), pointer, clause: normalizeClause });
        continue;
      }
      failures.push({
        title: `${where}: ${field} differs from what was stored`,
        expected: show(want),
        actual: isMap && !Array.isArray(want) ? `${show(got)} (${metadataDifference(want as Record<string, string>, got as Record<string, unknown>)})` : show(got),
        pointer,
        clause,
      });
    }
    return failures;
  },
});

export const listed = defineCheck<{ ids: string[]; id: string; shouldBe: boolean; list: string }>({
  id: 'list.membership',
  summary: 'A live resource is in the list exactly once; a deleted one is not in it.',
  judge({ ids, id, shouldBe, list }) {
    const n = ids.filter((x) => x === id).length;
    if (shouldBe && n === 1) return [];
    if (!shouldBe && n === 0) return [];
    if (shouldBe && n === 0) return [{ title: `${list}: a live resource is missing`, expected: `${id} listed`, actual: 'absent' }];
    if (shouldBe) return [{ title: `${list}: a resource is listed more than once`, expected: `${id} once`, actual: `${n} times` }];
    return [{ title: `${list}: a deleted resource is still listed`, expected: `${id} absent`, actual: 'listed' }];
  },
});

export interface StateObservation {
  /** The statuses seen, in order (consecutive repeats folded); "gone" for a 404. */
  seen: string[];
  /** When the last poll that still saw the starting state was sent, ms after the change began. */
  stillFirstAtMs?: number;
  outcome: 'reached' | 'failed' | 'timeout' | 'unexpected' | 'no-answer';
  elapsedMs: number;
  budgetMs: number;
  /** Why the wait had less than the full budget (this transition timed out before in the run). */
  cutShort?: string;
}

export const reachedState = defineCheck<{ observation: StateObservation; target: string; allowedOnTheWay: string[] }>({
  id: 'state.reached',
  summary: 'Polled, the resource reaches the target state within the time budget, passing only through allowed states.',
  judge({ observation: o, target, allowedOnTheWay }) {
    const path = o.seen.join(' -> ') || 'nothing';
    const strays = o.seen.filter((s) => s !== target && !allowedOnTheWay.includes(s));
    if (o.outcome === 'reached' && strays.length === 0) return [];
    const budget = `${(o.budgetMs / 1000).toFixed(1)} s`;
    const title =
      o.outcome === 'timeout'
        ? `did not reach ${target} within ${budget}`
        : o.outcome === 'failed'
          ? `went to ${o.seen.at(-1)} instead of ${target}`
          : o.outcome === 'no-answer'
            ? `polling for ${target} got no answer`
            : `passed through ${strays.join(', ')} on the way to ${target}`;
    const cut = o.cutShort ? ` (waited less than the full budget: ${o.cutShort})` : '';
    return [{ title, expected: `${[...allowedOnTheWay, target].join(' / ')} then ${target} within ${budget}`, actual: `${path} after ${(o.elapsedMs / 1000).toFixed(1)} s${cut}` }];
  },
});

export const statusIn = defineCheck<{ status: unknown; allowed: string[]; where: string }>({
  id: 'state.initial',
  summary: 'A resource starts in one of the documented initial states.',
  judge({ status, allowed, where }) {
    if (status === undefined) return notApplicable('no status to read');
    if (typeof status === 'string' && allowed.includes(status)) return [];
    return [{ title: `${where}: status ${show(status)} is not an initial state`, expected: allowed.join(' or '), actual: show(status) }];
  },
});

export const answerNamesId = defineCheck<{ json: unknown; id: unknown; pointer: string }>({
  id: 'resource.id',
  summary: 'A create answer names the new resource\'s id.',
  judge({ json, id, pointer }) {
    if (typeof id === 'string' && id.length > 0) return [];
    return [{ title: 'the create answer names no id', expected: `a string at ${pointer}`, actual: show(json), pointer }];
  },
});

export const refusedCreateLeftNothing = defineCheck<{ found: string[]; name: string }>({
  id: 'resource.none-created',
  summary: 'A refused create leaves nothing behind.',
  judge({ found, name }) {
    if (found.length === 0) return [];
    return [{ title: 'a refused create left a resource behind', expected: `no resource named ${show(name, 60)}`, actual: found.join(', ') }];
  },
});
