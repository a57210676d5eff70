// npx snapshot-conformance <command>: run the suite (run), serve a reference server (serve).
// Bad input ends with exit code 2 and one line saying what to fix, never a stack trace.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { runCommand } from './run.ts';
import { serveCommand } from './serve.ts';
import { sweepCommand } from './sweep.ts';
import { UsageError } from './usage.ts';
import { ProfileError } from '../profile/load.ts';

const HELP = `snapshot-conformance: conformance suite for volume-snapshot REST APIs

Usage:
  snapshot-conformance run [--profile ID|all] [--base-url URL --token T] [--project-id P]
                           [--volume-id V | --cluster-id C] [--report-dir DIR] [--seed N]
                           [--examples N] [--concurrency N] [--workers N] [--expectations FILE]
                           [--request-timeout S] [--state-timeout S] [--replay-path PATH] [--grep RE]
                           [--microversion V] [--read-only] [--max-rps N]
  snapshot-conformance serve --profile ID [--port N] [--token T] [--fault NAME ...]
                             [--create-delay MS] [--delete-delay MS]
  snapshot-conformance sweep --profile ID --base-url URL --token T [--project-id P]
                             (--run ID ... | --all-runs) [--report-dir DIR] [--dry-run]

Without --base-url, run starts the embedded reference server of each profile and runs against it.
--microversion asks for another microversion than the profile's base (cinder-v3: 3.0).
sweep removes what crashed runs left (found by their ledger and the sc-<run id>- name prefix).
Exit codes: 0 every MUST clause passed (or failed as expected), 1 conformance failures,
2 usage, configuration or unreachable target.`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'run':
        return await runCommand(rest);
      case 'serve':
        return await serveCommand(rest);
      case 'sweep':
        return await sweepCommand(rest);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(`${HELP}\n`);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"; use run or serve (see --help)`);
    }
  } catch (error) {
    if (error instanceof UsageError || error instanceof ProfileError) {
      process.stderr.write(`snapshot-conformance: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

/** parseArgs with its errors turned into one-line usage errors. */
export function parseOptions<T extends ParseArgsConfig['options']>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false });
  } catch (error) {
    throw new UsageError(((error as Error).message.split('\n')[0] ?? '').replace(/\. To specify a positional.*$/, ''));
  }
}
