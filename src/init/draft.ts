// The draft of a profile from a vendor's document in OpenAPI 3.1: the operations it found, marked
// (tags, x-fixture, x-clause, x-creates, x-refusal), the schemas they need, the x-conformance block
// as far as the document tells, the clause stubs, and a TODO for every choice it could not make.
// Each section of x-conformance is drafted by a function of its own below, in the block's order.
import { instance } from '../generate/instances.ts';
import { escapePointer } from '../util/pointer.ts';
import type { ClauseArea, ClauseLevel } from '../profile/schema.ts';
import { ProfileError } from '../profile/sources.ts';
import { findOperations, operationsOf, words, type Found, type Op, type Role } from './find.ts';
import type { Json, ReadDocument } from './read.ts';
import { answersOf, deref, describe, enumOf, jsonMedia, memberAt, membersOf, requiredOf, successes, typeOf, type Answer } from './schemas.ts';
import { clausePrefix, oneLine, Stubs } from './stubs.ts';

export interface InitOptions {
  resource: string;
  parent?: string;
  profileId: string;
  /** The vendor's page of an operation: a template with {operationId} (and {tag}). */
  docsUrl?: string;
}

export interface Draft {
  document: Json;
  clauses: Json;
  stubs: Stubs;
  /** What init found, one line each, for the summary. */
  found: string[];
}

const SUBJECT_ROLES: Role[] = ['create', 'list', 'listDetail', 'byParent', 'show', 'update', 'delete'];
const PARENT_ROLES: Role[] = ['parentCreate', 'parentShow', 'parentDelete'];
const WHAT: Record<Role, string> = {
  create: 'create', show: 'show', list: 'list', listDetail: 'list with details', byParent: 'list of one parent', update: 'update', delete: 'delete',
  parentCreate: "the parent's create", parentShow: "the parent's show", parentDelete: "the parent's delete", poll: 'the operation to poll',
};

const opPointer = (op: Op) => `#/paths/${escapePointer(op.path)}/${op.method.toLowerCase()}`;
const label = (op: Op) => `${op.id} (${op.method} ${op.path})`;
const first = <T>(xs: T[], test: (x: T) => boolean) => xs.find(test);

export function draftProfile(read: ReadDocument, options: InitOptions): Draft {
  return new Drafter(read, options).draft();
}

class Drafter {
  private readonly doc: Json;
  private readonly found: Found;
  private readonly stubs: Stubs;
  private readonly summary: string[] = [];
  private readonly xc: Json = {};
  /** The writes that answer an operation to poll, and what that operation says. */
  private operation?: { schemaRef: string; resource?: string; show?: Op };
  private readonly subject: string;
  /** The list clauses drafted, by where their words stand and what they say. */
  private readonly listClauses = new Map<string, string>();
  /** The contract clause of each subject operation. */
  private readonly contracts = new Map<Op, string>();

  constructor(
    private readonly read: ReadDocument,
    private readonly options: InitOptions,
  ) {
    this.doc = read.doc;
    this.found = findOperations(this.doc, options.resource, options.parent);
    this.stubs = new Stubs(clausePrefix(options.profileId));
    this.subject = words(options.resource).join('-');
  }

  private get ops() {
    return this.found.ops;
  }

  private todo(at: (string | number)[], text: string) {
    this.stubs.todo('openapi.yaml', at, text);
  }

  /** Where a node of the document stood in the vendor's files. */
  private source(node: Json, fallback: string): string {
    return (node && typeof node === 'object' && this.read.origins.get(node)) || `${this.read.file}${fallback}`;
  }

  /** The vendor's page of an operation: --docs-url, its externalDocs, its tag's, the document's; else a placeholder and a TODO. */
  private url(op?: Op): { url: string; todo?: string } {
    const tag = op?.op.tags?.[0];
    if (op && this.options.docsUrl) return { url: this.options.docsUrl.replaceAll('{operationId}', encodeURIComponent(op.id)).replaceAll('{tag}', encodeURIComponent(String(tag ?? ''))) };
    const tagDocs = (this.doc.tags ?? []).find((t: Json) => t?.name === tag)?.externalDocs?.url;
    const url = op?.op.externalDocs?.url ?? tagDocs ?? this.doc.externalDocs?.url;
    if (typeof url === 'string' && /^https:\/\/\S+$/.test(url)) return { url };
    return { url: `https://todo.invalid/${encodeURIComponent(op?.id ?? 'page')}`, todo: "the vendor's public page for this clause (init --docs-url TEMPLATE fills it from the operationId)" };
  }

  private clause(area: ClauseArea, level: ClauseLevel, title: string, text: string | undefined, node: Json, pointer: string, op?: Op): string {
    return this.stubs.add(area, level, title, text ?? title, this.source(node, pointer), this.url(op));
  }

  private answers(op: Op): Answer[] {
    return answersOf(this.doc, op.op, opPointer(op));
  }

  /** The one 2xx answer of an operation (a TODO where it documents several or none). */
  private success(op: Op | undefined): Answer | undefined {
    if (!op) return undefined;
    const ok = successes(this.answers(op));
    if (ok.length !== 1) this.todo(['paths', op.path, op.method.toLowerCase(), 'responses'], `${op.id} documents ${ok.length ? `${ok.length} success answers (${ok.map((a) => a.status).join(', ')})` : 'no success answer'}: keep exactly one 2xx`);
    return ok[0];
  }

  draft(): Draft {
    const { ops } = this;
    if (!ops.create && !ops.show && !ops.list && !ops.byParent) {
      const names = new Set(operationsOf(this.doc).flatMap((o) => o.path.split('/').filter((s) => s && !s.includes('{') && !/^v\d/.test(s))));
      throw new ProfileError(`no operation of ${this.read.file} is about "${this.options.resource}": give --resource one of the names its paths use (${[...names].slice(0, 12).join(', ')}${names.size > 12 ? ', ...' : ''})`);
    }
    for (const role of [...SUBJECT_ROLES, ...PARENT_ROLES]) {
      const op = ops[role];
      if (op) this.summary.push(`${WHAT[role]}: ${label(op)}${op.named ? ' (no operationId in the document: named by init)' : ''}`);
      const others = this.found.others[role];
      if (op && others) this.todo(['paths', op.path, op.method.toLowerCase()], `${WHAT[role]}: chosen over ${others.map(label).join(', ')}; swap them if the other is the one`);
    }
    for (const op of Object.values(ops)) if (op?.named) op.op.operationId = op.id;

    this.xc.clauses = 'clauses.yaml';
    this.xc.subject = this.subject;
    for (const role of SUBJECT_ROLES) if (this.ops[role]) this.contracts.set(this.ops[role]!, this.contract(this.ops[role]!));
    this.findOperationToPoll();
    this.contentType();
    this.auth();
    this.envelope();
    this.refusals();
    this.operations();
    this.resource();
    this.lifecycle();
    this.labels();
    this.lists();
    this.fixtures();
    this.limits();
    this.examples();
    return { document: this.document(), clauses: this.clauseFile(), stubs: this.stubs, found: this.summary };
  }

  /** A body the operations take without an example gets one made from its schema: the suite starts from it. */
  private examples(): void {
    for (const op of new Set(Object.values(this.ops).filter((o): o is Op => Boolean(o)))) {
      const media = jsonMedia(deref(this.doc, op.op.requestBody)?.content);
      if (!media?.schema || media.example !== undefined || media.examples !== undefined) continue;
      media.example = instance(this.doc, media.schema);
      this.todo(['paths', op.path, op.method.toLowerCase(), 'requestBody'], `an example made from the schema (the document gives none): the contract tests start from it; give the vendor's`);
    }
  }

  /** Writes answered with an object that is not the resource but has a state to wait on, polled by its own show. */
  private findOperationToPoll(): void {
    const create = this.success(this.ops.create);
    const shown = this.success(this.ops.show);
    if (!create?.schemaRef || create.schemaRef === shown?.schemaRef) return;
    const schema = deref(this.doc, create.schema);
    // Not the resource: a thing whose states say pending and success (or named so).
    const values = this.stateMember(schema)?.values ?? [];
    const states = values.some((v) => /pending|running|progress/i.test(v)) && values.some((v) => /^(success|succeeded|done|completed?)$/i.test(v));
    if (!states && !/operation|action|job|task/i.test(create.schemaRef)) return;
    const show = operationsOf(this.doc).find((o) => o.method === 'GET' && /\}$/.test(o.path) && o !== this.ops.show && successes(this.answers(o))[0]?.schemaRef === create.schemaRef);
    this.operation = { schemaRef: create.schemaRef, show };
    if (show) {
      this.ops.poll = show;
      this.summary.push(`the operation to poll: ${label(show)}`);
    }
  }

  /** A member that says the state of a thing: status, state, lifecycle_state...; with its enum. */
  private stateMember(schema: Json): { name: string; schema: Json; values: string[] } | undefined {
    const members = membersOf(this.doc, schema);
    for (const name of ['status', 'state', 'lifecycle_state', 'lifecycleState', 'provisioning_state', 'provisioningState']) {
      const m = members.get(name);
      if (m) return { name, schema: m, values: enumOf(this.doc, m) ?? [] };
    }
    return undefined;
  }

  private contentType(): void {
    const op = this.ops.create ?? this.ops.show;
    this.xc.contentType = this.clause('contract', 'MUST', 'Request and answer bodies are JSON (application/json)', 'The document gives every request and answer body of these operations as application/json.', op?.op.requestBody ?? op?.op, op ? `${opPointer(op)}/requestBody` : '', op);
  }

  /** The error statuses the subject operations document, with the answers that document each. */
  private errors(): Map<string, { op: Op; answer: Answer }[]> {
    const out = new Map<string, { op: Op; answer: Answer }[]>();
    for (const role of SUBJECT_ROLES) {
      const op = this.ops[role];
      if (!op) continue;
      for (const answer of this.answers(op)) if (/^[45]\d\d$/.test(answer.status)) out.set(answer.status, [...(out.get(answer.status) ?? []), { op, answer }]);
    }
    return out;
  }

  /** Marks the answers of a status with the refusals they stand for (x-refusal). */
  private refuse(status: string, kinds: string[]): void {
    for (const { answer } of this.errors().get(status) ?? []) {
      const had: string[] = answer.response['x-refusal'] ?? [];
      answer.response['x-refusal'] = [...new Set([...had, ...kinds])];
    }
  }

  private errorClause(area: ClauseArea, status: string, title: string): string | undefined {
    const documented = this.errors().get(status);
    if (!documented) return undefined;
    const { op, answer } = documented[0]!;
    return this.clause(area, 'SHOULD', title, answer.response.description, answer.response, answer.ref ? '' : `${opPointer(op)}/responses/${status}`, op);
  }

  private auth(): void {
    const probe = this.ops.list ?? this.ops.show ?? this.ops.byParent;
    const op = this.ops.create ?? probe;
    const requirement = op?.op.security ?? this.doc.security ?? [];
    const names = requirement.flatMap((r: Json) => Object.keys(r ?? {}));
    const schemes = this.doc.components?.securitySchemes ?? {};
    const name = names.find((n: string) => schemes[n]);
    const scheme = name ? deref(this.doc, schemes[name]) : undefined;
    const auth: Json = {};
    const at = ['x-conformance', 'auth'];
    if (!scheme) {
      // A document without a scheme may still speak of signing requests in its prose (Exoscale's x-topics).
      const prose = JSON.stringify([this.doc.info?.description, ...Object.entries(this.doc).filter(([k]) => k.startsWith('x-')).map(([, v]) => v)]);
      const signed = /signature|signed|hmac/i.test(prose) ? ' (its text speaks of signed requests: a signer in modules.signer, docs/openapi-extensions.md)' : '';
      this.todo(at, `the document names no security scheme${signed}; say how credentials travel (header and scheme, query, a request signer in modules.signer, or none: true), and the clauses of missing and invalid credentials`);
      this.summary.push(`auth: none documented${signed ? ', signed requests in its text' : ''}`);
    } else if (scheme.type === 'http' && /^bearer$/i.test(scheme.scheme)) Object.assign(auth, { header: 'Authorization', scheme: 'Bearer' });
    else if (scheme.type === 'http' && /^basic$/i.test(scheme.scheme)) {
      Object.assign(auth, { header: 'Authorization', scheme: 'Basic' });
      this.todo(at, 'HTTP Basic: the token the run is given must be base64(user:password)');
    } else if (scheme.type === 'apiKey' && (scheme.in === 'header' || scheme.in === 'query')) auth[scheme.in] = scheme.name;
    else if (scheme.type === 'oauth2' || scheme.type === 'openIdConnect') {
      Object.assign(auth, { header: 'Authorization', scheme: 'Bearer' });
      this.todo(at, `${scheme.type}: the run is given the access token, sent as a bearer token; confirm`);
    } else this.todo(at, `security scheme ${name} (${scheme.type}${scheme.in ? ` in ${scheme.in}` : ''}) is none the engine knows: header, query, a signer or none`);
    if (scheme) this.summary.push(`auth: ${auth.header ? `${auth.header}${auth.scheme ? ` ${auth.scheme}` : ''} header` : auth.query ? `${auth.query} in the query` : '?'} (security scheme ${name})`);
    if (probe) auth.probe = probe.id;
    if (scheme) {
      const missing = this.errorClause('auth', '401', 'A request without credentials is refused with 401');
      const invalid = this.errorClause('auth', '401', 'A request with wrong credentials is refused with 401');
      if (missing && invalid) Object.assign(auth, { missing, invalid });
      else this.todo(at, 'the document documents no 401: the clauses of missing and invalid credentials (missing, invalid)');
      this.refuse('401', ['unauthenticated']);
    }
    this.xc.auth = auth;
  }

  private envelope(): void {
    const at = ['x-conformance', 'envelope'];
    const bySchema = new Map<string, { answers: Answer[]; ops: Op[] }>();
    for (const [status, list] of this.errors()) {
      if (!status.startsWith('4')) continue;
      for (const { op, answer } of list) {
        if (!answer.schemaRef) continue;
        const entry = bySchema.get(answer.schemaRef) ?? { answers: [], ops: [] };
        entry.answers.push(answer);
        entry.ops.push(op);
        bySchema.set(answer.schemaRef, entry);
      }
    }
    const ranked = [...bySchema.entries()].sort((a, b) => b[1].answers.length - a[1].answers.length);
    const top = ranked[0];
    if (!top) {
      this.todo(at, 'envelope: the document gives no schema for any 4xx answer, so the error envelope (schema, shape) is not known');
      this.summary.push('error envelope: none documented');
      return;
    }
    const [ref, { answers, ops }] = top;
    if (ranked.length > 1) this.todo(at, `4xx answers have ${ranked.length} schemas; the most used is taken (others: ${ranked.slice(1).map(([r]) => r).join(', ')})`);
    const schema = deref(this.doc, answers[0]!.schema);
    const required = requiredOf(this.doc, schema);
    const said = describe(this.doc, answers[0]!.schema) ?? `The 4xx answers give the schema ${ref}${required.length ? `, which requires ${required.join(', ')}` : ''}.`;
    const envelope: Json = { schema: ref, shape: this.clause('errors', 'MUST', 'An error answer has the error envelope', said, schema, '', ops[0]) };
    this.summary.push(`error envelope: ${ref}`);
    // The member that carries the status, and the one that names the error.
    const members = membersOf(this.doc, schema);
    const fault = members.size === 0 && schema?.additionalProperties && typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
    const inner = fault ?? (members.size === 1 && typeOf(this.doc, [...members.values()][0]) === 'object' ? [...members.values()][0] : undefined);
    const innerName = fault ? '*' : inner ? [...members.keys()][0]! : undefined;
    const scopes: [string, Map<string, Json>][] = [['', members], ...(inner ? [[`/${innerName}`, membersOf(this.doc, inner)] as [string, Map<string, Json>]] : [])];
    for (const [prefix, scope] of scopes) {
      const status = first([...scope.keys()], (n) => /^(code|status|status_code|statusCode|http_status|httpStatus)$/.test(n) && typeOf(this.doc, scope.get(n)) === 'integer');
      if (status && !envelope.status) {
        envelope.status = { at: `${prefix}/${status}`, clause: this.clause('errors', 'SHOULD', `An error answer carries its HTTP status at ${prefix}/${status}`, describe(this.doc, scope.get(status)), scope.get(status), '', ops[0]) };
      }
    }
    // The code that names the error: the fault's own name (a named fault), or a string member whose examples name statuses.
    const code = fault ? undefined : first(['code', 'error_code', 'errorCode', 'id', 'type', 'error', 'reason'], (n) => typeOf(this.doc, members.get(n)) === 'string');
    if (fault || code) {
      const byStatus: Record<string, string[]> = {};
      const all = [...this.errors()].flatMap(([status, list]) => list.map(({ answer }) => [status, answer] as const));
      const defaults = (this.ops.create ? this.answers(this.ops.create) : []).filter((a) => a.status === 'default');
      const nameOf = (example: unknown) => (fault ? Object.keys((example as object) ?? {})[0] : (example as Json)?.[code!]);
      for (const [status, answer] of all) {
        const name = nameOf(answer.example);
        if (typeof name === 'string') byStatus[status] = [...new Set([...(byStatus[status] ?? []), name])];
      }
      if (Object.keys(byStatus).length) {
        const otherwise = defaults.map((a) => nameOf(a.example)).filter((n): n is string => typeof n === 'string');
        envelope.names = {
          clause: this.clause('errors', 'SHOULD', fault ? 'An error answer is named by its status' : `An error answer names the error at /${code}, by status`, fault ? describe(this.doc, schema) : describe(this.doc, members.get(code!)), fault ?? members.get(code!), '', ops[0]),
          ...(fault ? {} : { at: `/${code}` }),
          byStatus,
          otherwise: [],
        };
        this.todo([...at, 'names', 'otherwise'], `the codes of statuses the document gives no example for${otherwise.length ? ` (its default answer's example says ${otherwise.join(', ')})` : ''}`);
        this.todo([...at, 'names', 'byStatus'], "taken from the documented answers' examples: check them against the vendor's list of codes");
      } else if (code) this.todo(at, `the member ${code} may name the error, but no 4xx answer has an example that shows its values (envelope.names)`);
    }
    this.xc.envelope = envelope;
  }

  private refusals(): void {
    const at = ['x-conformance', 'refusals'];
    const errors = this.errors();
    const refusals: Json = {};
    const unknown = this.errorClause('errors', '404', 'An unknown id is answered 404');
    if (unknown) {
      refusals.unknownResource = unknown;
      this.refuse('404', ['unknown-resource']);
    }
    const bad = this.errorClause('errors', '400', 'A malformed or invalid request is refused with 400');
    const invalid = this.errorClause('errors', '422', 'A request body that breaks the schema is refused with 422');
    if (bad) {
      refusals.malformedBody = bad;
      this.refuse('400', invalid ? ['malformed-body', 'invalid-query'] : ['malformed-body', 'invalid-body', 'invalid-query']);
    }
    if (invalid) this.refuse('422', ['invalid-body']);
    if (invalid ?? bad) refusals.invalidBody = invalid ?? bad;
    if (bad && !invalid) this.todo([...at, 'invalidBody'], 'one 400 clause stands for malformed and schema-invalid bodies: split it where the vendor says more');
    const media = this.errorClause('errors', '415', 'A body that is not declared JSON is refused with 415');
    if (media) {
      refusals.mediaType = media;
      this.refuse('415', ['unsupported-media-type']);
    }
    const statuses: Record<string, string> = { malformedBody: '400', invalidBody: '400 or 422', unknownResource: '404' };
    const missing = Object.keys(statuses).filter((k) => !refusals[k]);
    if (missing.length) this.todo(at, `refusals: the operations document no ${missing.map((k) => `${statuses[k]} (${k})`).join(', ')}: the clauses of those refusals`);
    const others = [...errors.keys()].filter((s) => !['400', '401', '404', '415', '422'].includes(s));
    if (others.length) this.todo(at, `also documented: ${others.join(', ')}; no clause drafted (a "try again" is busy, 429 is rateLimit, a full quota is quota)`);
    if (Object.keys(refusals).length) this.xc.refusals = refusals;
    this.rateLimit();
  }

  /** A rate limit's "come back at" header, where the answers document one (ratelimit-reset, X-RateLimit-Reset). */
  private rateLimit(): void {
    for (const role of SUBJECT_ROLES) {
      const op = this.ops[role];
      if (!op) continue;
      for (const answer of this.answers(op)) {
        for (const [name, raw] of Object.entries<Json>(answer.response.headers ?? {})) {
          if (!/reset/i.test(name)) continue;
          const header = deref(this.doc, raw);
          const said = `${header?.description ?? ''} ${deref(this.doc, header?.schema)?.description ?? ''}`;
          const unit = /epoch|unix/i.test(said) ? 'epoch' : 'seconds';
          this.xc.rateLimit = { reset: { header: name, unit } };
          this.todo(['x-conformance', 'rateLimit'], `from the ${name} header of ${op.id}'s answers ("${firstSentence(said)}"): confirm the unit`);
          return;
        }
      }
    }
  }

  private operations(): void {
    const o = this.operation;
    if (!o) return;
    const at = ['x-conformance', 'operations'];
    const schema = deref(this.doc, getSchema(this.doc, o.schemaRef));
    const state = this.stateMember(schema);
    const members = membersOf(this.doc, schema);
    const writes = [...SUBJECT_ROLES, ...PARENT_ROLES].map((r) => this.ops[r]).filter((op): op is Op => Boolean(op && op.method !== 'GET' && successes(this.answers(op))[0]?.schemaRef === o.schemaRef));
    const refName = first(['reference', 'resource', 'target'], (n) => membersOf(this.doc, members.get(n)).has('id'));
    const refId = first(['resource_id', 'resourceId', 'target_id', 'targetId'], (n) => members.has(n));
    o.resource = refName ? `/${refName}/id` : refId ? `/${refId}` : undefined;
    const values = state?.values ?? [];
    const pending = values.filter((v) => /pending|running|progress|queued|started|waiting/i.test(v));
    const done = first(values, (v) => /^(success|succeeded|done|completed?|finished)$/i.test(v));
    const failed = values.filter((v) => /fail|error|timeout|timed.?out|cancel|abort/i.test(v));
    const operations: Json = {
      writes: writes.map((w) => w.id),
      ...(members.has('id') && o.show ? { id: '/id', show: o.show.id } : {}),
      ...(state ? { state: `/${state.name}` } : {}),
      pending,
      ...(done ? { done } : {}),
      failed,
      ...(o.resource ? { resource: o.resource } : {}),
      clause: this.clause('lifecycle', 'SHOULD', 'An operation ends in success through its pending states', describe(this.doc, state?.schema) ?? describe(this.doc, schema), state?.schema ?? schema, '', o.show ?? this.ops.create),
    };
    if (!o.show) this.todo(at, `no GET operation answers ${o.schemaRef}: where the operation is read (id and show, or header)`);
    if (!state || !done) this.todo(at, `the operation's state and the value that means done (its states: ${values.join(', ') || 'none documented'})`);
    const unplaced = values.filter((v) => !pending.includes(v) && v !== done && !failed.includes(v));
    if (unplaced.length) this.todo([...at, 'pending'], `states not placed: ${unplaced.join(', ')}`);
    if (!o.resource) this.todo(at, 'where a finished operation names the resource (resource: a pointer such as /reference/id)');
    this.summary.push(`writes answer an operation (${o.schemaRef}): ${writes.map((w) => w.id).join(', ')}`);
    this.xc.operations = operations;
  }

  /** The resource as the show answers it: the member that wraps it (where one does), and its schema. */
  private resourceSchema(): { wrapper?: string; schema: Json } {
    const shown = this.success(this.ops.show) ?? this.success(this.ops.create);
    const schema = deref(this.doc, shown?.schema);
    const members = membersOf(this.doc, schema);
    const names = [...members.keys()];
    const target = words(this.options.resource);
    const isIt = (n: string) => [target.join(), target.slice(-1).join()].includes(words(n).join());
    // {"snapshot": {...}}, perhaps beside a member every answer has (ECL's api_error_message).
    const wrapper = names.find((n) => isIt(n) && typeOf(this.doc, members.get(n)) === 'object');
    if (wrapper && names.length <= 2) return { wrapper, schema: deref(this.doc, members.get(wrapper)) };
    return { schema };
  }

  private resource(): void {
    const at = ['x-conformance', 'resource'];
    const { wrapper, schema } = this.resourceSchema();
    const members = membersOf(this.doc, schema);
    const resource: Json = {};
    if (wrapper) resource.wrapper = wrapper;
    const createBody = this.requestSchema(this.ops.create);
    if (wrapper && createBody && !membersOf(this.doc, createBody).has(wrapper)) resource.bareRequests = true;
    // Where the new id is: in the create's answer, or in the finished operation it answers.
    const answersOperation = this.operation && this.ops.create && (this.xc.operations?.writes ?? []).includes(this.ops.create.id);
    if (answersOperation && this.operation?.resource) resource.id = this.operation.resource;
    else if (!answersOperation) {
      const created = deref(this.doc, this.success(this.ops.create)?.schema);
      const inCreate = wrapper ? memberAt(this.doc, created, [wrapper]) : created;
      if (membersOf(this.doc, inCreate).has('id')) resource.id = wrapper ? `/${wrapper}/id` : '/id';
    }
    if (!resource.id) this.todo(at, "where the create's answer (or the operation it answers) has the new id (id)");
    this.summary.push(`answers: ${wrapper ? `wrapped in "${wrapper}"` : 'bare'}${resource.bareRequests ? ', bare request bodies' : ''}; the new id at ${resource.id ?? '?'}`);

    const pick = (names: string[]) => first(names, (n) => members.has(n));
    const fields: Json = {};
    const name = pick(['name', 'display_name', 'displayName', 'label', 'title']);
    if (name) fields.name = name;
    else this.todo([...at, 'fields'], `the resource has no name member the run can set (its members: ${[...members.keys()].join(', ')})`);
    const description = pick(['description', 'display_description', 'displayDescription']);
    if (description) fields.description = description;
    const status = this.stateMember(schema);
    if (status) fields.status = status.name;
    const parent = this.parentField(members);
    if (parent) fields.parent = parent.field;
    if (parent?.guess) this.todo([...at, 'fields', 'parent'], `${parent.field} is taken for the parent by its name alone: confirm that it holds the ${this.options.parent ?? 'parent'}'s id`);
    resource.fields = fields;
    this.summary.push(`fields: ${Object.entries(fields).map(([k, v]) => `${k} ${v}`).join(', ')}`);

    const ops: Json = {};
    for (const role of ['create', 'list', 'listDetail', 'show', 'update', 'delete'] as const) if (this.ops[role]) ops[role] = this.ops[role]!.id;
    for (const role of ['create', 'show', 'delete'] as const) if (!ops[role]) this.todo([...at, 'operations'], `no ${role} of "${this.options.resource}" found: name its operationId (${role})`);
    if (!ops.list) this.todo([...at, 'operations'], `no list of every ${this.options.resource} found${this.ops.byParent ? ` (only the parent's own, ${this.ops.byParent.id}, in lists.byParent)` : ''}: name one (list)`);
    resource.operations = ops;

    if (status && status.values.length) {
      const states = this.states(status.values, [...at, 'states']);
      if (states) resource.states = states;
      this.summary.push(`states (${fields.status}): ${status.values.join(', ')}`);
    } else {
      this.todo(at, status ? `the ${status.name} member has no enum: the states (created, ready, transient, failed, deleting, deletableFrom, budgetSeconds)` : 'the resource has no status: present means ready and 404 gone; budgetSeconds (default 300) bounds how long a change may take');
    }
    this.xc.resource = resource;
    this.markResource(wrapper, fields, createBody);
  }

  /** The member that names the resource's parent: <parent>_id, <parent>Id, <parent>: {id}; or a generic one (a guess). */
  private parentField(members: Map<string, Json>): { field: string; guess?: boolean } | undefined {
    const parentWords = this.options.parent ? words(this.options.parent) : [];
    if (parentWords.length) {
      for (const name of members.keys()) {
        const w = words(name);
        if (w.at(-1) === 'id' && w.slice(0, -1).join() === parentWords.join()) return { field: name };
      }
      for (const [name, schema] of members) {
        const w = words(name);
        if (parentWords.every((p) => w.includes(p)) && membersOf(this.doc, schema).has('id')) return { field: `/${escapePointer(name)}/id` };
      }
    }
    const generic = first(['resource_id', 'resourceId', 'source_id', 'sourceId', 'parent_id', 'parentId'], (n) => members.has(n));
    return generic ? { field: generic, guess: true } : undefined;
  }

  /** States from a status enum, by the usual words; a TODO for what no word places. */
  private states(values: string[], at: (string | number)[]): Json {
    const ready = first(values, (v) => /^(available|ready|active|created|completed?|succeeded|success|ok|done)$/i.test(v));
    // Only what reads as under way: a past participle (allocated, created) is a state the resource rests in.
    const transient = values.filter((v) => v !== ready && /^(pending|queued|waiting)$|creating|starting|provisioning|building|allocating|restoring|progress/i.test(v));
    const failed = values.filter((v) => /error|fail/i.test(v));
    const deleting = values.filter((v) => !failed.includes(v) && /(delet|destroy|terminat|remov)ing/i.test(v));
    const placed = new Set([ready, ...transient, ...failed, ...deleting]);
    const unplaced = values.filter((v) => !placed.has(v));
    if (!ready) {
      this.todo(at, `no state reads as ready among ${values.join(', ')}: the states (created, ready, transient, failed, deleting, deletableFrom, budgetSeconds)`);
      return undefined;
    }
    if (unplaced.length) this.todo(at, `states not placed: ${unplaced.join(', ')}`);
    this.todo([...at, 'budgetSeconds'], 'the document gives no time a change may take: 300 s until the vendor says');
    this.todo([...at, 'deletableFrom'], 'the document does not say from which states a delete is accepted');
    return { created: [...transient, ready], ready, transient, failed, deleting, deletableFrom: [ready, ...failed], budgetSeconds: 300 };
  }

  /** The JSON schema of an operation's request body. */
  private requestSchema(op: Op | undefined): Json {
    const body = deref(this.doc, op?.op.requestBody);
    return jsonMedia(body?.content)?.schema;
  }

  /** x-fixture marks: the parent's and the resource's path parameters, the name (and the parent) in the create body. */
  private markResource(wrapper: string | undefined, fields: Json, createBody: Json): void {
    const { ops, found } = this;
    // The create last: a parameter it shares with the show and delete (PUT at a name) stays theirs, and it gets a copy.
    const order: Role[] = ['show', 'update', 'delete', 'byParent', 'parentShow', 'parentDelete', 'create'];
    for (const op of new Set(order.map((r) => ops[r]).filter((o): o is Op => Boolean(o)))) {
      const params = found.params.get(op.id);
      if (!params) continue;
      const style = op === ops.create ? found.createStyle : undefined;
      if (params.parent) this.markParam(op, params.parent, 'parent');
      if (params.resource) this.markParam(op, params.resource, style === 'put-name' ? 'name' : 'resource');
    }
    if (ops.create && found.createStyle !== 'put-name' && createBody) {
      const inBody = this.xc.resource?.bareRequests || !wrapper ? [] : [wrapper];
      const name = memberAt(this.doc, createBody, [...inBody, fields.name ?? 'name']);
      if (name) deref(this.doc, name)['x-fixture'] = 'name';
      else this.todo(['paths', ops.create.path, ops.create.method.toLowerCase(), 'requestBody'], `the create's body has no ${fields.name ?? 'name'} member to mark x-fixture: name`);
      const parentMember = typeof fields.parent === 'string' && !fields.parent.startsWith('/') ? memberAt(this.doc, createBody, [...inBody, fields.parent]) : undefined;
      if (parentMember && !found.params.get(ops.create.id)?.parent) deref(this.doc, parentMember)['x-fixture'] = 'parent';
    }
  }

  /** Marks a path or query parameter of an operation x-fixture; a shared one marked otherwise gets a copy of its own. */
  private markParam(op: Op, name: string, mark: string): void {
    const item = this.doc.paths[op.path];
    for (const list of [op.op.parameters, item.parameters]) {
      const index = (list ?? []).findIndex((p: Json) => deref(this.doc, p)?.name === name);
      if (index < 0) continue;
      const param = deref(this.doc, list[index]);
      if (param['x-fixture'] === undefined || param['x-fixture'] === mark) param['x-fixture'] = mark;
      else {
        const own = { ...param, 'x-fixture': mark };
        op.op.parameters = [...(op.op.parameters ?? []).filter((p: Json) => deref(this.doc, p)?.name !== name), own];
      }
      return;
    }
  }

  private lifecycle(): void {
    const { ops } = this;
    const r = this.options.resource;
    const p = this.options.parent ?? 'parent';
    const said = (op: Op | undefined) => (op ? oneLine(op.op.description ?? '') || op.op.summary : undefined);
    const stub = (title: string, op: Op | undefined) => this.clause('lifecycle', 'SHOULD', title, said(op), op?.op, op ? opPointer(op) : '', op);
    const lifecycle: Json = {
      needsParent: stub(`A ${r} is made of an existing ${p}`, ops.create),
      becomesReady: stub(`A new ${r} becomes ready`, ops.create),
      showMatchesCreate: stub(`Show answers the ${r} as it was made`, ops.show),
      listsAgree: stub(`The lists hold a ${r} while it exists`, ops.list ?? ops.byParent),
    };
    if (ops.update) lifecycle.update = stub(`An update changes what it gives and keeps the rest`, ops.update);
    lifecycle.gone = stub(`A deleted ${r} is gone`, ops.delete);
    lifecycle.useAfterDelete = stub(`A deleted ${r} cannot be read, changed or deleted again`, ops.delete);
    this.xc.lifecycle = lifecycle;
  }

  private labels(): void {
    const { schema } = this.resourceSchema();
    const members = membersOf(this.doc, schema);
    const name = first(['labels', 'tags', 'metadata'], (n) => members.has(n));
    if (!name) return;
    const type = typeOf(this.doc, members.get(name));
    const style = type === 'object' ? 'map' : type === 'array' ? 'list' : undefined;
    const createBody = this.requestSchema(this.ops.create);
    const inBody = (op: Op | undefined) => {
      const body = this.requestSchema(op);
      const wrapper = this.xc.resource?.bareRequests ? undefined : this.xc.resource?.wrapper;
      return body ? memberAt(this.doc, body, [...(wrapper && membersOf(this.doc, body).has(wrapper) ? [wrapper] : []), name]) : undefined;
    };
    const atCreate = createBody ? inBody(this.ops.create) : undefined;
    if (!style || !atCreate) {
      this.todo(['x-conformance', 'resource', 'fields'], `the resource has ${name} (${type ?? 'no type'})${atCreate ? '' : ' that the create does not take'}: labels or metadata, by hand`);
      return;
    }
    const Name = name[0]!.toUpperCase() + name.slice(1);
    const create = this.clause('metadata', 'SHOULD', `${Name} given at create are kept`, describe(this.doc, atCreate), atCreate, '', this.ops.create);
    const labels: Json = { member: name, style, create };
    const atUpdate = inBody(this.ops.update);
    if (atUpdate) {
      labels.replace = this.clause('metadata', 'SHOULD', `An update that gives ${name} replaces them`, describe(this.doc, atUpdate), atUpdate, '', this.ops.update);
      labels.kept = this.clause('metadata', 'SHOULD', `An update that does not give ${name} keeps them`, describe(this.doc, atUpdate), atUpdate, '', this.ops.update);
    }
    this.summary.push(`labels: ${name} (${style === 'map' ? 'a map of strings' : 'a list of strings'})`);
    this.xc.labels = labels;
  }

  private lists(): void {
    const at = ['x-conformance', 'lists'];
    const main = this.ops.list ? this.listOf(this.ops.list, at) : undefined;
    const byParent = this.ops.byParent ? this.listOf(this.ops.byParent, [...at, 'byParent']) : undefined;
    const lists: Json = main ?? (byParent ? { items: byParent.items } : {});
    if (byParent) lists.byParent = { operation: this.ops.byParent!.id, ...byParent };
    if (!lists.items) this.todo(at, 'the member of a list answer that holds the items (items)');
    this.xc.lists = lists;
  }

  /** A list's items member, paging parameters, next page and total, each with its clause. */
  private listOf(op: Op, at: (string | number)[]): Json {
    const ok = this.success(op);
    const schema = deref(this.doc, ok?.schema);
    const members = membersOf(this.doc, schema);
    const list: Json = {};
    const arrays = [...members.keys()].filter((n) => typeOf(this.doc, members.get(n)) === 'array');
    const items = first(arrays, (n) => words(n).join('-') === this.subject || words(n).at(-1) === words(this.options.resource).at(-1)) ?? (arrays.length === 1 ? arrays[0] : undefined);
    if (items) list.items = items;
    else this.todo(at, `${op.id}: which member holds the items (${arrays.join(', ') || (typeOf(this.doc, schema) === 'array' ? 'the answer is a bare array' : 'none is an array')})`);
    const params = [...(op.op.parameters ?? []), ...(this.doc.paths[op.path].parameters ?? [])].map((p: Json) => deref(this.doc, p)).filter((p: Json) => p?.in === 'query');
    const param = (names: RegExp, type?: string) => params.find((p: Json) => names.test(p.name) && (!type || typeOf(this.doc, p.schema) === type));
    // A parameter or member both lists share (DigitalOcean's per_page, links, meta) is one clause.
    const stub = (title: string, node: Json, level: ClauseLevel = 'SHOULD') => {
      const key = `${this.source(node, '')} ${title}`;
      const id = this.listClauses.get(key) ?? this.clause('lists', level, title, describe(this.doc, node), node, '', op);
      this.listClauses.set(key, id);
      return id;
    };
    const paging: string[] = [];
    const limit = param(/^(limit|per_?page|perPage|page_?size|pageSize|max_?results|maxResults|max_?items|maxItems|count)$/i, 'integer');
    if (limit) {
      const s = deref(this.doc, limit.schema) ?? {};
      const bounded = s.maximum !== undefined || s.minimum !== undefined;
      const clause = stub(`${limit.name} bounds the items of a page${s.maximum !== undefined ? ` (at most ${s.maximum})` : ''}`, limit, bounded ? 'MUST' : 'SHOULD');
      list.limit = { param: limit.name, clause, ...(Number.isInteger(s.maximum) && s.maximum >= 1 ? { max: s.maximum } : {}) };
      if (bounded) s['x-clause'] = { ...(s.minimum !== undefined ? { minimum: clause } : {}), ...(s.maximum !== undefined ? { maximum: clause } : {}) };
      paging.push(`${limit.name} (page size${s.maximum !== undefined ? ` ≤ ${s.maximum}` : ''})`);
    }
    const marker = param(/^(marker|after|starting_?after|startingAfter|after_?id)$/i);
    if (marker) {
      list.marker = { param: marker.name, clause: stub(`A page starts after the item ${marker.name} names`, marker) };
      paging.push(`${marker.name} (marker)`);
    }
    const offset = param(/^(offset|skip)$/i);
    if (offset) {
      list.offset = { param: offset.name, clause: stub(`${offset.name} skips items`, offset) };
      paging.push(`${offset.name} (offset)`);
    }
    const page = param(/^(page|page_?number|pageNumber)$/i, 'integer');
    if (page) {
      const s = deref(this.doc, page.schema) ?? {};
      const firstPage = Number.isInteger(s.minimum) ? s.minimum : Number.isInteger(s.default) ? s.default : undefined;
      list.page = { param: page.name, clause: stub(`${page.name} chooses a page by its number`, page), ...(firstPage !== undefined ? { first: firstPage } : {}) };
      paging.push(`${page.name} (page number${firstPage !== undefined ? `, first ${firstPage}` : ''})`);
    }
    const token = param(/^(page_?token|pageToken|next_?token|nextToken|cursor|continuation_?token|continuationToken|start|page)$/i, 'string');
    if (token && !page) {
      list.token = { param: token.name, clause: stub(`${token.name} gives the next page`, token) };
      paging.push(`${token.name} (token)`);
    }
    // The next page and the total, in the answer.
    const next = this.findMember(schema, (name, s) => /^(next|next_?page|nextPage|next_?link|nextLink|next_?url|nextUrl|next_?page_?token|nextPageToken|next_?token|nextToken|next_?cursor|nextCursor)$/i.test(name) && typeOf(this.doc, s) === 'string');
    const relLinks = first([...members.keys()], (n) => /_links$|^links$/.test(n) && typeOf(this.doc, members.get(n)) === 'array');
    if (next) {
      const kind = /token|cursor/i.test(next.name) || (list.token && !/link|url|uri/i.test(`${next.name} ${describe(this.doc, next.schema) ?? ''}`)) ? 'token' : 'url';
      list.next = { at: next.at, kind, clause: stub(`A page that is not the last gives the next at ${next.at}`, next.schema) };
      this.todo([...at, 'next'], 'when a page gives the next: when it is full, or only when more items follow (when: full | more)');
      paging.push(`next ${kind} at ${next.at}`);
    } else if (relLinks) {
      list.links = relLinks;
      list.nextLink = stub(`A page that is not the last links to the next (rel=next in ${relLinks})`, members.get(relLinks));
      this.todo([...at, 'linkWhen'], 'when a page links to the next: when it is full, or only when more items follow (linkWhen: full | more)');
      paging.push(`rel=next links in ${relLinks}`);
    }
    const total = this.findMember(schema, (name, s) => /^(total|total_?count|totalCount|total_?entries|totalEntries|total_?results|totalResults)$/i.test(name) && typeOf(this.doc, s) === 'integer');
    const count = members.get('count') && typeOf(this.doc, members.get('count')) === 'integer' ? 'count' : undefined;
    if (total) {
      list.total = { at: total.at, clause: stub(`${total.at} says how many items all the pages hold`, total.schema) };
      paging.push(`total at ${total.at}`);
    } else if (count) list.count = { member: count, clause: stub('count says how many items the list holds', members.get(count)) };
    // A query every request carries: a filter whose values name kinds of resources, one of them the parent's.
    if (this.options.parent) {
      for (const p of params) {
        const values = enumOf(this.doc, p.schema) ?? [];
        const v = values.find((x) => words(x).join() === words(this.options.parent!).join());
        if (v && values.length > 1) {
          list.query = { ...(list.query ?? {}), [p.name]: v };
          this.todo([...at, 'query'], `${p.name}=${v}: the list also holds other kinds (${values.join(', ')}); the run asks for the ${this.options.parent}'s only`);
          paging.push(`always ${p.name}=${v}`);
        }
      }
    }
    this.summary.push(`${op.id} pages by: ${paging.length ? paging.join(', ') : 'nothing (no paging documented)'}`);
    return list;
  }

  /** A member (at most three objects deep) that passes a test; its pointer. */
  private findMember(schema: Json, test: (name: string, s: Json) => boolean, prefix = '', depth = 0): { name: string; at: string; schema: Json } | undefined {
    if (depth > 3) return undefined;
    const members = membersOf(this.doc, schema);
    for (const [name, s] of members) if (test(name, s)) return { name, at: `${prefix}/${escapePointer(name)}`, schema: s };
    for (const [name, s] of members) {
      // anyOf branches (DigitalOcean's links.pages) are looked into too.
      const inner = this.findMember(s, test, `${prefix}/${escapePointer(name)}`, depth + 1);
      if (inner) return inner;
    }
    return undefined;
  }

  private fixtures(): void {
    const at = ['x-conformance', 'fixtures', 'parent'];
    const { parentCreate: create, parentShow: show, parentDelete: del } = this.ops;
    const parent: Json = {};
    if (!this.options.parent) this.todo(at, 'no --parent was given: how the run gets the parent a resource needs (create, or discover), its id, show');
    if (create) {
      parent.create = create.id;
      create.op['x-creates'] = words(this.options.parent ?? 'parent').join('-');
      const request = deref(this.doc, create.op.requestBody);
      const media = jsonMedia(request?.content);
      const body = media?.example ?? Object.values<Json>(media?.examples ?? {})[0]?.value ?? deref(this.doc, media?.schema)?.example ?? this.exampleOf(media?.schema);
      if (body !== undefined) parent.body = body;
      this.todo([...at, 'body'], `a body for ${create.id} from the document's ${media?.example || media?.examples ? 'example' : 'schema'}: make it the smallest, cheapest parent`);
      const schema = media?.schema;
      const wrapper = [...membersOf(this.doc, schema).keys()].length === 1 ? [...membersOf(this.doc, schema).keys()][0] : undefined;
      const wrapped = wrapper && typeOf(this.doc, memberAt(this.doc, schema, [wrapper])) === 'object' ? [wrapper] : [];
      if (memberAt(this.doc, schema, [...wrapped, 'name'])) parent.name = `/${[...wrapped, 'name'].map(escapePointer).join('/')}`;
      // Its id: in the finished operation where it answers one, else in its answer.
      if ((this.xc.operations?.writes ?? []).includes(create.id)) parent.id = this.operation?.resource;
      else {
        const answer = deref(this.doc, this.success(create)?.schema);
        const names = [...membersOf(this.doc, answer).keys()];
        const w = names.length === 1 && typeOf(this.doc, memberAt(this.doc, answer, [names[0]!])) === 'object' ? names[0] : undefined;
        if (membersOf(this.doc, w ? memberAt(this.doc, answer, [w]) : answer).has('id')) parent.id = w ? `/${escapePointer(w)}/id` : '/id';
      }
    } else this.todo(at, `no create of the ${this.options.parent ?? 'parent'} found: how the run gets one (create, or discover an existing one)`);
    if (!parent.id) this.todo(at, "where the parent's id is (id)");
    if (show) {
      parent.show = show.id;
      const schema = deref(this.doc, this.success(show)?.schema);
      const names = [...membersOf(this.doc, schema).keys()];
      const w = names.length === 1 && typeOf(this.doc, memberAt(this.doc, schema, [names[0]!])) === 'object' ? names[0] : undefined;
      const state = this.stateMember(w ? memberAt(this.doc, schema, [w]) : schema);
      if (state) {
        const ready = first(state.values, (v) => /^(available|ready|active|created|running|ok)$/i.test(v));
        if (ready) {
          Object.assign(parent, { status: `/${[...(w ? [w] : []), state.name].map(escapePointer).join('/')}`, ready });
          const transient = state.values.filter((v) => /creat|pending|queued|progress|starting|provision|building/i.test(v));
          if (transient.length) parent.transient = transient;
        } else this.todo(at, `which of the parent's states (${state.values.join(', ') || 'no enum'}) means ready (status and ready)`);
      }
    } else this.todo(at, `no show of the ${this.options.parent ?? 'parent'} found (show)`);
    if (del) {
      parent.delete = del.id;
      del.op['x-deletes'] = words(this.options.parent ?? 'parent').join('-');
    }
    this.summary.push(`parent: ${[create && `create ${create.id}`, show && `show ${show.id}`, del && `delete ${del.id}`].filter(Boolean).join(', ') || 'nothing found'}${parent.id ? `; its id at ${parent.id}` : ''}`);
    this.xc.fixtures = { parent };
  }

  /** A value a schema accepts, from its examples, defaults, enums and bounds: the required members only. */
  private exampleOf(schema: Json, depth = 0): unknown {
    const s = deref(this.doc, schema);
    if (!s || depth > 4) return undefined;
    if (s.example !== undefined) return s.example;
    if (s.default !== undefined) return s.default;
    if (Array.isArray(s.enum)) return s.enum[0];
    switch (typeOf(this.doc, s)) {
      case 'object': {
        const members = membersOf(this.doc, s);
        // A schema that names no required member (Exoscale's) still bounds a size from below: those members.
        const required = requiredOf(this.doc, s);
        const names = required.length ? required : [...members.keys()].filter((n) => ['integer', 'number'].includes(typeOf(this.doc, members.get(n)) ?? '') && deref(this.doc, members.get(n))?.minimum !== undefined);
        return Object.fromEntries(names.map((n) => [n, this.exampleOf(members.get(n), depth + 1)]));
      }
      case 'array':
        return [];
      case 'integer':
      case 'number':
        return s.minimum ?? 1;
      case 'boolean':
        return false;
      default:
        return 'TODO';
    }
  }

  /** One clause per constraint the request bodies state: lengths, patterns, enums, bounds, required members. */
  private limits(): void {
    const seen = new Set<object>();
    for (const role of ['create', 'update'] as const) {
      const op = this.ops[role];
      const schema = this.requestSchema(op);
      if (op && schema) this.constraints(op, schema, [], seen);
    }
  }

  private constraints(op: Op, node: Json, path: string[], seen: Set<object>): void {
    const s = deref(this.doc, node);
    if (!s || typeof s !== 'object' || seen.has(s) || path.length > 4) return;
    seen.add(s);
    const where = path.length ? path.join('.') : 'the body';
    const said = describe(this.doc, node) ?? describe(this.doc, s);
    const marks: Record<string, string> = {};
    const add = (keywords: string[], rule: string) => {
      const present = keywords.filter((k) => s[k] !== undefined);
      if (!present.length) return;
      const id = this.clause('limits', 'MUST', `${op.op.summary ?? op.id}: ${where} ${rule}`, said, s, '', op);
      for (const k of present) marks[k] = id;
    };
    const len = [s.minLength !== undefined && `at least ${s.minLength}`, s.maxLength !== undefined && `at most ${s.maxLength}`].filter(Boolean).join(' and ');
    add(['minLength', 'maxLength'], `is ${len} characters long`);
    add(['pattern'], `matches ${s.pattern}`);
    if (Array.isArray(s.enum)) add(['enum'], `is one of ${s.enum.map(String).join(', ')}`);
    const range = [
      s.minimum !== undefined && `at least ${s.minimum}`,
      s.exclusiveMinimum !== undefined && `more than ${s.exclusiveMinimum}`,
      s.maximum !== undefined && `at most ${s.maximum}`,
      s.exclusiveMaximum !== undefined && `less than ${s.exclusiveMaximum}`,
    ].filter(Boolean).join(' and ');
    add(['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'], `is ${range}`);
    add(['minItems', 'maxItems'], `holds ${[s.minItems !== undefined && `at least ${s.minItems}`, s.maxItems !== undefined && `at most ${s.maxItems}`].filter(Boolean).join(' and ')} items`);
    if (Array.isArray(s.required) && s.required.length) add(['required'], `must have ${s.required.join(', ')}`);
    if (Object.keys(marks).length) s['x-clause'] = { ...(typeof s['x-clause'] === 'object' ? s['x-clause'] : {}), ...marks };
    for (const part of [...(s.allOf ?? []), ...(s.anyOf ?? []), ...(s.oneOf ?? [])]) this.constraints(op, part, path, seen);
    for (const [name, member] of Object.entries<Json>(s.properties ?? {})) this.constraints(op, member, [...path, name], seen);
    if (s.items) this.constraints(op, s.items, [...path, '[]'], seen);
  }

  /** The profile document: the operations found, their components, the subject tagged, x-conformance. */
  private document(): Json {
    const { doc, ops } = this;
    const paths: Json = {};
    const subjectOps = new Set(SUBJECT_ROLES.map((r) => ops[r]).filter(Boolean));
    const kept = [...new Set([...SUBJECT_ROLES, ...PARENT_ROLES, 'poll' as const].map((r) => ops[r]).filter((o): o is Op => Boolean(o)))].sort((a, b) => a.path.localeCompare(b.path));
    for (const op of kept) {
      const item = doc.paths[op.path];
      paths[op.path] ??= item.parameters ? { parameters: item.parameters } : {};
      const subject = subjectOps.has(op);
      const clause = this.contracts.get(op);
      const { tags: _, 'x-codeSamples': __, ...rest } = op.op;
      const out: Json = { operationId: op.id, summary: op.op.summary ?? op.id, tags: [subject ? this.subject : 'prerequisites'] };
      if (clause) out['x-clause'] = clause;
      if (op === ops.create) out['x-creates'] = this.xc.resource?.wrapper ?? this.subject;
      if (op === ops.delete) out['x-deletes'] = this.xc.resource?.wrapper ?? this.subject;
      for (const [k, v] of Object.entries<Json>(rest)) if (!(k in out) && (!k.startsWith('x-') || k === 'x-creates' || k === 'x-deletes')) out[k] = v;
      paths[op.path][op.method.toLowerCase()] = out;
    }
    const result: Json = {
      openapi: '3.1.0',
      info: {
        title: `${doc.info?.title ?? 'API'}: ${this.options.resource} (profile ${this.options.profileId}, a draft)`,
        version: String(doc.info?.version ?? '1'),
        description: `Drafted by snapshot-conformance init from ${this.read.file}: the operations the profile needs and the schemas they use. Format of the extensions: docs/openapi-extensions.md.`,
      },
      ...(doc.servers ? { servers: doc.servers } : {}),
      tags: [
        { name: this.subject, description: `${this.options.resource}, the subject of this profile.` },
        ...(kept.some((o) => !subjectOps.has(o)) ? [{ name: 'prerequisites', description: 'What the subject needs: its parent, the operations its writes answer.' }] : []),
      ],
      ...(doc.security ? { security: doc.security } : {}),
      'x-conformance': this.xc,
      paths,
    };
    result.components = this.components(result);
    return result;
  }

  /** The contract clause of a subject operation: its documented success answer. */
  private contract(op: Op): string {
    const ok = successes(this.answers(op))[0];
    const title = `${op.op.summary ?? op.id} (${op.method} ${op.path}) answers ${ok?.status ?? 'its documented status'}`;
    const text = oneLine(op.op.description ?? '') || op.op.summary;
    return this.clause('contract', ok ? 'MUST' : 'SHOULD', title, text, op.op, opPointer(op), op);
  }

  /** The components the kept document refers to, and the security schemes it uses. */
  private components(result: Json): Json {
    const out: Json = {};
    const visit = (node: Json, seen: Set<object>) => {
      if (!node || typeof node !== 'object' || seen.has(node)) return;
      seen.add(node);
      if (typeof node.$ref === 'string') {
        const m = /^#\/components\/([^/]+)\/([^/]+)$/.exec(node.$ref);
        if (m) {
          const [, kind, raw] = m;
          const name = decodeURIComponent(raw!).replace(/~1/g, '/').replace(/~0/g, '~');
          const target = this.doc.components?.[kind!]?.[name];
          if (target !== undefined && out[kind!]?.[name] === undefined) {
            (out[kind!] ??= {})[name] = target;
            visit(target, seen);
          }
        }
      }
      for (const v of Object.values(node)) visit(v, seen);
    };
    visit(result.paths, new Set());
    if (typeof this.xc.envelope?.schema === 'string') visit({ $ref: this.xc.envelope.schema }, new Set());
    const used = new Set([...(result.security ?? []), ...Object.values<Json>(result.paths).flatMap((item) => Object.values<Json>(item).flatMap((o) => o?.security ?? []))].flatMap((r: Json) => Object.keys(r ?? {})));
    const schemes = Object.fromEntries(Object.entries<Json>(this.doc.components?.securitySchemes ?? {}).filter(([n]) => used.has(n)));
    if (Object.keys(schemes).length) out.securitySchemes = schemes;
    const order = ['securitySchemes', 'parameters', 'requestBodies', 'responses', 'headers', 'examples', 'schemas'];
    return Object.fromEntries(order.filter((k) => out[k]).map((k) => [k, out[k]]));
  }

  private clauseFile(): Json {
    const title = `${this.doc.info?.title ?? 'API'}: ${this.options.resource} (a draft)`;
    return { profile: this.options.profileId, title, system: `${this.doc.info?.title ?? 'API'} ${this.doc.info?.version ?? ''}`.trim(), clauses: this.stubs.sorted() };
  }
}

/** The first sentence of a text (where it is short enough to quote in a TODO). */
const firstSentence = (text: string) => oneLine(text).split(/(?<=\.)\s/)[0]!.slice(0, 160);

/** The schema a local ref names. */
function getSchema(doc: Json, ref: string): Json {
  return deref(doc, { $ref: ref });
}
