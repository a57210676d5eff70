// Hostile targets: for each bad behaviour, a run of the suite ends within its time bounds, records
// a finding with evidence, goes on with the other checks, keeps bodies small, and still removes
// everything it made.
import { test, expect } from '@playwright/test';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { embeddedBaseUrl } from '../src/config/run-env.ts';
import { referenceServers } from '../src/servers/index.ts';
import { SCENARIOS, startHostile, type Scenario } from './support/hostile.ts';
import { cli, failing, TOKEN } from './support/run-suite.ts';

const PROFILE = 'cinder-v3';
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
      const started = Date.now();
      const run = await cli(['run', '--profile', PROFILE, '--base-url', hostile.url, '--token', TOKEN, '--report-dir', dir, '--examples', '4', '--request-timeout', '3', '--state-timeout', '5']);
      const elapsed = Date.now() - started;
      expect(hostile.hits(), 'the bad behaviour was met').toBeGreaterThan(0);
      expect(run.code, run.stdout.slice(-1500) + run.stderr).toBe(1);
      const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
      expect(failing(results)).toContain(BROKEN[scenario]);
      expect(elapsed, 'ended within its bounds').toBeLessThan(5 * 60_000);
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
