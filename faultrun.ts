import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { referenceServers } from './src/servers/index.ts';
import { embeddedBaseUrl } from './src/config/run-env.ts';
const profile = process.argv[2]!;
const faults = process.argv.slice(3);
for (const fault of faults) {
  const server = await referenceServers[profile]!.start({ token: 'tok-secret-123', faults: fault === 'none' ? [] : [fault] });
  const dir = `/tmp/faults/${profile}/${fault}`;
  const t0 = Date.now();
  const r = await new Promise<number>((res) => {
    
    const c = spawn('node', ['bin/snapshot-conformance.mjs', 'run', '--profile', profile, '--base-url', embeddedBaseUrl(profile, server.url), '--token', 'tok-secret-123', '--report-dir', dir, '--seed', '7', '--examples', '10', '--state-timeout', '3'], { stdio: 'ignore' });
    c.on('exit', (code: number) => res(code));
  });
  await server.close();
  let failing = '';
  try {
    const res = JSON.parse(readFileSync(`${dir}/results.json`, 'utf8'));
    failing = res.clauses.filter((c: any) => c.status === 'fail').map((c: any) => c.id).join(' ');
    const skipped = res.clauses.filter((c: any) => c.status === 'skip').length;
    failing += ` | skipped ${skipped} | errors ${res.errors.length}`;
  } catch (e) { failing = 'no results'; }
  console.log(`${fault}: exit ${r} (${((Date.now() - t0) / 1000).toFixed(0)} s) ${failing}`);
}
