// The README says what --help says: its tables of commands, exit codes and options of `run` are the
// ones src/cli/commands.ts gives (npm run readme writes them).
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readmeBlocks } from '../src/cli/commands.ts';
import { ROOT } from './support/run-suite.ts';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

for (const [name, block] of Object.entries(readmeBlocks())) {
  test(`the README's ${name} are those of --help (npm run readme)`, () => {
    const found = new RegExp(`<!-- generated: ${name} -->\\n([\\s\\S]*?)<!-- end: ${name} -->`).exec(readme);
    expect(found, `README.md has the block "${name}"`).not.toBeNull();
    expect(found![1]!.trim()).toBe(block);
  });
}
