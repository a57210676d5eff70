// The Huawei Cloud EVS reference server: an in-memory rendition of EVS's Cinder-compatible snapshot
// API (v2 and v3, same behaviour), a member of the Cinder family (../cinder) with EVS's error codes,
// UTF-8 byte limits, 7 snapshots per disk and list paging, and named faults that break one
// behaviour each.
import { type FamilyServerOptions, type RunningFamilyServer, startFamily } from '../cinder/index.ts';
import { SHARED_WITH_CINDER, SHARED_WITH_STORE, type EvsFault, evsFaultRegistry, evsFaults } from './faults.ts';
import { evsDialect } from './router.ts';

export { type EvsFault, evsFaults };

export interface EvsServerOptions extends FamilyServerOptions {
  /** Per project; defaults 50 snapshots and 20 volumes. */
  quotas?: FamilyServerOptions['quotas'];
  faults?: EvsFault[];
}

/** inventory(): everything stored and not yet gone. */
export type RunningEvsServer = RunningFamilyServer;

export async function startEvsServer(options: EvsServerOptions = {}): Promise<RunningEvsServer> {
  const faults = evsFaultRegistry.select(options.faults ?? []);
  return startFamily(options, {
    quotas: { snapshots: 50, volumes: 20 },
    dialect: evsDialect(faults),
    storeFaults: faults.translate(SHARED_WITH_STORE),
    faults: faults.translate(SHARED_WITH_CINDER),
  });
}
