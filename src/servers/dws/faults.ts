// Named faults: each one turns exactly one behaviour of the DWS reference server wrong, so that the
// conformance suite can prove it notices. The code that produces a behaviour asks `faults.has(...)`
// at that single spot.
import { type FaultSet, defineFaults } from '../faults.ts';

export const dwsFaultRegistry = defineFaults('DWS', {
  'create-returns-full': 'snapshot create answers the whole snapshot object instead of only {"id"}',
  'create-returns-202': 'snapshot create answers 202 instead of 200 (body unchanged)',
  'never-available': 'snapshots stay CREATING forever',
  'unavailable-on-create': 'snapshots go from CREATING to UNAVAILABLE instead of AVAILABLE',
  'lowercase-status': 'snapshot statuses are sent in lower case (`available`, `creating`)',
  'no-count': 'GET /snapshots has no `count` member',
  'count-wrong': 'GET /snapshots `count` is one more than the number of items',
  'name-rules-ignored': 'any non-empty snapshot name is accepted (length, first letter and characters unchecked)',
  'case-sensitive-unique': 'snapshot names are unique only case-sensitively (`Snap-A` and `snap-a` may coexist)',
  'description-chars-accepted': 'descriptions containing any of !<>\'=&" are accepted',
  'envelope-cinder-style': 'error bodies are {"badRequest": {"code", "message"}} instead of {"error_code", "error_msg"}',
  'delete-returns-200': 'snapshot delete answers 200 instead of 202',
  'delete-leaves-ghost': 'a deleted snapshot stays visible (GET 200) forever',
  'name-first-char-unchecked': 'snapshot names may start with a digit, a hyphen or an underscore (length and characters still checked)',
  'name-uppercase-refused': 'snapshot names starting with an upper case letter are refused',
  'description-forbids-only-html': 'descriptions are refused only for < and >; the other forbidden characters !\'=&" are accepted',
  'description-punctuation-refused': 'descriptions holding any punctuation other than - _ . , and space are refused',
  'description-bytes-not-chars': 'the 256 limit of descriptions counts UTF-8 bytes instead of characters',
  'cluster-list-limit-ignored': 'GET /clusters/{cluster_id}/snapshots ignores `limit`',
  'cluster-list-offset-ignored': 'GET /clusters/{cluster_id}/snapshots ignores `offset`',
  'cluster-list-sort-ignored': 'GET /clusters/{cluster_id}/snapshots ignores `sort_key` (the direction applies to the order of creation)',
});

export type DwsFault = keyof typeof dwsFaultRegistry.descriptions;
export type DwsFaults = FaultSet<DwsFault>;
export const dwsFaults = dwsFaultRegistry.descriptions;
