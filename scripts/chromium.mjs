#!/usr/bin/env node
// Before `npm test`: the report's tests open it in Debian's Chromium (Playwright cannot download its
// own browser here). When it is missing, install it (with a fixed font, so the screenshot test sees
// the same glyphs everywhere) as root or through sudo; where neither can, stop at once with the
// one command to run. SC_CHROMIUM names another Chromium binary.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const binary = process.env.SC_CHROMIUM ?? '/usr/bin/chromium';
const font = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
const missing = [...(existsSync(binary) ? [] : ['chromium']), ...(existsSync(font) ? [] : ['fonts-dejavu-core'])];
if (!missing.length) process.exit(0);
if (process.env.SC_CHROMIUM && !existsSync(binary)) {
  process.stderr.write(`SC_CHROMIUM names ${binary}, which does not exist\n`);
  process.exit(1);
}
const command = `apt-get update && apt-get install -y --no-install-recommends ${missing.join(' ')}`;
const root = process.getuid?.() === 0;
const sudo = !root && spawnSync('sudo', ['-n', 'true']).status === 0;
if (!root && !sudo) {
  process.stderr.write(`the report tests need Debian's Chromium: run \`sudo sh -c '${command}'\` (or set SC_CHROMIUM to a Chromium binary), then npm test again\n`);
  process.exit(1);
}
process.stdout.write(`installing ${missing.join(', ')} for the report tests\n`);
const run = (args) => execFileSync(root ? args[0] : 'sudo', root ? args.slice(1) : args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
run(['apt-get', 'update', '-qq']);
run(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...missing]);
