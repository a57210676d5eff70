// The shapes of the two hand-written profile files: specs/<id>/clauses.yaml and the x-conformance
// block of openapi/<id>.yaml. Each is one TypeBox schema, which gives both the runtime validation
// (through ajv, when a profile loads) and the static type: the shape is written once.
import { Type, type Static, type TSchema } from '@sinclair/typebox';

const Str = Type.String({ minLength: 1 });
const ClauseId = Type.String({ pattern: '^[A-Z0-9]+-[A-Z]+-[0-9]{2}$' });
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

const OpClause = Type.Object({ operation: Str, clause: ClauseId }, Strict);

/**
 * A value looked up in a list of the target: the items at `items` of `operation`'s answer whose
 * members equal `where` (a value "{name}" is an earlier lookup's result), and of the first one the
 * member at `take`. `into` puts it in a create body; `as` names it for later lookups.
 */
const Lookup = Type.Object(
  {
    operation: Str,
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
    create: Opt(Str),
    body: Opt(Type.Unknown()),
    name: Opt(Str),
    /** Where the create body carries the run's id as metadata ({"sc-run": <run id>}), besides the name. */
    tag: Opt(Str),
    lookups: Opt(Type.Array(Lookup)),
    discover: Opt(Lookup),
    id: Str,
    show: Str,
    status: Str,
    ready: Str,
    transient: Opt(Type.Array(Str)),
    delete: Opt(Str),
    /** Listing the parents page by page, as a workflow starts (clause: the pages lead to it). */
    list: Opt(Type.Object({ operation: Str, items: Str, links: Str, limit: Str, marker: Str, clause: ClauseId }, Strict)),
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
      { param: Str, clause: ClauseId, zeroIsEmpty: Opt(Type.Boolean()), max: Opt(Type.Integer({ minimum: 1 })) },
      Strict,
    ),
  ),
  /** `unknown`: how an unknown marker is refused (Cinder: 404; EVS: 400 EVS.1024). */
  marker: Opt(Type.Object({ param: Str, clause: ClauseId, unknown: Opt(Type.Union([Type.Literal('unknown-resource'), Type.Literal('invalid-query')])) }, Strict)),
  /**
   * `withLimitOne`: offset is judged with limit=1 only, where the vendor's pages disagree on
   * whether it counts items or pages of limit items (with a limit of one, the two agree).
   */
  offset: Opt(Type.Object({ param: Str, clause: ClauseId, withLimitOne: Opt(Type.Boolean()) }, Strict)),
  nextLink: Opt(ClauseId),
  /** When a page must link to the next: when it is full (Cinder), or only when more items follow (EVS). */
  linkWhen: Opt(Type.Union([Type.Literal('full'), Type.Literal('more')])),
  sort: Opt(
    Type.Object(
      {
        key: Str,
        dir: Str,
        by: Str,
        /** The order without sort parameters, where the vendor documents one. */
        defaultDir: Opt(Type.Union([Type.Literal('asc'), Type.Literal('desc')])),
        clause: ClauseId,
        /** The one parameter that names key and direction together (Cinder's sort=key:dir). */
        combined: Opt(Str),
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
      { fields: Type.Array(Str), clause: ClauseId, fromParent: Opt(Type.Array(Type.Object({ param: Str, value: Str }, Strict))) },
      Strict,
    ),
  ),
};

export const ConformanceSchema = Type.Object(
  {
    clauses: Str,
    subject: Str,
    requestHeaders: Opt(Type.Record(Type.String(), Type.String())),
    contentType: ClauseId,
    auth: Type.Object({ header: Str, probe: Str, missing: ClauseId, invalid: ClauseId }, Strict),
    envelope: Type.Object(
      {
        schema: Str,
        shape: ClauseId,
        /** Named faults ({"<name>": {"code": <status>}}) only: the code equals the HTTP status. */
        codeIsStatus: Opt(ClauseId),
        names: Opt(
          Type.Object(
            {
              clause: ClauseId,
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
    unsupportedVersion: Opt(Type.Object({ clause: ClauseId, header: Str, value: Str, probe: Str }, Strict)),
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
                      param: Str,
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
          count: Opt(Type.Object({ clause: ClauseId, since: Str, param: Str, member: Str }, Strict)),
        },
        Strict,
      ),
    ),
    resource: Type.Object(
      {
        wrapper: Str,
        id: Str,
        fields: Type.Object({ name: Str, description: Str, status: Str, parent: Str, metadata: Opt(Str) }, Strict),
        normalize: Opt(
          Type.Object(
            { rule: Type.Literal('python-strip'), fields: Type.Array(Str), clause: ClauseId },
            Strict,
          ),
        ),
        /** Names are unique (per project or tenant); a second create with one is refused. */
        uniqueName: Opt(Type.Object({ caseInsensitive: Type.Boolean(), clause: ClauseId }, Strict)),
        operations: Type.Object(
          { create: Str, list: Str, listDetail: Opt(Str), show: Str, update: Opt(Str), delete: Str },
          Strict,
        ),
        states: Type.Object(
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
    lists: Type.Object(
      {
        ...ListFields,
        /**
         * A second list the vendor documents: the resources of one parent, with a path parameter for
         * it (DWS's /clusters/{cluster_id}/snapshots). Judged by the same parts as the main list.
         */
        byParent: Opt(Type.Object({ operation: Str, ...ListFields }, Strict)),
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
