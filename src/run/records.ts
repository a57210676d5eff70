// The records of a run's tests, one JSON file per test in <run dir>/records/<profile>/: what the
// verdict, the report and the merge of shards read. Written by the process that ran the test.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestRecord } from '../findings/types.ts';

let written = 0;

/** What a record is of: a test that shares the target, one that needs it alone, the run's set-up. */
export type RecordKind = 'shared' | 'alone' | 'setup';

export function writeRecord(runDir: string, record: TestRecord, kind: RecordKind): string {
  const dir = join(runDir, 'records', record.profile);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${kind}-${process.pid}-${++written}.json`);
  writeFileSync(file, JSON.stringify(record));
  return file;
}

/** How many records of a kind a profile has. */
export function recordsOf(runDir: string, profile: string, kind: RecordKind): number {
  const dir = join(runDir, 'records', profile);
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.startsWith(`${kind}-`)).length : 0;
}

export function readRecords(runDir: string, profile: string): TestRecord[] {
  const dir = join(runDir, 'records', profile);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .flatMap((f) => {
      try {
        return [JSON.parse(readFileSync(join(dir, f), 'utf8')) as TestRecord];
      } catch {
        return []; // a file cut by a killed process
      }
    });
}
