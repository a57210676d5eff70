// The shapes of the two hand-written profile files: specs/<id>/clauses.yaml and the x-conformance
// block of openapi/<id>.yaml. Each is one TypeBox schema, which gives both the runtime validation
// (through ajv, when a profile loads) and the static type: the shape is written once.
import { Type, type Static, type TSchema } from '@sinclair/typebox';

const Str = Type.String({ minLength: 1 });
// What a string names, for the profile check (src/profile/check.ts): a clause of the clause file, an
// operationId of the document, a query parameter of the list it belongs to.
const ClauseId = Type.String({ pattern: '^[A-Z0-9]+-[A-Z]+-[0-9]{2}$', 'x-names': 'clause' });
const OperationId = Type.String({ minLength: 1, 'x-names': 'operation' });
const QueryParam = Type.String({ minLength: 1, 'x-names': 'query' });
const Opt = <T extends TSchema>(schema: T) => Type.Optional(schema);
const Strict = { additionalProperties: false } as const;

export const Level = Type.Union([Type.Literal('MUST'), Type.Literal('SHOULD'), Type.Literal('MAY')]);
export const Area = Type.Union(
  ['contract', 'versions', 'lifecycle', 'metadata', 'lists', 'errors', 'limits', 'auth'].map((a) => Type.Literal(a)),
);

export const ClauseSchema = Type.Object(
  {
    id: ClauseId,
    area: Area,
    level: Level,
    title: Str,
    text: Str,
    source: Type.Array(Str, { minItems: 1 }),
    /** The vendor's public reference page for the clause (with the anchor of its section where there is one). */
    url: Type.String({ pattern: '^https://[^\\s]+$' }),
    contradiction: Opt(
      Type.Object(
        {
          summary: Str,
          positions: Type.Array(Type.Object({ source: Str, says: Str }, Strict), { minItems: 2 }),
          decision: Str,
          defect: Opt(Str),
        },
        Strict,
      ),
    ),
  },
  Strict,
);

export const ClauseFileSchema = Type.Object(
  { profile: Str, title: Str, system: Str, clauses: Type.Array(ClauseSchema, { minItems: 1 }) },
  Strict,
);

const OpClause = Type.Object({ operation: OperationId, clause: ClauseId }, Strict);

/**
 * A value looked up in a list of the target: the items at `items` of `operation`'s answer whose
 * members equal `where` (a value "{name}" is an earlier lookup's result), and of the first one the
 * member at `take`. `into` puts it in a create body; `as` names it for later lookups.
 */
const Lookup = Type.Object(
  {
    operation: OperationId,
    items: Str,
    where: Type.Record(Type.String(), Type.String()),
    take: Str,
    into: Opt(Str),
    as: Opt(Str),
  },
  Strict,
);

const ParentFixture = Type.Object(
  {
    /** How the run makes one (absent: it must find one with `discover`, or be given one). */
    create: Opt(OperationId),
    body: Opt(Type.Unknown()),
    name: Opt(Str),
    /** Where the create body carries the run's id as metadata ({"sc-run": <run id>}), besides the name. */
    tag: Opt(Str),
    lookups: Opt(Type.Array(Lookup)),
    discover: Opt(Lookup),
    id: Str,
    show: OperationId,
    /** Where the parent's show has its status, and the status that means ready (absent: present means ready). */
    status: Opt(Str),
    ready: Opt(Str),
    transient: Opt(Type.Array(Str)),
    delete: Opt(OperationId),
    /** Listing the parents page by page, as a workflow starts (clause: the pages lead to it). */
    list: Opt(Type.Object({ operation: OperationId, items: Str, links: Str, limit: QueryParam, marker: QueryParam, clause: ClauseId }, Strict)),
  },
  Strict,
);

/** What a list documents: its members, paging, sort and filters, each with its clause; each optional. */
const ListFields = {
  items: Str,
  links: Opt(Str),
  /** The list says how many items it holds. */
  count: Opt(Type.Object({ member: Str, clause: ClauseId }, Strict)),
  limit: Opt(
    Type.Object(
      { param: QueryParam, clause: ClauseId, zeroIsEmpty: Opt(Type.Boolean()), max: Opt(Type.Integer({ minimum: 1 })) },
      Strict,
    ),
  ),
  /** `unknown`: how an unknown marker is refused (Cinder: 404; EVS: 400 EVS.1024). */
  marker: Opt(Type.Object({ param: QueryParam, clause: ClauseId, unknown: Opt(Type.Union([Type.Literal('unknown-resource'), Type.Literal('invalid-query')])) }, Strict)),
  /**
   * `withLimitOne`: offset is judged with limit=1 only, where the vendor's pages disagree on
   * whether it counts items or pages of limit items (with a limit of one, the two agree).
   */
  offset: Opt(Type.Object({ param: QueryParam, clause: ClauseId, withLimitOne: Opt(Type.Boolean()) }, Strict)),
  nextLink: Opt(ClauseId),
  /** When a page must link to the next: when it is full (Cinder), or only when more items follow (EVS). */
  linkWhen: Opt(Type.Union([Type.Literal('full'), Type.Literal('more')])),
  /** Paging by page number (DigitalOcean's page, with `limit` as the page size): its parameter and first page. */
  page: Opt(Type.Object({ param: QueryParam, clause: ClauseId, first: Opt(Type.Integer({ minimum: 0 })) }, Strict)),
  /** Paging by an opaque token the previous page gives at `next.at`. */
  token: Opt(Type.Object({ param: QueryParam, clause: ClauseId }, Strict)),
  /**
   * The next page as a value at a pointer of the answer, where it is not a rel=next link: a URL to
   * follow (DigitalOcean's /links/pages/next) or the token to send. When it is due, as linkWhen.
   */
  next: Opt(
    Type.Object(
      { at: Str, kind: Type.Union([Type.Literal('url'), Type.Literal('token')]), clause: ClauseId, when: Opt(Type.Union([Type.Literal('full'), Type.Literal('more')])) },
      Strict,
    ),
  ),
  /** How many items the list holds across all its pages, at a pointer (DigitalOcean's /meta/total). */
  total: Opt(Type.Object({ at: Str, clause: ClauseId }, Strict)),
  /** A query every request of the list carries (DigitalOcean's resource_type=volume). */
  query: Opt(Type.Record(Type.String(), Type.String())),
  sort: Opt(
    Type.Object(
      {
        key: QueryParam,
        dir: QueryParam,
        by: Str,
        /** The order without sort parameters, where the vendor documents one. */
        defaultDir: Opt(Type.Union([Type.Literal('asc'), Type.Literal('desc')])),
        clause: ClauseId,
        /** The one parameter that names key and direction together (Cinder's sort=key:dir). */
        combined: Opt(QueryParam),
      },
      Strict,
    ),
  ),
  badPaging: Opt(ClauseId),
  /**
   * Filters on the resource's fields (name, status, parent), and filters on a field of the parent
   * the items do not carry (`fromParent`: the parameter, and where the parent's show has its value).
   */
  filters: Opt(
    Type.Object(
      { fields: Type.Array(QueryParam), clause: ClauseId, fromParent: Opt(Type.Array(Type.Object({ param: QueryParam, value: Str }, Strict))) },
      Strict,
    ),
  ),
};

export const ConformanceSchema = Type.Object(
  {
    clauses: Str,
    subject: Str,
    requestHeaders: Opt(Type.Record(Type.String(), Type.String())),
    /** A query every request carries (a version in the query: Azure's api-version). */
    query: Opt(Type.Record(Type.String(), Type.String())),
    /**
     * Modules of the profile's folder, relative to the document: `server`, what the reference
     * server cannot read from the documents; `signer`, how a request is signed.
     */
    modules: Opt(Type.Object({ server: Opt(Str), signer: Opt(Str) }, Strict)),
    /** A rate limit's "come back at": a header with seconds to wait, or the Unix time to wait for. */
    rateLimit: Opt(
      Type.Object(
        { reset: Type.Object({ header: Str, unit: Type.Union([Type.Literal('seconds'), Type.Literal('epoch')]) }, Strict), statuses: Opt(Type.Array(Type.Integer())) },
        Strict,
      ),
    ),
    /** The rule the names the run gives must follow (the parent's too): case, length, characters. */
    names: Opt(
      Type.Object(
        { case: Opt(Type.Union([Type.Literal('lower'), Type.Literal('upper')])), maxLength: Opt(Type.Integer({ minimum: 8 })), pattern: Opt(Str) },
        Strict,
      ),
    ),
    /**
     * Writes answered with an operation to wait on (Exoscale): which writes, where their answer has
     * the operation's id (or the header with its URL), the operation's show, its state and what
     * each state means, where a finished operation names the resource, and the clause of "an
     * operation ends in success".
     */
    operations: Opt(
      Type.Object(
        {
          writes: Type.Array(OperationId, { minItems: 1 }),
          id: Opt(Str),
          /** Where the answer's body has the operation's URL (Google's selfLink), to poll as is. */
          url: Opt(Str),
          header: Opt(Str),
          show: Opt(OperationId),
          state: Str,
          pending: Type.Array(Str),
          done: Str,
          failed: Type.Array(Str),
          resource: Str,
          clause: ClauseId,
        },
        Strict,
      ),
    ),
    contentType: ClauseId,
    /**
     * How requests are authenticated: a token in a header (with a scheme: "Bearer <token>"), an API
     * key in the query, a request signer (modules.signer), or nothing (`none`). `probe` is the
     * operation the run first reads; `missing` and `invalid` the clauses of refused credentials.
     */
    auth: Type.Object(
      {
        header: Opt(Str),
        scheme: Opt(Str),
        query: Opt(Str),
        none: Opt(Type.Literal(true)),
        probe: OperationId,
        missing: Opt(ClauseId),
        invalid: Opt(ClauseId),
      },
      Strict,
    ),
    envelope: Type.Object(
      {
        schema: Str,
        shape: ClauseId,
        /**
         * A member that carries the HTTP status, at a pointer; a segment "*" stands for the one
         * member of a named fault (Cinder's code inside its fault; Google's /error/code).
         */
        status: Opt(Type.Object({ at: Str, clause: ClauseId }, Strict)),
        /**
         * The code that goes with each status: the fault's name (Cinder's itemNotFound), or the
         * string at `at` (DigitalOcean's /id: not_found).
         */
        names: Opt(
          Type.Object(
            {
              clause: ClauseId,
              at: Opt(Str),
              byStatus: Type.Record(Type.String({ pattern: '^[1-5][0-9]{2}$' }), Type.Array(Str)),
              otherwise: Type.Array(Str),
            },
            Strict,
          ),
        ),
      },
      Strict,
    ),
    refusals: Type.Object(
      { malformedBody: ClauseId, invalidBody: ClauseId, unknownResource: ClauseId, mediaType: Opt(ClauseId) },
      Strict,
    ),
    /** A documented "try again" answer (ECL's 409 Tenant is busy): retried within a bound, counted. */
    busy: Opt(
      Type.Object(
        { status: Type.Integer(), attempts: Type.Integer({ minimum: 1 }), delayMs: Type.Integer({ minimum: 0 }), clause: ClauseId },
        Strict,
      ),
    ),
    versions: Opt(
      Type.Object({ clause: ClauseId, rootUp: Type.Integer({ minimum: 1 }), version: Str, minVersion: Opt(Str) }, Strict),
    ),
    unsupportedVersion: Opt(Type.Object({ clause: ClauseId, header: Str, value: Str, probe: OperationId }, Strict)),
    /**
     * Microversions (Cinder's OpenStack-API-Version): the header that asks for one ("{version}" in
     * format), the base the documents describe, and what later versions change. A run may ask for
     * another version (--microversion); the changes are tested at the version before and at each.
     */
    microversions: Opt(
      Type.Object(
        {
          header: Str,
          format: Str,
          base: Str,
          pattern: Str,
          /** The answer names the version asked for. */
          echo: ClauseId,
          /** Fields the views (show, list detail) gain, by the version that adds each. */
          fields: Type.Object({ clause: ClauseId, since: Type.Record(Type.String(), Str) }, Strict),
          /** A sort key the list accepts from a version on (refused before). */
          sortKey: Opt(Type.Object({ clause: ClauseId, since: Str, key: Str }, Strict)),
          /** A create member whose false value is refused from a version on (accepted before). */
          refusedFalse: Opt(Type.Object({ clause: ClauseId, since: Str, member: Str }, Strict)),
          /**
           * List filters a version brings, judged at it on the suite's own resources: `metadata`
           * (a dict of items they hold), `contains` (a part of `field`, matched inexactly) and `flag`
           * (true for the suite's resources, false for none of them).
           */
          filters: Opt(
            Type.Object(
              {
                clause: ClauseId,
                each: Type.Array(
                  Type.Object(
                    {
                      param: QueryParam,
                      since: Str,
                      kind: Type.Union([Type.Literal('metadata'), Type.Literal('contains'), Type.Literal('flag')]),
                      field: Opt(Str),
                    },
                    Strict,
                  ),
                ),
              },
              Strict,
            ),
          ),
          /** A list parameter that makes the answer say how many items match, from a version on. */
          count: Opt(Type.Object({ clause: ClauseId, since: Str, param: QueryParam, member: Str }, Strict)),
        },
        Strict,
      ),
    ),
    resource: Type.Object(
      {
        /** The member that wraps the resource in answers ({"snapshot": {...}}); absent: answers are the resource. */
        wrapper: Opt(Str),
        /** Create and update bodies are the resource's members, not wrapped (answers may still be). */
        bareRequests: Opt(Type.Boolean()),
        id: Str,
        /** Members of the resource (a name, or a pointer into it: /volume/id); each but the name optional. */
        fields: Type.Object({ id: Opt(Str), name: Str, description: Opt(Str), status: Opt(Str), parent: Opt(Str), metadata: Opt(Str) }, Strict),
        normalize: Opt(
          Type.Object(
            { rule: Type.Literal('python-strip'), fields: Type.Array(Str), clause: ClauseId },
            Strict,
          ),
        ),
        /** Names are unique (per project or tenant); a second create with one is refused. */
        uniqueName: Opt(Type.Object({ caseInsensitive: Type.Boolean(), clause: ClauseId }, Strict)),
        operations: Type.Object(
          { create: OperationId, list: OperationId, listDetail: Opt(OperationId), show: OperationId, update: Opt(OperationId), delete: OperationId },
          Strict,
        ),
        /** The resource's own status and its states (absent: a resource there is ready, and gone once 404). */
        states: Opt(
          Type.Object(
            {
              created: Type.Array(Str),
              ready: Str,
              transient: Type.Array(Str),
              failed: Type.Array(Str),
              deleting: Type.Array(Str),
              deletableFrom: Type.Array(Str),
              budgetSeconds: Type.Number({ exclusiveMinimum: 0 }),
            },
            Strict,
          ),
        ),
        /** The time budget of a change, where the resource has no states (or they say none). */
        budgetSeconds: Opt(Type.Number({ exclusiveMinimum: 0 })),
      },
      Strict,
    ),
    lifecycle: Type.Object(
      {
        needsParent: ClauseId,
        becomesReady: ClauseId,
        showMatchesCreate: ClauseId,
        listsAgree: ClauseId,
        update: Opt(ClauseId),
        gone: ClauseId,
        deleteWhileCreating: Opt(ClauseId),
        useAfterDelete: ClauseId,
      },
      Strict,
    ),
    metadata: Opt(
      Type.Object(
        {
          create: ClauseId,
          read: OpClause,
          replace: OpClause,
          merge: Opt(OpClause),
          keyRead: Opt(OpClause),
          keyWrite: Opt(OpClause),
          keyDelete: Opt(OpClause),
          keyMismatch: Opt(ClauseId),
        },
        Strict,
      ),
    ),
    /**
     * Labels: a map of strings (Exoscale's labels) or a list of strings (DigitalOcean's tags), in the
     * create and update bodies and in the views, with the clauses of what they do: set at create,
     * replaced by an update that gives them, kept by one that does not.
     */
    labels: Opt(
      Type.Object(
        { member: Str, style: Type.Union([Type.Literal('map'), Type.Literal('list')]), create: ClauseId, replace: Opt(ClauseId), kept: Opt(ClauseId) },
        Strict,
      ),
    ),
    lists: Type.Object(
      {
        ...ListFields,
        /**
         * A second list the vendor documents: the resources of one parent, with a path parameter for
         * it (DWS's /clusters/{cluster_id}/snapshots). Judged by the same parts as the main list.
         */
        byParent: Opt(Type.Object({ operation: OperationId, ...ListFields }, Strict)),
      },
      Strict,
    ),
    quota: Opt(Type.Object({ clause: ClauseId, probeMax: Type.Integer({ minimum: 1 }) }, Strict)),
    /** A name prefix the vendor reserves (EVS: autobk_snapshot_): what the API accepts with it must be deletable. */
    reservedPrefix: Opt(Type.Object({ prefix: Str, clause: ClauseId }, Strict)),
    /** At most this many resources per parent (Huawei EVS: 7 snapshots per disk). */
    perParent: Opt(Type.Object({ max: Type.Integer({ minimum: 1 }), clause: ClauseId }, Strict)),
    /** Parents a resource must not be made of: each create is refused and creates nothing. */
    preconditions: Opt(
      Type.Array(
        Type.Object(
          {
            clause: ClauseId,
            title: Str,
            /** A parent made with other lookups (another volume type), or one asked for before it is ready. */
            parent: Type.Union([Type.Object({ lookups: Type.Array(Lookup), body: Opt(Type.Unknown()) }, Strict), Type.Object({ notReady: Type.Literal(true) }, Strict)]),
          },
          Strict,
        ),
      ),
    ),
    fixtures: Type.Object({ parent: ParentFixture }, Strict),
  },
  Strict,
);

export type Clause = Static<typeof ClauseSchema>;
export type ClauseFile = Static<typeof ClauseFileSchema>;
export type Conformance = Static<typeof ConformanceSchema>;
export type ClauseLevel = Static<typeof Level>;
export type ClauseArea = Static<typeof Area>;
export type LookupSpec = Static<typeof Lookup>;
export type ParentSpec = Static<typeof ParentFixture>;
