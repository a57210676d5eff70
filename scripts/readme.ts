// Writes the README's generated blocks (the exit codes, the options of `run`) from
// src/cli/commands.ts, the one source of --help: npm run readme. tests/readme.spec.ts checks them.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readmeBlocks } from '../src/cli/commands.ts';
import { ROOT } from '../tests/support/run-suite.ts';

const file = join(ROOT, 'README.md');
let text = readFileSync(file, 'utf8');
for (const [name, block] of Object.entries(readmeBlocks())) {
  const re = new RegExp(`(<!-- generated: ${name} -->\\n)[\\s\\S]*?(<!-- end: ${name} -->)`);
  if (!re.test(text)) throw new Error(`README.md has no block "${name}": add <!-- generated: ${name} --> and <!-- end: ${name} --> where it goes`);
  text = text.replace(re, (_, open: string, close: string) => `${open}${block}\n${close}`);
}
writeFileSync(file, text);
process.stdout.write(`wrote ${file}\n`);
