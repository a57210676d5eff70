#!/usr/bin/env node
// Entry point of `npx snapshot-conformance`: the CLI is TypeScript, run through tsx.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
