// npx snapshot-conformance <command>. Each command's module is imported only when it runs, so that
// `--help` answers at once. Bad input ends with exit code 2 and one line saying what to fix, never
// a stack trace.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { commandHelp, COMMANDS, overview, parseConfig, type CommandName } from './commands.ts';
import { UsageError } from './usage.ts';

type Handler = (values: Record<string, any>, positionals: string[]) => Promise<number>;

const handlers: Record<Exclude<CommandName, 'help'>, () => Promise<Handler>> = {
  run: async () => (await import('./run.ts')).runCommand,
  serve: async () => (await import('./serve.ts')).serveCommand,
  sweep: async () => (await import('./sweep.ts')).sweepCommand,
  selftest: async () => (await import('./selftest.ts')).selftestCommand,
  list: async () => (await import('./list.ts')).listCommand,
  check: async () => (await import('./check.ts')).checkCommand,
  compare: async () => (await import('./compare.ts')).compareCommand,
  merge: async () => (await import('./merge.ts')).mergeCommand,
  init: async () => (await import('./init.ts')).initCommand,
};

export function version(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;
    } catch {
      if (dirname(dir) === dir) return 'unknown';
      dir = dirname(dir);
    }
  }
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined) {
      process.stderr.write(`${overview(version())}\n`);
      return 2;
    }
    if (command === '--version' || command === '-V' || command === 'version') {
      process.stdout.write(`${version()}\n`);
      return 0;
    }
    if (command === 'help' || command === '--help' || command === '-h') {
      const about = rest[0];
      if (about === undefined) process.stdout.write(`${overview(version())}\n`);
      else if (about in COMMANDS) process.stdout.write(`${commandHelp(about as CommandName)}\n`);
      else throw new UsageError(`unknown command "${about}"; commands: ${Object.keys(COMMANDS).join(', ')}`);
      return 0;
    }
    if (!(command in handlers)) throw new UsageError(`unknown command "${command}"; commands: ${Object.keys(COMMANDS).join(', ')} (see --help)`);
    const name = command as keyof typeof handlers;
    const { values, positionals } = parseOptions(name, rest);
    if (values.help) {
      process.stdout.write(`${commandHelp(name)}\n`);
      return 0;
    }
    const handler = await handlers[name]();
    return await handler(values, positionals);
  } catch (error) {
    if (error instanceof UsageError || (error as Error)?.name === 'ProfileError') {
      process.stderr.write(`snapshot-conformance: ${(error as Error).message}\n`);
      return 2;
    }
    throw error;
  }
}

/** parseArgs with the command's options, its errors turned into one-line usage errors. */
function parseOptions(name: CommandName, args: string[]) {
  const spec = COMMANDS[name];
  try {
    const parsed = parseArgs({ args, options: parseConfig(spec), strict: true, allowPositionals: 'args' in spec });
    return { values: parsed.values as Record<string, any>, positionals: parsed.positionals };
  } catch (error) {
    const first = ((error as Error).message.split('\n')[0] ?? '').replace(/\. To specify a positional.*$/, '');
    throw new UsageError(`${first} (see snapshot-conformance ${name} --help)`);
  }
}
