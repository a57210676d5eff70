// Named faults of the Cinder-family server: each one turns exactly one behaviour wrong, so that the
// conformance suite can prove it notices (the registry itself is the shared one of ../faults.ts).
import { type FaultSet, defineFaults } from '../faults.ts';

export const cinderFaultRegistry = defineFaults('Cinder', {
  'drop-field-size': 'snapshot bodies (create, show, list, detail, update) omit `size`',
  'wrong-type-size': 'snapshot `size` is sent as a string ("1") instead of an integer',
  'create-returns-200': 'snapshot create answers 200 instead of 202 (body unchanged)',
  'delete-returns-204': 'snapshot delete answers 204 instead of 202',
  'envelope-flat': 'error bodies are {"code", "message"} without the fault-name wrapper',
  'envelope-code-mismatch': 'the fault body `code` is always 400 whatever the HTTP status',
  'never-available': 'snapshots stay `creating` forever',
  'error-on-create': 'snapshots go from `creating` to `error` instead of `available`',
  'delete-leaves-ghost': 'a deleted snapshot stays `deleting` forever and GET keeps answering 200',
  'put-metadata-merges': 'PUT /metadata merges (keeps keys not in the request) instead of replacing',
  'post-metadata-replaces': 'POST /metadata replaces the whole set instead of merging',
  'delete-key-ignored': 'DELETE /metadata/{key} answers 200 but the key stays',
  'key-mismatch-accepted': 'PUT /metadata/{key} whose body names another key, or more than one, is answered 200 (nothing stored) instead of refused',
  'pagination-skips-item': 'with a `marker`, the first item after the marker is skipped',
  'links-missing': 'a full page never carries `snapshots_links`',
  'sort-ignored': 'ascending sort direction is ignored; the order stays descending',
  'update-ignored': 'PUT /snapshots/{id} echoes the new values but does not store them',
  'list-stale-name': 'snapshot lists show the name given at create time, not the updated one',
  'no-auth': 'requests without a token, or with any token, are accepted',
  'accepts-long-name': 'names and descriptions longer than 255 characters are accepted',
  'accepts-unknown-fields': 'unknown properties in snapshot create/update bodies are ignored, not refused',
  'missing-volume-id-500': 'a snapshot create without `volume_id` answers 500 computeFault',
  'malformed-json-500': 'a body that is not valid JSON answers 500 computeFault',
  'unknown-id-500': 'show/update/delete of an unknown snapshot id answer 500 instead of 404',
  'delete-while-creating-allowed': 'a snapshot still `creating` can be deleted (202)',
  'no-request-id': 'responses lack X-OpenStack-Request-Id',
  'content-type-text': 'JSON responses are sent with Content-Type: text/plain',
  'unknown-marker-200': 'an unknown `marker` answers 200 with the first page instead of 404',
  'quota-500': 'going over the snapshot quota answers 500 computeFault instead of 413 overLimit',
  'version-fields-early': 'snapshot views hold group_snapshot_id, user_id and consumes_quota at every microversion',
  'sort-name-early': 'sort_key=name is accepted before microversion 3.30',
  'force-false-accepted': 'from microversion 3.66 a create with "force": false is still accepted',
  'version-header-base': 'answers always say OpenStack-API-Version: volume 3.0, whatever was asked for',
  'media-type-accepted': 'a JSON body sent with another Content-Type (text/plain) is read as JSON instead of refused with 415',
  'fault-name-wrong': 'a 404 fault is named badRequest instead of itemNotFound',
  'offset-ignored': '`offset` is ignored in snapshot lists',
  'bad-offset-accepted': 'an `offset` that is negative or not an integer is taken as 0 instead of refused with 400',
  'sort-param-ignored': 'the `sort=key:dir` parameter is ignored (sort_key/sort_dir still apply)',
  'status-filter-ignored': 'the `status` filter of snapshot lists is ignored',
  'volume-filter-ignored': 'the `volume_id` filter of snapshot lists is ignored',
  'name-filter-substring': 'the `name` filter selects the snapshots whose name holds the value, not those named exactly so',
  'long-metadata-key-accepted': 'metadata keys longer than 255 characters are accepted',
  'limits-count-bytes': 'the 255 limit of names and descriptions counts UTF-8 bytes instead of characters',
  'description-control-chars-accepted': 'descriptions with control characters are accepted',
});

export type CinderFault = keyof typeof cinderFaultRegistry.descriptions;
export type CinderFaults = FaultSet<CinderFault>;
export const cinderFaults = cinderFaultRegistry.descriptions;
