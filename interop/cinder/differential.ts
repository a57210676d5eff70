// The differential test of the interop job: one scripted sequence of requests (sequence.yaml) sent
// to a real Cinder and to the cinder-v3 reference server (`serve`), compared request by request:
// the status code, the fault name of an error envelope, the presence of each response header, and
// the body member by member at every level (which members there are, and their values once ids,
// times and the server's own address are normalised; a fault's message is not compared). Every
// difference must be listed, with its reason, in differences.yaml; a listed difference that no
// longer occurs is stale. Either fails the job.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
export const SEQUENCE_FILE = join(HERE, 'sequence.yaml');
export const DIFFERENCES_FILE = join(HERE, 'differences.yaml');

// --- the sequence ------------------------------------------------------------------------------

interface RawStep {
  id?: string;
  req?: string;
  mv?: string | string[];
  body?: unknown;
  raw?: string;
  type?: string;
  token?: string;
  headers?: Record<string, string>;
  save?: Record<string, string>;
  unordered?: boolean;
  wait?: string;
  until?: string;
}

export interface RequestStep {
  kind: 'request';
  id: string;
  method: string;
  /** Under the endpoint, or under the server root when `fromRoot`. */
  path: string;
  fromRoot: boolean;
  mv?: string;
  body?: unknown;
  raw?: string;
  /** undefined: application/json when there is a body; null: none. */
  contentType?: string | null;
  /** undefined: the run's token; null: none. */
  token?: string | null;
  headers: Record<string, string>;
  save: Record<string, string>;
  unordered: boolean;
}

export interface WaitStep {
  kind: 'wait';
  path: string;
  until: string;
}

export type Step = RequestStep | WaitStep;

/** The sequence with each multi-version request expanded into one request per version. */
export function loadSequence(file = SEQUENCE_FILE): Step[] {
  const doc = parse(readFileSync(file, 'utf8')) as { steps: RawStep[] };
  const out: Step[] = [];
  const ids = new Set<string>();
  for (const raw of doc.steps) {
    if (raw.wait !== undefined) {
      if (!raw.until) throw new Error(`${file}: wait ${raw.wait} has no until`);
      out.push({ kind: 'wait', path: raw.wait, until: raw.until });
      continue;
    }
    if (!raw.id || !raw.req) throw new Error(`${file}: a step needs id and req: ${JSON.stringify(raw)}`);
    const [method, target] = raw.req.split(' ', 2) as [string, string];
    const versions = Array.isArray(raw.mv) ? raw.mv : [raw.mv];
    for (const mv of versions) {
      const id = Array.isArray(raw.mv) ? `${raw.id}@${mv}` : raw.id;
      if (ids.has(id)) throw new Error(`${file}: step id ${id} is used twice`);
      ids.add(id);
      out.push({
        kind: 'request',
        id,
        method,
        path: target.startsWith('^') ? target.slice(1) : target,
        fromRoot: target.startsWith('^'),
        mv,
        body: raw.body,
        raw: raw.raw,
        contentType: raw.type === 'none' ? null : raw.type,
        token: raw.token === 'none' ? null : raw.token,
        headers: raw.headers ?? {},
        save: raw.save ?? {},
        unordered: raw.unordered ?? false,
      });
    }
  }
  return out;
}

// --- sending -----------------------------------------------------------------------------------

export interface Target {
  name: 'cinder' | 'serve';
  /** http://host:port */
  origin: string;
  /** The endpoint: origin + /v3/{project}. */
  base: string;
  token: string;
}

export interface Answer {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  text: string;
  json?: unknown;
}

/** {name} -> a saved value; {x*N} -> x repeated N times. */
function fill(text: string, vars: Map<string, string>): string {
  return text.replace(/\{([^{}*]+)\*(\d+)\}|\{([A-Za-z0-9_]+)\}/g, (whole, ch: string | undefined, n: string | undefined, name: string | undefined) => {
    if (ch !== undefined) return ch.repeat(Number(n));
    const value = vars.get(name!);
    if (value === undefined) throw new Error(`no saved value for ${whole}`);
    return value;
  });
}

function fillDeep(value: unknown, vars: Map<string, string>): unknown {
  if (typeof value === 'string') return fill(value, vars);
  if (Array.isArray(value)) return value.map((v) => fillDeep(v, vars));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [fill(k, vars), fillDeep(v, vars)]));
  return value;
}

async function send(target: Target, step: RequestStep, vars: Map<string, string>): Promise<Answer> {
  const url = (step.fromRoot ? target.origin : target.base) + fill(step.path, vars);
  const headers: Record<string, string> = {};
  const token = step.token === undefined ? target.token : step.token;
  if (token !== null) headers['X-Auth-Token'] = token;
  if (step.mv) headers['OpenStack-API-Version'] = `volume ${step.mv}`;
  let body: Uint8Array<ArrayBuffer> | undefined;
  if (step.raw !== undefined) body = new Uint8Array(Buffer.from(fill(step.raw, vars)));
  else if (step.body !== undefined) body = new Uint8Array(Buffer.from(JSON.stringify(fillDeep(step.body, vars))));
  if (body !== undefined) {
    const type = step.contentType === undefined ? 'application/json' : step.contentType;
    if (type !== null) headers['Content-Type'] = type;
  }
  Object.assign(headers, step.headers);
  // A Uint8Array body: fetch adds no Content-Type of its own.
  const res = await fetch(url, { method: step.method, headers, body, redirect: 'manual', signal: AbortSignal.timeout(30_000) });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: Object.fromEntries([...res.headers].map(([k, v]) => [k.toLowerCase(), v])), text, json };
}

function pointer(value: unknown, ptr: string): unknown {
  let at = value;
  for (const part of ptr.split('/').slice(1)) at = at && typeof at === 'object' ? (at as Record<string, unknown>)[part] : undefined;
  return at;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls the resource until it has the status (or is gone: 404); throws when it is gone before, or after 30 s. */
async function waitFor(target: Target, step: WaitStep, vars: Map<string, string>): Promise<void> {
  if (fill(step.path, vars).includes(MISSING)) throw new Error(`${target.name}: ${step.path}: nothing to wait for`);
  const key = step.path.startsWith('/volumes/') ? 'volume' : 'snapshot';
  const probe: RequestStep = { kind: 'request', id: 'wait', method: 'GET', path: step.path, fromRoot: false, headers: {}, save: {}, unordered: false };
  const deadline = Date.now() + 30_000;
  let last = '';
  for (;;) {
    const res = await send(target, probe, vars);
    last = res.status === 404 ? 'gone' : String(pointer(res.json, `/${key}/status`) ?? `HTTP ${res.status}`);
    if (last === step.until) return;
    if (last === 'gone' || Date.now() > deadline) throw new Error(`${target.name}: ${fill(step.path, vars)} did not become ${step.until} (last: ${last})`);
    await sleep(20);
  }
}

export interface Exchange {
  step: RequestStep;
  /** The request as sent (to the real Cinder), for the report. */
  line: string;
  cinder: Answer;
  serve: Answer;
  /** Each side's saved values at the time of the request, for normalising. */
  vars: { cinder: Map<string, string>; serve: Map<string, string> };
}

/** What a saved value is when a side did not answer one (a create it refused). */
const MISSING = 'not-made';

interface SideRun {
  answers: Answer[];
  vars: Array<Map<string, string>>;
}

/** The whole sequence against one target, each request sent once the one before was answered. */
async function runSide(target: Target, steps: Step[], progress?: (line: string) => void): Promise<SideRun> {
  const vars = new Map<string, string>();
  const run: SideRun = { answers: [], vars: [] };
  for (const step of steps) {
    if (step.kind === 'wait') {
      // A side that did not make the resource, or made it differently, goes on: the answers after
      // show the difference.
      await waitFor(target, step, vars).catch((e: Error) => progress?.(e.message));
      continue;
    }
    const answer = await send(target, step, vars);
    for (const [name, ptr] of Object.entries(step.save)) {
      const value = pointer(answer.json, ptr);
      if (typeof value === 'string') vars.set(name, value);
      else {
        vars.set(name, `${MISSING}-${name}`);
        progress?.(`${target.name} ${step.id}: answered ${answer.status} without ${ptr}; {${name}} stands for nothing`);
      }
    }
    run.answers.push(answer);
    run.vars.push(new Map(vars));
    progress?.(`${target.name} ${step.id}: ${answer.status}`);
  }
  return run;
}

/**
 * Sends the sequence to both targets at the same time, each side at its own pace (a step that
 * must meet a state, such as a delete right after a create, meets it on each side alike), and
 * pairs the answers step by step.
 */
export async function runSequence(steps: Step[], cinder: Target, serve: Target, progress?: (line: string) => void): Promise<Exchange[]> {
  const [a, b] = await Promise.all([runSide(cinder, steps, progress), runSide(serve, steps, progress)]);
  const requests = steps.filter((s): s is RequestStep => s.kind === 'request');
  return requests.map((step, i) => ({
    step,
    line: `${step.method} ${step.fromRoot ? '' : '{base}'}${fill(step.path, a.vars[i]!).slice(0, 90)}${step.mv ? ` [${step.mv}]` : ''}`,
    cinder: a.answers[i]!,
    serve: b.answers[i]!,
    vars: { cinder: a.vars[i]!, serve: b.vars[i]! },
  }));
}

// --- comparing ---------------------------------------------------------------------------------

export interface Difference {
  step: string;
  /** status, fault, header <name>, member <path>, value <path>, body */
  key: string;
  cinder: string;
  serve: string;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:?\d\d)?$/;

/** Ids become the name they were saved under (or <uuid>), times <time>, the server's address <origin>. */
function normaliser(origin: string, vars: Map<string, string>): (s: string) => string {
  const known = [...vars].sort((a, b) => b[1].length - a[1].length);
  return (s) => {
    if (TIME.test(s)) return '<time>';
    let out = s.split(origin).join('<origin>');
    for (const [name, value] of known) out = out.split(value).join(`<${name}>`);
    return out.replace(UUID, '<uuid>');
  };
}

function normalise(value: unknown, norm: (s: string) => string): unknown {
  if (typeof value === 'string') return norm(value);
  if (Array.isArray(value)) return value.map((v) => normalise(v, norm));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalise(v, norm)]));
  return value;
}

const show = (v: unknown): string => {
  const text = JSON.stringify(v) ?? 'undefined';
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** {"<name>": {"code", "message"...}}: the one member's name, when the body is such an envelope. */
function faultName(body: unknown): string | undefined {
  if (!isObject(body)) return undefined;
  const keys = Object.keys(body);
  return keys.length === 1 && isObject(body[keys[0]!]) && 'code' in (body[keys[0]!] as object) ? keys[0] : undefined;
}

function compareValues(a: unknown, b: unknown, path: string, unordered: boolean, out: Array<Omit<Difference, 'step'>>): void {
  if (isObject(a) && isObject(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const p = `${path}/${k}`;
      if (!(k in b)) out.push({ key: `member ${p}`, cinder: show(a[k]), serve: '(absent)' });
      else if (!(k in a)) out.push({ key: `member ${p}`, cinder: '(absent)', serve: show(b[k]) });
      else compareValues(a[k], b[k], p, unordered, out);
    }
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    let x = a;
    let y = b;
    if (unordered) {
      const byText = (l: unknown, r: unknown) => JSON.stringify(l).localeCompare(JSON.stringify(r));
      x = [...a].sort(byText);
      y = [...b].sort(byText);
    }
    if (x.length !== y.length) out.push({ key: `value ${path}`, cinder: `${x.length} item(s)`, serve: `${y.length} item(s)` });
    // Members of the items, whatever their index: one difference per path, not per item.
    const before = out.length;
    for (let i = 0; i < Math.min(x.length, y.length); i++) compareValues(x[i], y[i], `${path}/*`, unordered, out);
    const seen = new Set<string>();
    out.splice(before, out.length - before, ...out.slice(before).filter((d) => !seen.has(d.key) && seen.add(d.key)));
    return;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) out.push({ key: `value ${path}`, cinder: show(a), serve: show(b) });
}

export function compare(ex: Exchange, origins: { cinder: string; serve: string }): Difference[] {
  const out: Array<Omit<Difference, 'step'>> = [];
  const { cinder: a, serve: b } = ex;
  if (a.status !== b.status) out.push({ key: 'status', cinder: String(a.status), serve: String(b.status) });
  for (const name of new Set([...Object.keys(a.headers), ...Object.keys(b.headers)])) {
    if (!(name in a.headers)) out.push({ key: `header ${name}`, cinder: '(absent)', serve: b.headers[name]! });
    else if (!(name in b.headers)) out.push({ key: `header ${name}`, cinder: a.headers[name]!, serve: '(absent)' });
  }
  const fa = faultName(a.json);
  const fb = faultName(b.json);
  if ((fa || fb) && fa !== fb) out.push({ key: 'fault', cinder: fa ?? '(none)', serve: fb ?? '(none)' });
  // Different outcomes: their bodies are not comparable beyond the above.
  if (a.status === b.status) {
    if ((a.json === undefined) !== (b.json === undefined)) {
      out.push({ key: 'body', cinder: a.json === undefined ? `not JSON: ${show(a.text)}` : 'JSON', serve: b.json === undefined ? `not JSON: ${show(b.text)}` : 'JSON' });
    } else if (fa && fb && fa === fb) {
      // A fault: its members and code, not its message (Cinder's wording is not the contract).
      const unworded = (inner: Record<string, unknown>) => ('message' in inner ? { ...inner, message: '' } : inner);
      const x = unworded((a.json as Record<string, Record<string, unknown>>)[fa]!);
      const y = unworded((b.json as Record<string, Record<string, unknown>>)[fb]!);
      compareValues({ [fa]: x }, { [fb]: y }, '', false, out);
    } else if (a.json !== undefined) {
      const na = normalise(a.json, normaliser(origins.cinder, ex.vars.cinder));
      const nb = normalise(b.json, normaliser(origins.serve, ex.vars.serve));
      compareValues(na, nb, '', ex.step.unordered, out);
    }
  }
  return out.map((d) => ({ step: ex.step.id, ...d }));
}

// --- the list of known differences -------------------------------------------------------------

export interface Listed {
  /** Step ids; * matches any run of characters. */
  steps: string[];
  /** Difference keys (status, fault, header <name>, member <path>, value <path>, body); * as above. */
  differences: string[];
  reason: string;
}

export function loadListed(file = DIFFERENCES_FILE): Listed[] {
  const doc = parse(readFileSync(file, 'utf8')) as { differences?: Listed[] } | null;
  const listed = doc?.differences ?? [];
  for (const l of listed) {
    if (!Array.isArray(l.steps) || !Array.isArray(l.differences) || typeof l.reason !== 'string' || !l.reason.trim()) {
      throw new Error(`${file}: each entry needs steps, differences and a reason: ${JSON.stringify(l).slice(0, 200)}`);
    }
  }
  return listed;
}

const glob = (pattern: string) => new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);

export interface Verdict {
  unlisted: Difference[];
  /** Listed entries (or parts of them: a step or difference pattern) that matched nothing. */
  stale: string[];
  listedCount: number;
}

export function judge(differences: Difference[], listed: Listed[]): Verdict {
  const compiled = listed.map((l) => ({ l, steps: l.steps.map(glob), keys: l.differences.map(glob), usedSteps: new Set<number>(), usedKeys: new Set<number>() }));
  const unlisted: Difference[] = [];
  let listedCount = 0;
  for (const d of differences) {
    let matched = false;
    for (const c of compiled) {
      const s = c.steps.findIndex((r) => r.test(d.step));
      const k = c.keys.findIndex((r) => r.test(d.key));
      if (s < 0 || k < 0) continue;
      matched = true;
      c.steps.forEach((r, i) => r.test(d.step) && c.usedSteps.add(i));
      c.keys.forEach((r, i) => r.test(d.key) && c.usedKeys.add(i));
    }
    if (matched) listedCount++;
    else unlisted.push(d);
  }
  const stale: string[] = [];
  for (const c of compiled) {
    const first = c.l.reason.trim().split('\n')[0]!.slice(0, 80);
    const steps = c.l.steps.filter((_, i) => !c.usedSteps.has(i));
    const keys = c.l.differences.filter((_, i) => !c.usedKeys.has(i));
    if (steps.length || keys.length) stale.push(`"${first}": ${[...steps.map((s) => `step ${s}`), ...keys.map((k) => `difference ${k}`)].join(', ')} no longer seen`);
  }
  return { unlisted, stale, listedCount };
}

// --- serve -------------------------------------------------------------------------------------

export interface RunningServe {
  origin: string;
  pid: number;
  stop(): Promise<void>;
}

/** `snapshot-conformance serve --profile cinder-v3` on a free port, as a client developer starts it. */
export function startServe(token: string): Promise<RunningServe> {
  return new Promise((resolvePromise, reject) => {
    const child: ChildProcess = spawn(process.execPath, [join(ROOT, 'bin', 'snapshot-conformance.mjs'), 'serve', '--profile', 'cinder-v3', '--port', '0', '--token', token], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`serve did not print its URL within 30 s: ${out}${err}`));
    }, 30_000);
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /reference server: (http:\/\/[^/\s]+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      resolvePromise({
        origin: m[1]!,
        pid: child.pid!,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited (${code}) before printing its URL: ${err || out}`));
    });
  });
}

// --- the whole test ----------------------------------------------------------------------------

export interface DifferentialResult {
  requests: number;
  differences: Difference[];
  verdict: Verdict;
}

/** What is left on a target: deletes every snapshot, then every volume, and waits until they are gone. */
export async function sweep(target: Target): Promise<void> {
  const list = async (kind: 'snapshots' | 'volumes') => {
    const res = await send(target, { kind: 'request', id: 'sweep', method: 'GET', path: `/${kind}`, fromRoot: false, headers: {}, save: {}, unordered: false }, new Map());
    return ((pointer(res.json, `/${kind}`) as Array<{ id: string }> | undefined) ?? []).map((r) => r.id);
  };
  for (const kind of ['snapshots', 'volumes'] as const) {
    const ids = await list(kind);
    for (const id of ids) {
      const path = `/${kind}/${id}`;
      const vars = new Map<string, string>();
      await waitFor(target, { kind: 'wait', path, until: 'available' }, vars).catch(() => undefined);
      await send(target, { kind: 'request', id: 'sweep', method: 'DELETE', path, fromRoot: false, headers: {}, save: {}, unordered: false }, vars);
      await waitFor(target, { kind: 'wait', path, until: 'gone' }, vars).catch(() => undefined);
    }
  }
}

export function printReport(result: DifferentialResult, log: (line: string) => void): void {
  const byStep = new Map<string, Difference[]>();
  for (const d of result.verdict.unlisted) byStep.set(d.step, [...(byStep.get(d.step) ?? []), d]);
  for (const [step, diffs] of byStep) {
    log(`  ✘ ${step}`);
    for (const d of diffs) log(`      ${d.key}: cinder ${d.cinder} | serve ${d.serve}`);
  }
  for (const s of result.verdict.stale) log(`  ✘ stale entry in differences.yaml: ${s}`);
  log(
    `differential: ${result.requests} requests, ${result.differences.length} difference(s): ${result.verdict.listedCount} listed, ` +
      `${result.verdict.unlisted.length} not listed, ${result.verdict.stale.length} stale entr${result.verdict.stale.length === 1 ? 'y' : 'ies'}`,
  );
}

/**
 * Runs the sequence against the real Cinder and a `serve` it starts, compares, judges against
 * differences.yaml, writes every exchange and difference to reportFile, and removes what the
 * sequence left on either side (also when it failed half-way).
 */
export async function differential(cinder: Target, options: { reportFile: string; log: (line: string) => void; verbose?: boolean }): Promise<DifferentialResult> {
  const steps = loadSequence();
  const listed = loadListed();
  const served = await startServe(cinder.token);
  options.log(`serve is up at ${served.origin} (pid ${served.pid})`);
  const serve: Target = { name: 'serve', origin: served.origin, base: served.origin + new URL(cinder.base).pathname, token: cinder.token };
  try {
    const exchanges = await runSequence(steps, cinder, serve, options.verbose ? (l) => options.log(l) : undefined);
    const differences = exchanges.flatMap((ex) => compare(ex, { cinder: cinder.origin, serve: serve.origin }));
    const result = { requests: exchanges.length, differences, verdict: judge(differences, listed) };
    mkdirSync(dirname(options.reportFile), { recursive: true });
    writeFileSync(
      options.reportFile,
      JSON.stringify(
        {
          requests: result.requests,
          differences,
          unlisted: result.verdict.unlisted,
          stale: result.verdict.stale,
          exchanges: exchanges.map((ex) => ({ id: ex.step.id, request: ex.line, cinder: { status: ex.cinder.status, headers: ex.cinder.headers, body: ex.cinder.json ?? ex.cinder.text }, serve: { status: ex.serve.status, headers: ex.serve.headers, body: ex.serve.json ?? ex.serve.text } })),
        },
        null,
        1,
      ),
    );
    return result;
  } finally {
    await Promise.all([sweep(cinder), sweep(serve)]).catch((e: Error) => options.log(`sweeping after the sequence: ${e.message}`));
    await served.stop();
  }
}
