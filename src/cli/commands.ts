// The commands of the CLI and their options, written once: the parser reads the types from here,
// `help` and `<command> --help` print the same table, and the README quotes it.
import type { ParseArgsConfig } from 'node:util';
import { DEFAULTS } from '../run/defaults.ts';

export interface OptionSpec {
  type: 'string' | 'boolean';
  multiple?: boolean;
  /** Shown in the usage: --name VALUE. */
  value?: string;
  help: string;
}

export interface CommandSpec {
  summary: string;
  /** Positional arguments, as the usage line shows them. */
  args?: string;
  options: Record<string, OptionSpec>;
  examples: string[];
}

const target = {
  'base-url': { type: 'string', value: 'URL', help: 'the endpoint as the service catalog gives it, version and project included (http://host:8776/v3/<project>); without it, the embedded reference servers' },
  token: { type: 'string', value: 'T', help: 'the token sent as X-Auth-Token; the environment variable SC_TOKEN keeps it out of the process list' },
  'project-id': { type: 'string', value: 'P', help: 'appended to a base URL that lacks the project' },
  header: { type: 'string', multiple: true, value: "'NAME: VALUE'", help: 'one more header on every request (a gateway\'s); repeatable' },
  'client-cert': { type: 'string', value: 'FILE', help: 'a client certificate (PEM) to present to an https target that asks for one' },
  'client-key': { type: 'string', value: 'FILE', help: "the client certificate's private key (PEM)" },
  'ca-cert': { type: 'string', value: 'FILE', help: "the CA (PEM) to trust for the target's certificate, besides the system's" },
} as const satisfies Record<string, OptionSpec>;

export const COMMANDS = {
  run: {
    summary: 'run the conformance suite against an endpoint (or the embedded reference servers) and write the report',
    options: {
      profile: { type: 'string', multiple: true, value: 'ID|all', help: 'the profile(s) to run (see `list profiles`); default all, against the embedded servers; one with --base-url' },
      ...target,
      'volume-id': { type: 'string', value: 'V', help: 'an existing, available volume to take snapshots of (never deleted); default: the run makes one' },
      'cluster-id': { type: 'string', value: 'C', help: 'an existing cluster (huawei-dws); default: the first available one' },
      'report-dir': { type: 'string', value: 'DIR', help: 'where the report goes; default reports/<run id>' },
      seed: { type: 'string', value: 'N', help: 'makes the random part repeatable' },
      examples: { type: 'string', value: 'N', help: `random lifecycle sequences per profile (default ${DEFAULTS.examples})` },
      concurrency: { type: 'string', value: 'N', help: `lifecycle lanes that run at once (default ${DEFAULTS.concurrency})` },
      workers: { type: 'string', value: 'N', help: `processes that run the tests (default ${DEFAULTS.workersRemote} with --base-url, ${DEFAULTS.workers} against the embedded servers)` },
      expectations: { type: 'string', value: 'FILE', help: 'known failures, at the grain of findings (docs/clauses.md): they do not fail the run' },
      baseline: { type: 'string', value: 'RESULTS', help: 'a results.json of an earlier run: only findings it did not have fail the run' },
      'request-timeout': { type: 'string', value: 'S', help: `seconds a request may take (default ${DEFAULTS.requestTimeoutSeconds})` },
      'state-timeout': { type: 'string', value: 'S', help: "seconds a snapshot may take to become available or gone (default: the profile's)" },
      'shrink-budget': { type: 'string', value: 'S', help: `seconds a failing lifecycle case may be shrunk (default ${DEFAULTS.shrinkBudgetSeconds})` },
      budget: { type: 'string', value: 'S', help: `seconds the whole run's tests may take (default ${DEFAULTS.budgetSeconds}); then they stop, the clean-up runs, the report says so` },
      'replay-path': { type: 'string', value: 'PATH', help: 'replays one lifecycle case, with its --seed (the report gives the command)' },
      clause: { type: 'string', multiple: true, value: 'ID', help: 'only the tests that judge this clause, and the verdict on it alone; repeatable (see `list clauses`)' },
      'last-failed': { type: 'string', value: 'DIR', help: "reruns what failed in the run whose report folder is DIR: its failed clauses, by the tests that failed them" },
      grep: { type: 'string', value: 'RE', help: 'only the tests whose title matches ("<profile> › <group> › <title> @<profile> [@read-only]")' },
      'max-failures': { type: 'string', value: 'N', help: 'stops the tests once N MUST clauses have failed with findings the run did not know of (the clean-up still runs)' },
      shard: { type: 'string', value: 'I/N', help: 'runs the I-th of N parts of the tests (join them with `merge`)' },
      microversion: { type: 'string', value: 'V', help: "asks for another microversion than the profile's base (cinder-v3: 3.0)" },
      'read-only': { type: 'boolean', help: 'sends no POST, PUT or DELETE: a verdict on what reading can judge' },
      'max-rps': { type: 'string', value: 'N', help: 'at most N requests per second, the whole run' },
    },
    examples: [
      'snapshot-conformance run --profile cinder-v3 --base-url https://cinder.example.com:8776/v3/$OS_PROJECT_ID   # token in SC_TOKEN',
      'snapshot-conformance run                                  # every profile against the embedded reference servers',
      'snapshot-conformance run --profile cinder-v3 --base-url URL --read-only --report-dir audit/',
      'snapshot-conformance run --profile cinder-v3 --base-url URL --baseline last/results.json   # fail only on new findings',
      'snapshot-conformance run --profile cinder-v3 --base-url URL --clause CV3-META-02           # one clause, by the tests that judge it',
      'snapshot-conformance run --profile cinder-v3 --base-url URL --last-failed reports/<run id>  # rerun what failed',
    ],
  },
  serve: {
    summary: "run a profile's reference server (a mock that answers as the vendor's API does) until interrupted",
    options: {
      profile: { type: 'string', value: 'ID', help: 'the profile whose server to run' },
      port: { type: 'string', value: 'N', help: 'the port (default: a free one)' },
      token: { type: 'string', value: 'T', help: 'the only token accepted (default: any non-empty token)' },
      fault: { type: 'string', multiple: true, value: 'NAME', help: 'makes one behaviour wrong on purpose (see `list faults`); repeatable' },
      'create-delay': { type: 'string', value: 'MS', help: 'how long a new snapshot stays creating' },
      'delete-delay': { type: 'string', value: 'MS', help: 'how long a deleted snapshot stays deleting' },
      quiet: { type: 'boolean', help: 'prints nothing' },
    },
    examples: ['snapshot-conformance serve --profile cinder-v3 --port 8776', 'snapshot-conformance serve --profile cinder-v3 --fault put-metadata-merges'],
  },
  selftest: {
    summary: "a profile's mutation score: the suite against its reference server with each fault, and which faults its clauses catch",
    options: {
      profile: { type: 'string', value: 'ID|PATH', help: 'the profile (an id, or the path of a profile folder)' },
      fault: { type: 'string', multiple: true, value: 'NAME', help: 'only this fault (see `list faults`); repeatable' },
      'report-dir': { type: 'string', value: 'DIR', help: 'where selftest.json and selftest.html go (default reports/selftest-<profile>)' },
    },
    examples: ['snapshot-conformance selftest --profile ./my-profile', 'snapshot-conformance selftest --profile huawei-dws --fault never-gone'],
  },
  sweep: {
    summary: 'remove what killed runs left on a target, found through their ledger and the sc-<run id>- name prefix',
    options: {
      'report-dir': { type: 'string', value: 'DIR', help: "the run's report directory: its ledger, run id, profile and target (the run prints this command)" },
      profile: { type: 'string', value: 'ID', help: 'the profile the runs used (default: those of the report directory)' },
      ...target,
      run: { type: 'string', multiple: true, value: 'ID', help: 'a run id (repeatable; default: the report directory\'s)' },
      'all-runs': { type: 'boolean', help: 'every run of the suite (any sc-<run id>- name)' },
      'dry-run': { type: 'boolean', help: 'only say what would be removed' },
    },
    examples: [
      'snapshot-conformance sweep --report-dir reports/20261126T120000-1a2b   # token in SC_TOKEN',
      'snapshot-conformance sweep --profile cinder-v3 --base-url URL --run 20261126T120000-1a2b --dry-run',
    ],
  },
  list: {
    summary: 'list what the suite knows: profiles, clauses (with level and title), checks (what each holds to) or faults (of the reference servers)',
    args: 'profiles | clauses | checks | faults',
    options: {
      profile: { type: 'string', value: 'ID', help: 'clauses and faults of one profile only' },
    },
    examples: ['snapshot-conformance list profiles', 'snapshot-conformance list clauses --profile cinder-v3', 'snapshot-conformance list checks', 'snapshot-conformance list faults'],
  },
  check: {
    summary: 'check profiles before a run: each problem one line, with its file and line (or JSON pointer) and the fix',
    args: '[PROFILE...]',
    options: {
      json: { type: 'boolean', help: 'the problems as JSON, for tools' },
    },
    examples: ['snapshot-conformance check ./acme-block/          # a profile folder: its openapi.yaml and the clause file it names', 'snapshot-conformance check                         # every profile of the package', 'snapshot-conformance check cinder-v3 --json'],
  },
  compare: {
    summary: 'compare two runs: what is newly failing, fixed, still failing, and how latency and time-to-ready changed',
    args: 'OLD NEW',
    options: {
      out: { type: 'string', value: 'DIR', help: 'where comparison.html and comparison.json go (default: the directory of NEW)' },
    },
    examples: ['snapshot-conformance compare reports/monday/results.json reports/tuesday/results.json'],
  },
  merge: {
    summary: 'join the report directories of the shards of one run into one report',
    args: 'DIR...',
    options: {
      'report-dir': { type: 'string', value: 'DIR', help: 'where the joined report goes (default reports/<run id>)' },
    },
    examples: ['snapshot-conformance merge shard-1/ shard-2/ --report-dir report/'],
  },
  init: {
    summary: "draft a profile folder from a vendor's OpenAPI 3.0/3.1 or Swagger 2.0 document: its operations, x-conformance as far as the document tells, clause stubs, a TODO for each choice left",
    args: 'DOCUMENT',
    options: {
      resource: { type: 'string', value: 'NAME', help: 'the resource the profile judges, as the paths name it (snapshot, block-storage-snapshot)' },
      parent: { type: 'string', value: 'NAME', help: 'the resource it is made of (volume, block-storage)' },
      out: { type: 'string', value: 'DIR', help: 'the profile folder to write (default ./<profile id>); it must not hold a profile yet' },
      id: { type: 'string', value: 'PROFILE_ID', help: "the profile's id, which gives the clause ids their prefix (default: from the document's title)" },
      'docs-url': { type: 'string', value: 'TEMPLATE', help: "the vendor's page of an operation, {operationId} (and {tag}) filled in: each clause's url" },
    },
    examples: [
      'snapshot-conformance init specification/DigitalOcean-public.v2.yaml --resource snapshot --parent volume --id digitalocean --out profiles/digitalocean',
      "snapshot-conformance init source.yaml --resource block-storage-snapshot --parent block-storage --docs-url 'https://openapi-v2.exoscale.com/operation/operation-{operationId}'",
    ],
  },
  help: {
    summary: 'show this help, or one command\'s',
    args: '[COMMAND]',
    options: {},
    examples: ['snapshot-conformance help run'],
  },
} as const satisfies Record<string, CommandSpec>;

export type CommandName = keyof typeof COMMANDS;

/** The options of a command as node:util parseArgs wants them. */
export function parseConfig(spec: CommandSpec): NonNullable<ParseArgsConfig['options']> {
  const out: NonNullable<ParseArgsConfig['options']> = { help: { type: 'boolean', short: 'h' } };
  for (const [name, o] of Object.entries(spec.options)) out[name] = o.multiple ? { type: o.type, multiple: true } : { type: o.type };
  return out;
}

export function commandHelp(name: CommandName): string {
  const spec: CommandSpec = COMMANDS[name];
  const width = Math.max(...Object.entries(spec.options).map(([n, o]) => n.length + (o.value ? o.value.length + 1 : 0)), 4) + 4;
  const options = Object.entries(spec.options).map(([n, o]) => `  ${`--${n}${o.value ? ` ${o.value}` : ''}`.padEnd(width)}${o.help}`);
  return [
    `snapshot-conformance ${name}: ${spec.summary}`,
    '',
    `Usage: snapshot-conformance ${name}${spec.args ? ` ${spec.args}` : ''}${options.length ? ' [options]' : ''}`,
    ...(options.length ? ['', 'Options:', ...options, `  ${'--help'.padEnd(width)}this help`] : []),
    '',
    'Examples:',
    ...spec.examples.map((e) => `  ${e}`),
  ].join('\n');
}

export function overview(version: string): string {
  const names = Object.keys(COMMANDS) as CommandName[];
  const width = Math.max(...names.map((n) => n.length)) + 3;
  return [
    `snapshot-conformance ${version}: conformance suite for volume-snapshot REST APIs`,
    '',
    'Usage: snapshot-conformance <command> [options]',
    '',
    'Commands:',
    ...names.map((n) => `  ${n.padEnd(width)}${COMMANDS[n].summary}`),
    '',
    'Run `snapshot-conformance help <command>` (or `<command> --help`) for its options and examples.',
    '',
    'Exit codes:',
    ...EXIT_CODES.map((e) => `  ${String(e.code).padEnd(5)}${e.meaning}`),
  ].join('\n');
}

/** The exit codes of `run` and `merge`, what each means: --help and the README say this. */
export const EXIT_CODES = [
  { code: 0, meaning: 'conformant: every MUST clause passed, or failed as expected, and none went untested unless the expectations accept it; a run restricted on purpose (--read-only, --clause, --last-failed, --grep, --shard): nothing it tested failed' },
  { code: 1, meaning: 'not conformant: a MUST clause failed, an expectation is out of date (an expected failure no longer fails), a MUST clause was not tested (a full run), a suite error, or the run ended early (--budget, --max-failures); the last line says which' },
  { code: 2, meaning: 'bad input: an option, a path, a selection that matches nothing, an unreachable target or one that is not the profile\'s API (one line on stderr says what to fix)' },
  { code: 130, meaning: 'interrupted (Ctrl-C, SIGTERM): the run removed what it made, unless stopped at once by a second Ctrl-C' },
] as const;

/** Markdown for the README: the options of a command and the exit codes, as --help gives them (tests/readme.spec.ts). */
export function markdownOptions(name: CommandName): string {
  const spec: CommandSpec = COMMANDS[name];
  return ['| option | what it does |', '|---|---|', ...Object.entries(spec.options).map(([n, o]) => `| \`${cell(`--${n}${o.value ? ` ${o.value}` : ''}`)}\` | ${cell(o.help)} |`)].join('\n');
}

export function markdownExitCodes(): string {
  return ['| exit code | meaning |', '|---|---|', ...EXIT_CODES.map((e) => `| ${e.code} | ${cell(e.meaning)} |`)].join('\n');
}

export function markdownCommands(): string {
  return ['| command | what it does |', '|---|---|', ...Object.entries(COMMANDS).map(([name, spec]) => `| \`${name}\` | ${cell(spec.summary)} |`)].join('\n');
}

/** A table cell: a pipe would end it, and <project> would read as a tag. */
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/</g, '&lt;');

/** The README's generated blocks, by name: `<!-- generated: NAME -->` ... `<!-- end: NAME -->`. */
export function readmeBlocks(): Record<string, string> {
  return { commands: markdownCommands(), 'exit codes': markdownExitCodes(), 'run options': markdownOptions('run') };
}
