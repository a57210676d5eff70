// The build step after compiling: every shipped profile is checked as `snapshot-conformance check`
// checks it (a problem fails the build, each printed on a line of its own) and kept as JSON (see
// keptSources in load.ts), so that no process of a run parses YAML or checks a profile again.
import { checkProfile, problemLine } from './check.ts';
import { keepChecked } from './load.ts';
import { documentOf, profileIds } from './sources.ts';

const results = await Promise.all(profileIds().map((id) => checkProfile(documentOf(id), { id })));
const problems = results.flatMap((r) => r.problems);
if (problems.length) {
  for (const p of problems) process.stderr.write(`${problemLine(p)}\n`);
  process.stderr.write(`the shipped profiles have ${problems.length} problem(s): the build keeps none of them\n`);
  process.exitCode = 1;
} else {
  for (const r of results) keepChecked(r.profile!, r.texts);
  process.stdout.write(`checked profiles: ${results.map((r) => r.id).join(', ')}\n`);
}
