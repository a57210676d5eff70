// check: everything that can be known of profiles before a run, each problem one line with its
// file and line (or the document's JSON pointer) and its fix, then a summary. Exit 0 when there
// is none, 1 when there are problems, 2 when a profile named is not there at all.
import { checkProfile, problemLine, type Problem } from '../profile/check.ts';
import { locateProfile, profileIds } from '../profile/sources.ts';

export async function checkCommand(values: Record<string, any>, positionals: string[]): Promise<number> {
  const refs = positionals.length ? positionals : profileIds();
  // Every name first: one that is not there is bad input, before anything is checked.
  const located = refs.map((ref) => ({ ref, ...locateProfile(ref) }));
  const results: Array<{ profile: string; file: string; problems: Problem[] }> = [];
  for (const { ref, file, id } of located) {
    const checked = await checkProfile(file, { id });
    // A folder's profile is known by its id and where it is (two folders may hold copies of one).
    results.push({ profile: id ?? (checked.id ? `${checked.id} (${ref})` : ref), file, problems: checked.problems });
  }
  const problems = results.flatMap((r) => r.problems);
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ problems: problems.length, profiles: results }, null, 2)}\n`);
  } else {
    // Each profile's problems file by file, in the order of their lines.
    const byLine = results.flatMap((r) => {
      const files = [...new Set(r.problems.map((p) => p.file))];
      return [...r.problems].sort((a, b) => files.indexOf(a.file) - files.indexOf(b.file) || (a.line ?? 0) - (b.line ?? 0));
    });
    const lines = byLine.map((p) => problemLine(p));
    const names = results.map((r) => r.profile).join(', ');
    lines.push(problems.length ? `${problems.length} problem${problems.length === 1 ? '' : 's'} in ${results.filter((r) => r.problems.length).map((r) => r.profile).join(', ')}` : `no problems in ${names}`);
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  return problems.length ? 1 : 0;
}
