// compare OLD NEW: what changed between two runs (results.json files, or report directories):
// printed, and written as comparison.json and comparison.html. Exit 1 when something newly fails.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { compareRuns, comparisonHtml, comparisonText } from '../report/compare.ts';
import { UsageError } from './usage.ts';

function readResults(path: string): { file: string; doc: any } {
  const file = existsSync(path) && statSync(path).isDirectory() ? join(path, 'results.json') : path;
  if (!existsSync(file)) throw new UsageError(`no results.json at ${path}`);
  try {
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    if (doc?.tool !== 'snapshot-conformance') throw new Error('not written by snapshot-conformance');
    return { file: resolve(file), doc };
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as Error).message.split('\n')[0]}`);
  }
}

export async function compareCommand(values: Record<string, any>, positionals: string[]): Promise<number> {
  if (positionals.length !== 2) throw new UsageError('compare needs two runs: OLD NEW (results.json files or report directories)');
  const before = readResults(positionals[0]!);
  const now = readResults(positionals[1]!);
  const comparison = compareRuns(before.doc, now.doc, { old: before.file, new: now.file });
  const out = resolve(values.out ?? dirname(now.file));
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'comparison.json'), JSON.stringify(comparison, null, 2));
  writeFileSync(join(out, 'comparison.html'), comparisonHtml(comparison));
  process.stdout.write(`${comparisonText(comparison)}\ncomparison: ${join(out, 'comparison.html')}\n`);
  return comparison.profiles.some((p) => p.newlyFailing.length) ? 1 : 0;
}
