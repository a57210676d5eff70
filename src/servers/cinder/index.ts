// The Cinder-family reference server: an in-memory OpenStack Block Storage API (v2 and v3 with
// microversions 3.0..3.70) for volume snapshots and their volumes, with named faults that break one
// behaviour each. Other members of the family (EVS) start through `startFamily` with their dialect.
import { ApiError, faultBody } from './errors.ts';
import { type CinderFault, type CinderFaults, cinderFaultRegistry, cinderFaults } from './faults.ts';
import type { Ctx } from './http.ts';
import { type Dialect, CINDER_ROUTES, familyPipeline } from './router.ts';
import { type Address, type InventoryItem, type RunningServer, listen } from '../listen.ts';
import { newStats } from '../stats.ts';
import { HOLD_MS } from '../timers.ts';
import { type Quotas, Store } from './store.ts';
import { type Family, MAX_MINOR } from './versions.ts';

export { type CinderFault, cinderFaults };

/** Options every member of the family takes. */
export interface FamilyServerOptions extends Address {
  /** The accepted X-Auth-Token; undefined = any non-empty token is accepted. */
  token?: string;
  /**
   * How long each stays `creating` / `deleting`: HOLD_MS (15 ms) each by default, but a snapshot
   * SNAPSHOT_CREATE_MS (40 ms).
   */
  delays?: Partial<{ snapshotCreateMs: number; snapshotDeleteMs: number; volumeCreateMs: number; volumeDeleteMs: number }>;
  /** Per project; the member's defaults otherwise. */
  quotas?: Partial<Quotas>;
  /** Called with one line per request if given. */
  log?: (line: string) => void;
}

export interface CinderServerOptions extends FamilyServerOptions {
  faults?: CinderFault[];
  /**
   * The API versions served: v2 and v3 by default (the cinder-v2 profile's server); v3 only for
   * the cinder-v3 profile, as Cinder has served since v2 was removed (Xena).
   */
  families?: Family[];
}

/** inventory(): everything stored and not yet deleted. */
export type RunningFamilyServer = RunningServer<{ snapshots: InventoryItem[]; volumes: InventoryItem[] }>;
export type RunningCinderServer = RunningFamilyServer;

/** What a member adds to the options: its quotas, its dialect and the Cinder faults each part runs with. */
export interface Member<C extends Ctx> {
  quotas: Quotas;
  dialect: Dialect<C>;
  /** Cinder faults of the store (status transitions, quota) and of the shared request handling. */
  storeFaults: CinderFaults;
  faults: CinderFaults;
}

/**
 * A snapshot stays `creating` longer than the other holds: a delete sent right after the create
 * answer must still meet it creating, also on a loaded machine (the suite's delete-while-creating
 * test, CV2/CV3-LIFE-07, EVS-LIFE-07, sends it about 10 ms after the answer when the machine is
 * busy). A client polling every 50 ms or slower, as the suite's waiter does, waits no longer
 * than with 15 ms.
 */
export const SNAPSHOT_CREATE_MS = 40;

export async function startFamily<C extends Ctx>(options: FamilyServerOptions, member: Member<C>): Promise<RunningFamilyServer> {
  const d = options.delays ?? {};
  const q = options.quotas ?? {};
  const store = new Store(
    {
      snapshotCreateMs: d.snapshotCreateMs ?? SNAPSHOT_CREATE_MS,
      snapshotDeleteMs: d.snapshotDeleteMs ?? HOLD_MS,
      volumeCreateMs: d.volumeCreateMs ?? HOLD_MS,
      volumeDeleteMs: d.volumeDeleteMs ?? HOLD_MS,
    },
    { snapshots: q.snapshots ?? member.quotas.snapshots, volumes: q.volumes ?? member.quotas.volumes },
    member.storeFaults,
  );
  const stats = newStats();
  const pipeline = familyPipeline({ dialect: member.dialect, store, faults: member.faults, token: options.token, stats, log: options.log });
  return listen({ port: options.port, host: options.host, pipeline, stats, store });
}

/** Cinder itself: v2 and v3, microversions 3.0..3.70, the fault envelope, Cinder's default quotas (10 and 10). */
export async function startCinderServer(options: CinderServerOptions = {}): Promise<RunningCinderServer> {
  const faults = cinderFaultRegistry.select(options.faults ?? []);
  const dialect: Dialect<Ctx> = {
    routes: CINDER_ROUTES,
    families: options.families ?? ['v2', 'v3'],
    maxMinor: MAX_MINOR,
    projectLess: true,
    unauthorized: () => new ApiError(401, 'The request you have made requires authentication.'),
    errorBody: (error) => faultBody(error, faults),
    context: (base) => base,
  };
  return startFamily(options, { quotas: { snapshots: 10, volumes: 10 }, dialect, storeFaults: faults, faults });
}
