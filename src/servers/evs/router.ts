// EVS as a member of the Cinder family: /v2/{project_id}/... and /v3/{project_id}/... behave the
// same, no microversion header is read, errors carry EVS's codes, every answer an X-Request-Id.
import { ApiError } from '../cinder/errors.ts';
import { metadataRoutes } from '../cinder/metadata.ts';
import type { Dialect, FamilyRoute } from '../cinder/router.ts';
import type { EvsCtx } from './context.ts';
import { errorBody, unauthorized } from './errors.ts';
import type { EvsFaults } from './faults.ts';
import { BYTES_255 } from './rules.ts';
import * as snapshots from './snapshots.ts';
import * as volumes from './volumes.ts';
import { route } from '../pipeline.ts';

// Metadata keys and values: 255 bytes; an oversize one is a plain bad request.
const meta = metadataRoutes({ limit: BYTES_255, oversizeStatus: 400 });

// Every route exists on v2 and v3.
const ROUTES: FamilyRoute<EvsCtx>[] = [
  route('GET', 'snapshots', snapshots.listSnapshots(false)),
  route('POST', 'snapshots', snapshots.createSnapshot),
  route('GET', 'snapshots/detail', snapshots.listSnapshots(true)),
  route('GET', 'snapshots/:', snapshots.showSnapshot),
  route('PUT', 'snapshots/:', snapshots.updateSnapshot),
  route('DELETE', 'snapshots/:', snapshots.deleteSnapshot),
  route('POST', 'snapshots/:/action', snapshots.snapshotAction),
  route('GET', 'snapshots/:/metadata', meta.listMetadata),
  route('PUT', 'snapshots/:/metadata', meta.replaceMetadata),
  route('POST', 'snapshots/:/metadata', meta.mergeMetadata),
  route('GET', 'snapshots/:/metadata/:', meta.showMetadataKey),
  route('PUT', 'snapshots/:/metadata/:', meta.updateMetadataKey),
  route('DELETE', 'snapshots/:/metadata/:', meta.deleteMetadataKey),
  route('GET', 'volumes', volumes.listVolumes(false)),
  route('POST', 'volumes', volumes.createVolume),
  route('GET', 'volumes/detail', volumes.listVolumes(true)),
  route('GET', 'volumes/:', volumes.showVolume),
  route('DELETE', 'volumes/:', volumes.deleteVolume),
];

export function evsDialect(faults: EvsFaults): Dialect<EvsCtx> {
  return {
    routes: ROUTES,
    families: ['v2', 'v3'],
    maxMinor: 0, // the version documents say 3.0: no microversion changes anything here
    projectLess: false,
    unauthorized,
    errorBody: (error: ApiError) => errorBody(error, faults),
    headers: (requestId) => ({ 'X-Request-Id': requestId }),
    context: (base) => ({ ...base, evs: faults }),
  };
}
