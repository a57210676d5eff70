// list: what the suite knows, one line each: its profiles, the clauses of each (level and title),
// the checks (what each holds to: the ids findings and expectations name), the named faults of the
// reference servers (what each makes wrong).
import { loadProfile, profileIds } from '../profile/load.ts';
import { UsageError } from './usage.ts';

export async function listCommand(values: Record<string, any>, positionals: string[]): Promise<number> {
  const [what, ...extra] = positionals;
  if (extra.length) throw new UsageError(`list takes one of profiles, clauses, checks or faults, not "${positionals.join(' ')}"`);
  const only: string | undefined = values.profile;
  if (only !== undefined && !profileIds().includes(only)) throw new UsageError(`unknown profile "${only}"; known profiles: ${profileIds().join(', ')}`);
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
      const { referenceServers } = await import('../servers/index.ts');
      for (const id of profiles) {
        const family = referenceServers[id];
        if (!family) continue;
        for (const [name, does] of Object.entries(family.faults)) out.push(`${id.padEnd(12)} ${name.padEnd(30)} ${does}`);
      }
      break;
    }
    default:
      throw new UsageError(`list what? one of profiles, clauses, checks or faults${what ? `, not "${what}"` : ''}`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}
