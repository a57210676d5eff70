// The CI files in examples/ are ready to copy: they parse, and every snapshot-conformance command
// they run is one the CLI takes, with options it knows.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import { COMMANDS, parseConfig, type CommandName } from '../src/cli/commands.ts';
import { ROOT } from './support/run-suite.ts';

/** Every string in a YAML document (scripts, run steps). */
const strings = (node: unknown): string[] =>
  typeof node === 'string' ? [node] : Array.isArray(node) ? node.flatMap(strings) : node && typeof node === 'object' ? Object.values(node).flatMap(strings) : [];

for (const file of ['examples/github/conformance.yml', 'examples/gitlab/.gitlab-ci.yml']) {
  test(`${file} runs only commands and options the CLI knows`, () => {
    const doc = parse(readFileSync(join(ROOT, file), 'utf8'));
    const calls = strings(doc).flatMap((s) => [...s.matchAll(/npx snapshot-conformance ([^|#\n]+)/g)].map((m) => m[1]!.trim()));
    expect(calls.length).toBeGreaterThanOrEqual(2);
    expect(calls.some((c) => c.startsWith('run ') && c.includes('--shard'))).toBe(true);
    expect(calls.some((c) => c.startsWith('merge '))).toBe(true);
    for (const call of calls) {
      // Quoted values and the CI's own variables stand for one argument each.
      const args = call.replace(/"[^"]*"/g, 'VALUE').replace(/\$\{\{[^}]*\}\}/g, 'X').split(/\s+/).filter(Boolean);
      const [command, ...rest] = args as [CommandName, ...string[]];
      expect(Object.keys(COMMANDS), call).toContain(command);
      expect(() => parseArgs({ args: rest, options: parseConfig(COMMANDS[command]), strict: true, allowPositionals: 'args' in COMMANDS[command] }), call).not.toThrow();
    }
  });
}
