// The embedded reference servers, by profile. The CLI starts them (`run` without --base-url, and
// `serve`); the suite never imports them: a reference server is a target over HTTP like any other.
import { cinderFaults, startCinderServer } from './cinder/index.ts';
import type { Family } from './cinder/versions.ts';
import { dwsFaults, startDwsServer } from './dws/index.ts';
import { eclFaults, startEclServer } from './ecl/index.ts';
import { evsFaults, startEvsServer } from './evs/index.ts';
import type { Stats } from './stats.ts';

export interface ReferenceServerOptions {
  port?: number;
  /** The accepted token; undefined accepts any non-empty token. */
  token?: string;
  faults?: string[];
  delays?: { createMs?: number; deleteMs?: number };
  log?: (line: string) => void;
}

export interface ReferenceServer {
  /** The server's root URL (http://127.0.0.1:PORT). */
  url: string;
  stats(): Stats;
  /** What the server holds now, by kind (snapshots, volumes...). */
  inventory(): Record<string, Array<{ id: string; name: string | null; status: string }>>;
  close(): Promise<void>;
}

export interface ServerFamily {
  /** Fault name -> what it makes wrong. */
  faults: Record<string, string>;
  /** Kinds of the inventory the server provides itself (not made by clients, so never removed). */
  provided?: string[];
  start(options: ReferenceServerOptions): Promise<ReferenceServer>;
}

function cinder(families: Family[]): ServerFamily {
  return {
    faults: cinderFaults,
    start: (o) =>
      startCinderServer({
        port: o.port,
        token: o.token,
        faults: o.faults as Array<keyof typeof cinderFaults>,
        delays: { snapshotCreateMs: o.delays?.createMs, snapshotDeleteMs: o.delays?.deleteMs, volumeCreateMs: o.delays?.createMs, volumeDeleteMs: o.delays?.deleteMs },
        families,
        log: o.log,
      }),
  };
}

const dws: ServerFamily = {
  faults: dwsFaults,
  provided: ['clusters'],
  start: (o) =>
    startDwsServer({
      port: o.port,
      token: o.token,
      faults: o.faults as Array<keyof typeof dwsFaults>,
      delays: { snapshotCreateMs: o.delays?.createMs, snapshotDeleteMs: o.delays?.deleteMs },
      log: o.log,
    }),
};

const evs: ServerFamily = {
  faults: evsFaults,
  start: (o) =>
    startEvsServer({
      port: o.port,
      token: o.token,
      faults: o.faults as Array<keyof typeof evsFaults>,
      delays: { snapshotCreateMs: o.delays?.createMs, snapshotDeleteMs: o.delays?.deleteMs, volumeCreateMs: o.delays?.createMs, volumeDeleteMs: o.delays?.deleteMs },
      log: o.log,
    }),
};

const ecl: ServerFamily = {
  faults: eclFaults,
  start: (o) =>
    startEclServer({
      port: o.port,
      token: o.token,
      faults: o.faults as Array<keyof typeof eclFaults>,
      delays: { snapshotCreateMs: o.delays?.createMs, volumeCreateMs: o.delays?.createMs },
      log: o.log,
    }),
};

export const referenceServers: Record<string, ServerFamily> = {
  // The v2 profile's server serves v2 beside v3; the v3 profile's serves v3 only, as Cinder does today.
  'cinder-v2': cinder(['v2', 'v3']),
  'cinder-v3': cinder(['v3']),
  'huawei-dws': dws,
  'huawei-evs': evs,
  'ntt-ecl': ecl,
};
