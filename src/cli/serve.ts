// serve: runs a profile's reference server until interrupted and prints its base URL. With
// --fault it is wrong on purpose, one named behaviour per fault.
import { embeddedBaseUrl, loadProfile, profileIds } from '../profile/load.ts';
import { resolveCheckedProfile } from '../profile/check.ts';
import { serverFor, type ReferenceServer } from '../servers/index.ts';
import { positiveInt, UsageError } from './usage.ts';

export async function serveCommand(values: Record<string, any>): Promise<number> {
  if (!values.profile) throw new UsageError(`serve needs --profile (one of ${profileIds().join(', ')}, or the path of a profile folder)`);
  const profile = resolveCheckedProfile(values.profile);
  const family = await serverFor(profile);
  const faults: string[] = values.fault ?? [];
  for (const f of faults) {
    if (!(f in family.faults)) throw new UsageError(`unknown fault "${f}" for ${profile}; known: ${Object.keys(family.faults).join(', ')}`);
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number, not "${values.port}"`);
  const ms = (name: 'create-delay' | 'delete-delay') => (values[name] === undefined ? undefined : positiveInt(name, values[name], 0));

  let server: ReferenceServer;
  try {
    server = await family.start({ port, token: values.token, faults, delays: { createMs: ms('create-delay'), deleteMs: ms('delete-delay') } });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new UsageError(`port ${port} is already in use; pick another with --port`);
    throw error;
  }
  const out = [
    `${profile} reference server: ${embeddedBaseUrl(profile, server.url)}`,
    credentials(profile, values.token),
    faults.length ? `faults: ${faults.map((f) => `${f} (${family.faults[f]})`).join('; ')}` : 'faults: none',
  ];
  if (!values.quiet) process.stdout.write(`${out.join('\n')}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  return 0;
}

/** What the server takes as credentials, as the profile sends them. */
function credentials(profile: string, token: string | undefined): string {
  const auth = loadProfile(profile).model.auth;
  const where = auth.kind === 'header' ? `${auth.header}${auth.scheme ? ` (${auth.scheme} ...)` : ''}` : auth.kind === 'query' ? `the query parameter ${auth.query}` : 'a signature';
  if (auth.kind === 'none') return 'credentials: none (the API has none)';
  return token ? `credentials: the one given with --token, in ${where}` : `credentials: any non-empty one, in ${where}`;
}
