// Named faults: each one turns exactly one behaviour of the ECL reference server wrong, so that the
// conformance suite can prove it notices. The code that produces a behaviour asks `faults.has(...)`
// at that single spot.
import { type FaultSet, defineFaults } from '../faults.ts';

export const eclFaultRegistry = defineFaults('ECL', {
  'create-async': 'snapshot create answers 202 with status `creating` and becomes `available` later',
  'no-api-error-message': 'successful responses lack the top-level `api_error_message`',
  'duplicate-name-accepted': 'a snapshot whose name is already used in the tenant is created (200)',
  'duplicate-refused-but-created': 'a snapshot with a name already used is refused (400) but created anyway',
  'wrong-volume-type-accepted': 'a snapshot of a `pre_nfs_na` (file storage) volume is created',
  'busy-volume-accepted': 'a snapshot of a volume that is not `available` (e.g. `creating`) is created',
  'busy-forever': 'every write on volumes or snapshots answers 409 Tenant is busy',
  'busy-as-500': 'the tenant-busy condition answers 500 instead of 409',
  'created-at-format': 'snapshot `created_at` is written `2017-01-25 07:01:03` (no T, no offset)',
  'usage-string': 'snapshot `usage` is a string ("0") instead of an integer',
  'delete-leaves-ghost': 'a deleted snapshot answers 200 but stays visible (GET 200, `deleting`) forever',
  'update-ignored': 'snapshot update answers 200 with the new values but stores nothing',
  'envelope-missing-message': 'error bodies are {"error": "..."} without `api_error_message`',
  'duplicate-name-on-update-accepted': 'an update may rename a snapshot to the name another snapshot of the tenant holds',
  'own-name-update-refused': 'an update that names the snapshot by its own current name is refused as a duplicate',
  'volume-filter-ignored': 'the `volume_id` filter of both snapshot lists is ignored',
});

export type EclFault = keyof typeof eclFaultRegistry.descriptions;
export type EclFaults = FaultSet<EclFault>;
export const eclFaults = eclFaultRegistry.descriptions;
