// The reference server of any profile, from its documents (server.ts) and its folder's add-on:
// started and stopped like every reference server, with the generic faults of its documents and
// the add-on's named ones.
import { ProfileError, type Profile } from '../../profile/load.ts';
import { listen, type Address, type InventoryItem, type RunningServer } from '../listen.ts';
import { newStats } from '../stats.ts';
import { HOLD_MS } from '../timers.ts';
import { fieldValue } from '../../util/pointer.ts';
import { loadAddon } from './addon.ts';
import { genericFaults } from './faults.ts';
import { ProfileServer } from './server.ts';
import { Store } from './store.ts';

export interface ProfileServerOptions extends Address {
  /** The accepted credentials (a token; a signer's KEY:SECRET); undefined accepts any. */
  token?: string;
  faults?: string[];
  /** How long a resource is being created and deleted, and a made parent (each HOLD_MS unless told). */
  delays?: { createMs?: number; deleteMs?: number; parentCreateMs?: number };
  /** How many resources it holds at most, where the profile has a quota (default 10). */
  quota?: number;
  log?: (line: string) => void;
}

/**
 * Every fault the profile's server knows: the generic ones of its documents, and its add-on's
 * named ones (a description, or {does, catches}); with the clauses that must catch each, where known.
 */
export async function profileFaults(profile: Profile): Promise<{ faults: Record<string, string>; catches: Record<string, string[]>; generic: Set<string> }> {
  const addon = await loadAddon(profile.model.modules.server);
  const faults: Record<string, string> = {};
  const catches: Record<string, string[]> = {};
  const generic = new Set<string>();
  for (const f of genericFaults(profile)) {
    [faults[f.name], catches[f.name]] = [f.does, f.catches];
    generic.add(f.name);
  }
  for (const [name, spec] of Object.entries(addon.faults ?? {})) {
    if (generic.has(name)) throw new ProfileError(`${profile.model.modules.server}: the named fault ${name} has the name of a generic fault of the profile; name it otherwise`);
    faults[name] = typeof spec === 'string' ? spec : spec.does;
    if (typeof spec !== 'string' && spec.catches) catches[name] = spec.catches;
  }
  return { faults, catches, generic };
}

export async function startProfileServer(profile: Profile, options: ProfileServerOptions = {}): Promise<RunningServer<Record<string, InventoryItem[]>>> {
  const addon = await loadAddon(profile.model.modules.server);
  const { faults: known } = await profileFaults(profile);
  const unknown = (options.faults ?? []).filter((f) => !Object.hasOwn(known, f));
  if (unknown.length) throw new Error(`unknown ${profile.id} fault(s): ${unknown.join(', ')}; known: ${Object.keys(known).join(', ')}`);
  const store = new Store();
  const createMs = options.delays?.createMs ?? HOLD_MS;
  // Where the profile refuses a resource of a parent not ready, a made parent is not ready until it
  // has been seen so: a resource asked for at once meets it not ready, however slow the machine.
  const parentsReadyOnceSeen = (profile.model.preconditions ?? []).some((pre) => !('lookups' in pre.parent));
  const server = new ProfileServer(profile, store, new Set(options.faults ?? []), addon, {
    token: options.token,
    delays: { createMs, deleteMs: options.delays?.deleteMs ?? HOLD_MS, parentCreateMs: options.delays?.parentCreateMs ?? createMs },
    parentsReadyOnceSeen,
    quota: options.quota ?? 10,
  });
  await server.init();
  const stats = newStats();
  const r = profile.model.resource;
  const item = (kind: 'resources' | 'parents') =>
    [...store[kind].values()].map((s) => ({ id: s.id, name: String(fieldValue(s.object, kind === 'resources' ? r.fields.name : 'name') ?? '') || null, status: s.status ?? 'present', projectId: '' }));
  return listen({
    port: options.port,
    host: options.host,
    tls: options.tls,
    pipeline: server.pipeline(stats, options.log),
    stats,
    store: {
      inventory: () => ({ [`${r.kind}s`]: item('resources'), [`${profile.model.parent.kind}s`]: item('parents') }),
      close: () => store.close(),
    },
  });
}
