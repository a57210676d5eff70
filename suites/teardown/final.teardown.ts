// Tear-down project of a profile, run after every test of the profile, whatever their outcome:
// the tests that need the target to themselves (exclusive.ts), then the final clean-up, which
// deletes everything the run's ledger still holds (all workers together) and then the parent
// resource if the run created it.
import { existsSync, readFileSync } from 'node:fs';
import { test, type ParentState } from '../fixtures.ts';
import { Ledger } from '../../src/target/ledger.ts';
import { cleanup } from '../../src/target/resources.ts';

test.describe.configure({ mode: 'default' });

test('nothing the run created is left on the target', async ({ world }) => {
  const ledger = Ledger.fromFile(world.profile, world.run.runId, world.ledger.file!);
  const parent: ParentState | undefined = existsSync(world.parentFile) ? JSON.parse(readFileSync(world.parentFile, 'utf8')) : undefined;
  // A parent the run was given is never deleted; one it created is in the ledger like any other.
  const keep = parent && !parent.created ? parent.id : undefined;
  const report = await cleanup(world.admin, ledger, (e) => e.id !== keep);
  const summary = `removed ${report.deleted.length} resource(s)${report.failed.length ? `; could not remove ${report.failed.map((f) => `${f.kind} ${f.id} (${f.reason})`).join(', ')}` : ''}`;
  test.info().annotations.push({ type: 'cleanup', description: summary });
  if (report.failed.length) throw new Error(summary);
});
