// Hostile targets: for each bad behaviour, a run of the suite ends within its time bounds, records
// a finding with evidence, goes on with the other checks, keeps bodies small, and still removes
// everything it made.
import { test, expect } from '@playwright/test';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { embeddedBaseUrl } from '../src/profile/load.ts';
import { referenceServers } from '../src/servers/index.ts';
import { SCENARIOS, startHostile, type Scenario } from './support/hostile.ts';
import { cli, TOKEN } from './support/run-suite.ts';

const PROFILE = 'cinder-v3';
/** The run's time budget: every scenario must end on its own well before it. */
const BUDGET_SECONDS = 120;
/** The clause whose operation the scenario breaks. */
const BROKEN: Record<Scenario, string> = {
  hang: 'CV3-API-02',
  reset: 'CV3-API-02',
  storm: 'CV3-API-02',
  'not-json': 'CV3-API-02',
  truncated: 'CV3-API-02',
  'content-length': 'CV3-API-02',
  huge: 'CV3-API-02',
  drip: 'CV3-API-02',
  redirect: 'CV3-API-02',
  'foreign-link': 'CV3-LIST-03',
};

const size = (dir: string): number =>
  readdirSync(dir).reduce((n, name) => {
    const path = join(dir, name);
    return n + (statSync(path).isDirectory() ? size(path) : statSync(path).size);
  }, 0);

for (const [scenario, what] of Object.entries(SCENARIOS) as Array<[Scenario, string]>) {
  test(`a target that ${what}: the run ends in time, says so, and leaves nothing`, async () => {
    const server = await referenceServers[PROFILE]!.start({ token: TOKEN });
    const hostile = await startHostile(embeddedBaseUrl(PROFILE, server.url), scenario);
    try {
      const dir = mkdtempSync(join(tmpdir(), `sc-hostile-${scenario}-`));
      const run = await cli(['run', '--profile', PROFILE, '--base-url', hostile.url, '--token', TOKEN, '--report-dir', dir, '--examples', '4', '--request-timeout', '3', '--state-timeout', '5', '--budget', String(BUDGET_SECONDS)]);
      expect(hostile.hits(), 'the bad behaviour was met').toBeGreaterThan(0);
      const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
      // Ended on its own: its budget did not have to stop it.
      expect(results.ended, run.stdout.slice(-1500)).toBeUndefined();
      // A finding with evidence on the clause the scenario breaks; the exit code follows the verdict.
      const broken = results.clauses.find((c: any) => c.id === BROKEN[scenario]);
      expect(broken.status).toBe('fail');
      expect(broken.findings[0].exchanges.length, 'the failure has its exchanges as evidence').toBeGreaterThan(0);
      if (broken.level === 'MUST') expect(results.verdict).toBe('not conformant');
      expect(run.code, run.stdout.slice(-1500) + run.stderr).toBe(results.exitCode);
      // The other checks went on: the lifecycle still ran and held.
      expect(results.clauses.find((c: any) => c.id === 'CV3-LIFE-02').status).toBe('pass');
      expect(size(dir), 'bodies are capped in the report').toBeLessThan(8 * 2 ** 20);
      expect(server.inventory().snapshots ?? []).toEqual([]);
      expect(server.inventory().volumes ?? []).toEqual([]);
      expect(run.stdout + run.stderr).not.toMatch(/\n\s+at .*\.(ts|js):\d+/);
    } finally {
      await hostile.close();
      await server.close();
    }
  });
}
