// list: what the suite knows, one line each: its profiles, the clauses of each (level and title),
// the checks (what each holds to: the ids findings and expectations name), the named faults of the
// reference servers (what each makes wrong) that the profile's clauses catch.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadProfile, PACKAGE_ROOT, profileIds } from '../profile/load.ts';
import { resolveProfile } from '../profile/sources.ts';
import { UsageError } from './usage.ts';

/**
 * The faults of a profile's reference server that its clauses catch: the rows of the fault matrix
 * (specs/fault-matrix.yaml, which the project's tests hold the suite to) with clauses to catch them.
 * A fault the profile does not exercise (not-applicable) would make `serve` wrong in a way no run of
 * the profile can see.
 */
function faultsCaught(profile: string): Set<string> {
  const matrix: Record<string, Record<string, { catches?: string[] }>> = parse(readFileSync(join(PACKAGE_ROOT, 'specs', 'fault-matrix.yaml'), 'utf8'));
  return new Set(Object.entries(matrix[profile] ?? {}).filter(([, row]) => row.catches?.length).map(([fault]) => fault));
}

export async function listCommand(values: Record<string, any>, positionals: string[]): Promise<number> {
  const [what, ...extra] = positionals;
  if (extra.length) throw new UsageError(`list takes one of profiles, clauses, checks or faults, not "${positionals.join(' ')}"`);
  const only = values.profile === undefined ? undefined : resolveProfile(values.profile);
  const profiles = only ? [only] : profileIds();
  const out: string[] = [];
  switch (what) {
    case 'profiles':
      for (const id of profiles) {
        const p = loadProfile(id);
        out.push(`${id.padEnd(12)} ${String(p.clauseFile.clauses.length).padStart(3)} clauses  ${p.clauseFile.system}`);
      }
      break;
    case 'clauses':
      for (const id of profiles) for (const c of loadProfile(id).clauseFile.clauses) out.push(`${c.id.padEnd(13)} ${c.level.padEnd(6)} ${c.title}`);
      break;
    case 'checks': {
      const { allChecks } = await import('../checks/index.ts');
      for (const c of allChecks) out.push(`${c.id.padEnd(28)} ${c.summary}`);
      break;
    }
    case 'faults': {
      const { referenceServers, serverFor } = await import('../servers/index.ts');
      for (const id of profiles) {
        const family = await serverFor(id);
        // A hand-written server's faults: those its profile's clauses catch (the matrix says which);
        // a profile server's: those its documents give a clause to catch.
        const caught = referenceServers[id] ? faultsCaught(id) : new Set(Object.keys(family.catches ?? {}).filter((f) => family.catches![f]!.length));
        for (const [name, does] of Object.entries(family.faults)) if (caught.has(name)) out.push(`${id.padEnd(12)} ${name.padEnd(30)} ${does}`);
      }
      break;
    }
    default:
      throw new UsageError(`list what? one of profiles, clauses, checks or faults${what ? `, not "${what}"` : ''}`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}
