// list: what the suite knows, one line each: its profiles, the clauses of each (level and title),
// the checks (what each holds to: the ids findings and expectations name), the named faults of the
// reference servers (what each makes wrong) that the profile's clauses catch.
import { loadProfile, profileIds } from '../profile/load.ts';
import { matrixRows } from '../selftest/matrix.ts';
import { resolveCheckedProfile } from '../profile/check.ts';
import { UsageError } from './usage.ts';

/**
 * The faults of a profile's reference server that its clauses catch: those the fault matrix
 * (specs/fault-matrix.yaml) gives clauses to catch, and those of a profile server whose documents
 * name the clauses, unless the matrix says the profile cannot catch them. A fault the profile does
 * not exercise would make `serve` wrong in a way no run of the profile can see.
 */
function faultsCaught(profile: string, catches: Record<string, string[]> = {}): Set<string> {
  const rows = matrixRows(profile);
  const caught = (fault: string) => !rows[fault]?.['not-applicable'] && Boolean(rows[fault]?.catches?.length || catches[fault]?.length);
  return new Set([...Object.keys(rows), ...Object.keys(catches)].filter(caught));
}

export async function listCommand(values: Record<string, any>, positionals: string[]): Promise<number> {
  const [what, ...extra] = positionals;
  if (extra.length) throw new UsageError(`list takes one of profiles, clauses, checks or faults, not "${positionals.join(' ')}"`);
  const only = values.profile === undefined ? undefined : resolveCheckedProfile(values.profile);
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
      const { serverFor } = await import('../servers/index.ts');
      for (const id of profiles) {
        const family = await serverFor(id);
        const caught = faultsCaught(id, family.catches);
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
