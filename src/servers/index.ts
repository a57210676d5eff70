// The reference servers, by profile: a hand-written one where the profile has it (Cinder's, checked
// against a real Cinder: a server that reads the same documents as the suite would share the
// suite's mistakes), else the server every profile gets from its documents (src/servers/profile).
// The CLI starts them (`run` without --base-url, `serve`, `selftest`); the suite never imports
// them: a reference server is a target over HTTP like any other.
import { cinderFaults, startCinderServer } from './cinder/index.ts';
import type { Family } from './cinder/versions.ts';
import type { Stats } from './stats.ts';
import { loadProfile, type Profile } from '../profile/load.ts';
import { profileFaults, startProfileServer } from './profile/index.ts';

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
  /** Fault name -> the clauses that must catch it, where the server knows (its generic faults). */
  catches?: Record<string, string[]>;
  /** The generic faults of the profile's documents (every other fault is named by the server or its add-on). */
  generic?: Set<string>;
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

/** The profile server of a profile: its generic faults, and its folder add-on's named ones. */
async function fromDocuments(profile: Profile): Promise<ServerFamily> {
  const { faults, catches, generic } = await profileFaults(profile);
  return {
    faults,
    catches,
    generic,
    provided: profile.model.parent.discover ? [`${profile.model.parent.kind}s`] : undefined,
    start: (o) => startProfileServer(profile, { port: o.port, token: o.token, faults: o.faults, delays: o.delays, log: o.log }),
  };
}

/** The reference server of a profile: its hand-written one, or the one its documents make. */
export async function serverFor(profileId: string): Promise<ServerFamily> {
  return referenceServers[profileId] ?? fromDocuments(loadProfile(profileId));
}

/** The hand-written servers, by profile id. */
export const referenceServers: Record<string, ServerFamily> = {
  // The v2 profile's server serves v2 beside v3; the v3 profile's serves v3 only, as Cinder does today.
  'cinder-v2': cinder(['v2', 'v3']),
  'cinder-v3': cinder(['v3']),
};
