// selftest: a profile's mutation score, against its own reference server with each fault (see
// src/selftest). Exit 0 when every fault was caught by the clauses meant for it, 1 when one was not
// (or the correct server is not conformant), 2 for bad input.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { resolveCheckedProfile } from '../profile/check.ts';
import { serverFor } from '../servers/index.ts';
import { outcomeLine, summaryText, writeSelftest } from '../selftest/report.ts';
import { selftest } from '../selftest/selftest.ts';
import { UsageError } from './usage.ts';

export async function selftestCommand(values: Record<string, any>): Promise<number> {
  if (!values.profile) throw new UsageError('selftest needs --profile (a profile id, or the path of a profile folder)');
  const profile = resolveCheckedProfile(values.profile);
  const family = await serverFor(profile);
  const asked: string[] | undefined = values.fault;
  for (const f of asked ?? []) if (!Object.hasOwn(family.faults, f)) throw new UsageError(`unknown fault "${f}" for ${profile}; see snapshot-conformance list faults --profile ${values.profile}`);
  const dir = resolve(values['report-dir'] ?? `reports/selftest-${profile}`);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new UsageError(`cannot write the report to ${dir}: ${(error as Error).message.split('\n')[0]}`);
  }
  const total = asked?.length ?? Object.keys(family.faults).length;
  process.stdout.write(`snapshot-conformance selftest: ${profile}, ${total} fault(s) against its reference server\nreport: ${dir}\n`);
  const result = await selftest(profile, { faults: asked, progress: (o, i, n) => process.stdout.write(`${outcomeLine(o, i, n)}\n`) });
  const written = writeSelftest(dir, result);
  process.stdout.write(`\n${summaryText(result)}\nreport: ${written.html}\n`);
  return result.correct.verdict === 'conformant' && result.score.caught === result.score.faults ? 0 : 1;
}
