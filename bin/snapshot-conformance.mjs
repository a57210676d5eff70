#!/usr/bin/env node
// Entry point of `npx snapshot-conformance`: the CLI compiled to JavaScript (dist/, built by
// `npm run build`, which `npm ci` and `npm pack` run).
import { existsSync } from 'node:fs';

const main = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('snapshot-conformance: the package is not built; run `npm run build` in its directory\n');
  process.exit(2);
}
const { main: run } = await import(main.href);
process.exitCode = await run(process.argv.slice(2));
