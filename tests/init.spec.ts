// snapshot-conformance init drafts a profile folder from a vendor's document. Three documents of our
// own making (tests/fixtures/init): nimbus, OpenAPI 3.0 split over files (a bearer token, a create
// under the parent's path answering 201 {snapshot}, page/per_page paging with links.pages.next and
// meta.total, errors {id, message}); stratus, OpenAPI 3.0 in one file (a create as an action of the
// parent answering an operation to poll, labels as a map, no security scheme, no error answers);
// cirrus, Swagger 2.0 (wrapped bodies, marker/limit paging, named faults). Each test asserts what
// init found, the x-conformance block, the TODOs and where they stand, the clause stubs (words,
// sources, pages), what the document holds, and how far the project's loader gets with the draft.
import { test, expect } from '@playwright/test';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { toOpenApi31 } from '../src/init/convert.ts';
import { initProfile, summary, type InitRequest } from '../src/init/index.ts';
import { loadProfile, ProfileError } from '../src/profile/load.ts';
import { resolveProfile } from '../src/profile/sources.ts';
import { loadCheckedProfile } from '../src/profile/check.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures/init');

/** Runs init on a fixture into a folder of its own; what it wrote, parsed and as text. */
function draft(document: string, request: Omit<InitRequest, 'document' | 'out'> & { id: string }) {
  const out = join(mkdtempSync(join(tmpdir(), 'sc-init-')), request.id);
  const result = initProfile({ document: join(FIXTURES, document), out, ...request });
  const apiText = readFileSync(join(out, 'openapi.yaml'), 'utf8');
  const clausesText = readFileSync(join(out, 'clauses.yaml'), 'utf8');
  return { result, out, api: parse(apiText), clauses: parse(clausesText), apiText, clausesText };
}

const todoLines = (r: { todos: { file: string; at: (string | number)[]; text: string }[] }) => r.todos.map((t) => `${t.file} ${t.at.join(' > ')}: ${t.text}`);
const clauseLines = (file: any): string[] => file.clauses.map((c: any) => `${c.id} ${c.level} ${c.title} | ${c.text} | ${c.source.join(', ')} | ${c.url}`);

/** A YAML text with each wrapped TODO comment on one line again. */
const unwrapped = (text: string) => text.replace(/\n[ \t]*# {4}/g, ' ');

/** The first line that is not a comment after the TODO comment with this text. */
function lineAfter(text: string, todo: string): string | undefined {
  const lines = unwrapped(text).split('\n');
  const at = lines.findIndex((l) => l.includes(`# TODO: ${todo}`));
  expect(at, `a TODO comment "${todo}"`).toBeGreaterThanOrEqual(0);
  return lines.slice(at + 1).find((l) => !l.trim().startsWith('#'))?.trim();
}

/** Every TODO init reported is a comment in the file it names. */
function everyTodoIsAComment(d: ReturnType<typeof draft>) {
  for (const t of d.result.todos) expect(unwrapped(t.file === 'openapi.yaml' ? d.apiText : d.clausesText), t.text).toContain(`# TODO: ${t.text}`);
}

/** Every $ref of a document, with where it is. */
function refs(node: unknown, at = ''): string[] {
  if (!node || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([k, v]) => (k === '$ref' && typeof v === 'string' ? [v] : refs(v, `${at}/${k}`)));
}

/** Every operation of a document: "METHOD path operationId [tags]". */
const operations = (api: any): string[] =>
  Object.entries<any>(api.paths).flatMap(([path, item]) =>
    ['get', 'put', 'post', 'patch', 'delete'].filter((m) => item[m]).map((m) => `${m.toUpperCase()} ${path} ${item[m].operationId} [${item[m].tags.join(', ')}]`),
  );

// How both of nimbus's lists page: the account's and the volume's own.
const NIMBUS_PAGING = {
  items: "snapshots",
  limit: { param: "per_page", clause: "NIMBUS-LIST-01", max: 200 },
  page: { param: "page", clause: "NIMBUS-LIST-02", first: 1 },
  next: { at: "/links/pages/next", kind: "url", clause: "NIMBUS-LIST-03" },
  total: { at: "/meta/total", clause: "NIMBUS-LIST-04" },
};

const NIMBUS = {
  found: [
    "create: snapshots_create (POST /v2/volumes/{volume_id}/snapshots)",
    "list: snapshots_list (GET /v2/snapshots)",
    "list of one parent: snapshots_list_by_volume (GET /v2/volumes/{volume_id}/snapshots)",
    "show: snapshots_get (GET /v2/snapshots/{snapshot_id})",
    "delete: snapshots_delete (DELETE /v2/snapshots/{snapshot_id})",
    "the parent's create: volumes_create (POST /v2/volumes)",
    "the parent's show: volumes_get (GET /v2/volumes/{volume_id})",
    "the parent's delete: volumes_delete (DELETE /v2/volumes/{volume_id})",
    "auth: Authorization Bearer header (security scheme bearer_auth)",
    "error envelope: #/components/schemas/error",
    "answers: wrapped in \"snapshot\", bare request bodies; the new id at /snapshot/id",
    "fields: name name, parent resource_id",
    "labels: tags (a list of strings)",
    "snapshots_list pages by: per_page (page size ≤ 200), page (page number, first 1), next url at /links/pages/next, total at /meta/total, always resource_type=volume",
    "snapshots_list_by_volume pages by: per_page (page size ≤ 200), page (page number, first 1), next url at /links/pages/next, total at /meta/total",
    "parent: create volumes_create, show volumes_get, delete volumes_delete; its id at /volume/id"
  ],
  xc: {
    clauses: "clauses.yaml",
    subject: "snapshot",
    rateLimit: {
      reset: {
        header: "ratelimit-reset",
        unit: "epoch"
      }
    },
    contentType: "NIMBUS-API-06",
    auth: {
      header: "Authorization",
      scheme: "Bearer",
      probe: "snapshots_list",
      missing: "NIMBUS-AUTH-01",
      invalid: "NIMBUS-AUTH-02"
    },
    envelope: {
      schema: "#/components/schemas/error",
      shape: "NIMBUS-ERR-01",
      names: {
        clause: "NIMBUS-ERR-02",
        at: "/id",
        byStatus: {
          "400": [
            "bad_request"
          ],
          "401": [
            "unauthorized"
          ],
          "404": [
            "not_found"
          ],
          "429": [
            "too_many_requests"
          ]
        },
        otherwise: []
      }
    },
    refusals: {
      malformedBody: "NIMBUS-ERR-04",
      invalidBody: "NIMBUS-ERR-04",
      unknownResource: "NIMBUS-ERR-03"
    },
    resource: {
      wrapper: "snapshot",
      bareRequests: true,
      id: "/snapshot/id",
      fields: {
        name: "name",
        parent: "resource_id"
      },
      operations: {
        create: "snapshots_create",
        list: "snapshots_list",
        show: "snapshots_get",
        delete: "snapshots_delete"
      }
    },
    lifecycle: {
      needsParent: "NIMBUS-LIFE-01",
      becomesReady: "NIMBUS-LIFE-02",
      showMatchesCreate: "NIMBUS-LIFE-03",
      listsAgree: "NIMBUS-LIFE-04",
      gone: "NIMBUS-LIFE-05",
      useAfterDelete: "NIMBUS-LIFE-06"
    },
    labels: {
      member: "tags",
      style: "list",
      create: "NIMBUS-META-01"
    },
    lists: {
      ...NIMBUS_PAGING,
      query: {
        resource_type: "volume"
      },
      byParent: {
        operation: "snapshots_list_by_volume",
        ...NIMBUS_PAGING
      }
    },
    fixtures: {
      parent: {
        create: "volumes_create",
        body: {
          name: "example-volume",
          size_gigabytes: 1,
          region: "north-1"
        },
        name: "/name",
        id: "/volume/id",
        show: "volumes_get",
        delete: "volumes_delete"
      }
    }
  },
  todos: [
    "clauses.yaml NIMBUS-AUTH-01 > level: SHOULD: the document does not state this as a rule; make it MUST where the vendor's words do",
    "clauses.yaml NIMBUS-AUTH-02 > level: SHOULD: the document does not state this as a rule; make it MUST where the vendor's words do",
    "clauses.yaml NIMBUS-ERR-02 > level: SHOULD: the document does not state this as a rule; make it MUST where the vendor's words do",
    "openapi.yaml x-conformance > envelope > names > otherwise: the codes of statuses the document gives no example for",
    "openapi.yaml x-conformance > envelope > names > byStatus: taken from the documented answers' examples: check them against the vendor's list of codes",
    "clauses.yaml NIMBUS-ERR-03 > level: SHOULD: the document does not state this as a rule; make it MUST where the vendor's words do",
    "clauses.yaml NIMBUS-ERR-04 > level: SHOULD: the document does not state this as a rule; make it MUST where the vendor's words do",
    "openapi.yaml x-conformance > refusals > invalidBody: one 400 clause stands for malformed and schema-invalid bodies: split it where the vendor says more",
    "openapi.yaml x-conformance > refusals: also documented: 429; no clause drafted (a \"try again\" is busy, 429 is rateLimit, a full quota is quota)",
    "openapi.yaml x-conformance > rateLimit: from the ratelimit-reset header of snapshots_create's answers (\"The time when the oldest request will expire, in Unix epoch time.\"): confirm the unit",
    "openapi.yaml x-conformance > resource > fields > parent: resource_id is taken for the parent by its name alone: confirm that it holds the volume's id",
    "openapi.yaml x-conformance > resource: the resource has no status: present means ready and 404 gone; budgetSeconds (default 300) bounds how long a change may take",
    "clauses.yaml NIMBUS-LIFE-01 > level: SHOULD: the document does not state this as a rule; make it MUST where the vendor's words do",
    "clauses.yaml NIMBUS-LIFE-02 > level: SHOULD: the document does not state this as a rule; make it MUST where the vendor's words do",
    "clauses.yaml NIMBUS-LIFE-03 > level: SHOULD: the document does not state this as a rule; make it MUST where the vendor's words do",
    "clauses.yaml NIMBUS-LIFE-04 > level: SHOULD: the document does not state this as a rule; make it MUST where the vendor's words do",
    "clauses.yaml NIMBUS-LIFE-05 > level: SHOULD: the document does not state this as a rule; make it MUST where the vendor's words do",
    "clauses.yaml NIMBUS-LIFE-06 > level: SHOULD: the document does not state this as a rule; make it MUST where the vendor's words do",
    "clauses.yaml NIMBUS-META-01 > level: SHOULD: the document does not state this as a rule; make it MUST where the vendor's words do",
    "clauses.yaml NIMBUS-LIST-02 > level: SHOULD: the document does not state this as a rule; make it MUST where the vendor's words do",
    "clauses.yaml NIMBUS-LIST-03 > level: SHOULD: the document does not state this as a rule; make it MUST where the vendor's words do",
    "openapi.yaml x-conformance > lists > next: when a page gives the next: when it is full, or only when more items follow (when: full | more)",
    "clauses.yaml NIMBUS-LIST-04 > level: SHOULD: the document does not state this as a rule; make it MUST where the vendor's words do",
    "openapi.yaml x-conformance > lists > query: resource_type=volume: the list also holds other kinds (image, volume); the run asks for the volume's only",
    "openapi.yaml x-conformance > lists > byParent > next: when a page gives the next: when it is full, or only when more items follow (when: full | more)",
    "openapi.yaml x-conformance > fixtures > parent > body: a body for volumes_create from the document's example: make it the smallest, cheapest parent"
  ],
  clauses: [
    "NIMBUS-API-01 MUST Snapshot a volume (POST /v2/volumes/{volume_id}/snapshots) answers 201 | To snapshot a volume, send a POST request to `/v2/volumes/$VOLUME_ID/snapshots`. | resources/snapshots/snapshots_create.yml | https://docs.nimbus.example/api/#operation/snapshots_create",
    "NIMBUS-API-02 MUST List all snapshots (GET /v2/snapshots) answers 200 | List all snapshots | resources/snapshots/snapshots_list.yml | https://docs.nimbus.example/api/#operation/snapshots_list",
    "NIMBUS-API-03 MUST List a volume's snapshots (GET /v2/volumes/{volume_id}/snapshots) answers 200 | List a volume's snapshots | resources/snapshots/snapshots_list_by_volume.yml | https://docs.nimbus.example/api/#operation/snapshots_list_by_volume",
    "NIMBUS-API-04 MUST Show a snapshot (GET /v2/snapshots/{snapshot_id}) answers 200 | Show a snapshot | resources/snapshots/snapshots_get.yml | https://docs.nimbus.example/api/#operation/snapshots_get",
    "NIMBUS-API-05 MUST Delete a snapshot (DELETE /v2/snapshots/{snapshot_id}) answers 204 | A status of 204 is given when the snapshot is deleted. | resources/snapshots/snapshots_delete.yml | https://docs.nimbus.example/api/#operation/snapshots_delete",
    "NIMBUS-API-06 MUST Request and answer bodies are JSON (application/json) | The document gives every request and answer body of these operations as application/json. | resources/snapshots/snapshots_create.yml#/requestBody | https://docs.nimbus.example/api/#operation/snapshots_create",
    "NIMBUS-LIFE-01 SHOULD A snapshot is made of an existing volume | To snapshot a volume, send a POST request to `/v2/volumes/$VOLUME_ID/snapshots`. | resources/snapshots/snapshots_create.yml | https://docs.nimbus.example/api/#operation/snapshots_create",
    "NIMBUS-LIFE-02 SHOULD A new snapshot becomes ready | To snapshot a volume, send a POST request to `/v2/volumes/$VOLUME_ID/snapshots`. | resources/snapshots/snapshots_create.yml | https://docs.nimbus.example/api/#operation/snapshots_create",
    "NIMBUS-LIFE-03 SHOULD Show answers the snapshot as it was made | Show a snapshot | resources/snapshots/snapshots_get.yml | https://docs.nimbus.example/api/#operation/snapshots_get",
    "NIMBUS-LIFE-04 SHOULD The lists hold a snapshot while it exists | List all snapshots | resources/snapshots/snapshots_list.yml | https://docs.nimbus.example/api/#operation/snapshots_list",
    "NIMBUS-LIFE-05 SHOULD A deleted snapshot is gone | A status of 204 is given when the snapshot is deleted. | resources/snapshots/snapshots_delete.yml | https://docs.nimbus.example/api/#operation/snapshots_delete",
    "NIMBUS-LIFE-06 SHOULD A deleted snapshot cannot be read, changed or deleted again | A status of 204 is given when the snapshot is deleted. | resources/snapshots/snapshots_delete.yml | https://docs.nimbus.example/api/#operation/snapshots_delete",
    "NIMBUS-META-01 SHOULD Tags given at create are kept | A flat array of tag names. | resources/snapshots/snapshots_create.yml#/requestBody/content/application~1json/schema/properties/tags | https://docs.nimbus.example/api/#operation/snapshots_create",
    "NIMBUS-LIST-01 MUST per_page bounds the items of a page (at most 200) | Number of items returned per page | shared/parameters.yml#/per_page | https://docs.nimbus.example/api/#operation/snapshots_list",
    "NIMBUS-LIST-02 SHOULD page chooses a page by its number | Which page of results to return. | shared/parameters.yml#/page | https://docs.nimbus.example/api/#operation/snapshots_list",
    "NIMBUS-LIST-03 SHOULD A page that is not the last gives the next at /links/pages/next | URI of the next page of the results. | shared/pages.yml#/forward_links/properties/next | https://docs.nimbus.example/api/#operation/snapshots_list",
    "NIMBUS-LIST-04 SHOULD /meta/total says how many items all the pages hold | Number of objects returned by the request. | shared/meta.yml#/properties/meta/properties/total | https://docs.nimbus.example/api/#operation/snapshots_list",
    "NIMBUS-ERR-01 MUST An error answer has the error envelope | The 4xx answers give the schema #/components/schemas/error, which requires id, message. | shared/models/error.yml | https://docs.nimbus.example/api/#operation/snapshots_create",
    "NIMBUS-ERR-02 SHOULD An error answer names the error at /id, by status | A short identifier of the HTTP status returned, like \"not_found\". | shared/models/error.yml#/properties/id | https://docs.nimbus.example/api/#operation/snapshots_create",
    "NIMBUS-ERR-03 SHOULD An unknown id is answered 404 | The resource was not found. | shared/responses/not_found.yml | https://docs.nimbus.example/api/#operation/snapshots_create",
    "NIMBUS-ERR-04 SHOULD A malformed or invalid request is refused with 400 | The request body could not be parsed. | shared/responses/bad_request.yml | https://docs.nimbus.example/api/#operation/snapshots_create",
    "NIMBUS-LIM-01 MUST Snapshot a volume: the body must have name | Snapshot a volume: the body must have name | resources/snapshots/snapshots_create.yml#/requestBody/content/application~1json/schema | https://docs.nimbus.example/api/#operation/snapshots_create",
    "NIMBUS-LIM-02 MUST Snapshot a volume: name is at most 64 characters long | A name for the snapshot. | resources/snapshots/snapshots_create.yml#/requestBody/content/application~1json/schema/properties/name | https://docs.nimbus.example/api/#operation/snapshots_create",
    "NIMBUS-LIM-03 MUST Snapshot a volume: name matches ^[a-z][a-z0-9-]*$ | A name for the snapshot. | resources/snapshots/snapshots_create.yml#/requestBody/content/application~1json/schema/properties/name | https://docs.nimbus.example/api/#operation/snapshots_create",
    "NIMBUS-AUTH-01 SHOULD A request without credentials is refused with 401 | Authentication failed due to invalid credentials. | shared/responses/unauthorized.yml | https://docs.nimbus.example/api/#operation/snapshots_create",
    "NIMBUS-AUTH-02 SHOULD A request with wrong credentials is refused with 401 | Authentication failed due to invalid credentials. | shared/responses/unauthorized.yml | https://docs.nimbus.example/api/#operation/snapshots_create"
  ],
};

const STRATUS = {
  found: [
    "create: create-disk-snapshot (POST /disk/{id}:create-snapshot)",
    "list: list-disk-snapshots (GET /disk-snapshot)",
    "show: get-disk-snapshot (GET /disk-snapshot/{id})",
    "update: update-disk-snapshot (PUT /disk-snapshot/{id})",
    "delete: delete-disk-snapshot (DELETE /disk-snapshot/{id})",
    "the parent's create: create-disk (POST /disk)",
    "the parent's show: get-disk (GET /disk/{id})",
    "the parent's delete: delete-disk (DELETE /disk/{id})",
    "the operation to poll: get-operation (GET /operation/{id})",
    "auth: none documented, signed requests in its text",
    "error envelope: none documented",
    "writes answer an operation (#/components/schemas/operation): create-disk-snapshot, update-disk-snapshot, delete-disk-snapshot, create-disk, delete-disk",
    "answers: bare; the new id at /reference/id",
    "fields: name name, status state, parent /disk/id",
    "states (state): creating, created, error, destroying, destroyed, promoting",
    "labels: labels (a map of strings)",
    "list-disk-snapshots pages by: nothing (no paging documented)",
    "parent: create create-disk, show get-disk, delete delete-disk; its id at /reference/id"
  ],
  xc: {
    clauses: "clauses.yaml",
    subject: "disk-snapshot",
    operations: {
      writes: [
        "create-disk-snapshot",
        "update-disk-snapshot",
        "delete-disk-snapshot",
        "create-disk",
        "delete-disk"
      ],
      id: "/id",
      show: "get-operation",
      state: "/state",
      pending: [
        "pending"
      ],
      done: "success",
      failed: [
        "failure",
        "timeout"
      ],
      resource: "/reference/id",
      clause: "STRATUS-LIFE-01"
    },
    contentType: "STRATUS-API-06",
    auth: {
      probe: "list-disk-snapshots"
    },
    resource: {
      id: "/reference/id",
      fields: {
        name: "name",
        status: "state",
        parent: "/disk/id"
      },
      operations: {
        create: "create-disk-snapshot",
        list: "list-disk-snapshots",
        show: "get-disk-snapshot",
        update: "update-disk-snapshot",
        delete: "delete-disk-snapshot"
      },
      states: {
        created: [
          "creating",
          "created"
        ],
        ready: "created",
        transient: [
          "creating"
        ],
        failed: [
          "error"
        ],
        deleting: [
          "destroying"
        ],
        deletableFrom: [
          "created",
          "error"
        ],
        budgetSeconds: 300
      }
    },
    lifecycle: {
      needsParent: "STRATUS-LIFE-02",
      becomesReady: "STRATUS-LIFE-03",
      showMatchesCreate: "STRATUS-LIFE-04",
      listsAgree: "STRATUS-LIFE-05",
      update: "STRATUS-LIFE-06",
      gone: "STRATUS-LIFE-07",
      useAfterDelete: "STRATUS-LIFE-08"
    },
    labels: {
      member: "labels",
      style: "map",
      create: "STRATUS-META-01",
      replace: "STRATUS-META-02",
      kept: "STRATUS-META-03"
    },
    lists: {
      items: "disk-snapshots"
    },
    fixtures: {
      parent: {
        create: "create-disk",
        body: {
          size: 1
        },
        name: "/name",
        id: "/reference/id",
        show: "get-disk",
        delete: "delete-disk"
      }
    }
  },
  todos: [
    "openapi.yaml x-conformance > auth: the document names no security scheme (its text speaks of signed requests: a signer in modules.signer, docs/openapi-extensions.md); say how credentials travel (header and scheme, query, a request signer in modules.signer, or none: true), and the clauses of missing and invalid credentials",
    "openapi.yaml x-conformance > envelope: envelope: the document gives no schema for any 4xx answer, so the error envelope (schema, shape) is not known",
    "openapi.yaml x-conformance > refusals: refusals: the operations document no 400 (malformedBody), 400 or 422 (invalidBody), 404 (unknownResource): the clauses of those refusals",
    "clauses.yaml STRATUS-LIFE-01 > level: SHOULD: the document does not state this as a rule; make it MUST where the vendor's words do",
    "clauses.yaml STRATUS-LIFE-01 > url: the vendor's public page for this clause (init --docs-url TEMPLATE fills it from the operationId)",
    "openapi.yaml x-conformance > resource > states: states not placed: destroyed, promoting",
    "openapi.yaml x-conformance > resource > states > budgetSeconds: the document gives no time a change may take: 300 s until the vendor says",
    "openapi.yaml x-conformance > resource > states > deletableFrom: the document does not say from which states a delete is accepted",
    "clauses.yaml STRATUS-LIFE-02 > level: SHOULD: the document does not state this as a rule; make it MUST where the vendor's words do",
    "clauses.yaml STRATUS-LIFE-03 > level: SHOULD: the document does not state this as a rule; make it MUST where the vendor's words do",
    "clauses.yaml STRATUS-LIFE-04 > level: SHOULD: the document does not state this as a rule; make it MUST where the vendor's words do",
    "clauses.yaml STRATUS-LIFE-05 > level: SHOULD: the document does not state this as a rule; make it MUST where the vendor's words do",
    "clauses.yaml STRATUS-LIFE-06 > level: SHOULD: the document does not state this as a rule; make it MUST where the vendor's words do",
    "clauses.yaml STRATUS-LIFE-07 > level: SHOULD: the document does not state this as a rule; make it MUST where the vendor's words do",
    "clauses.yaml STRATUS-LIFE-08 > level: SHOULD: the document does not state this as a rule; make it MUST where the vendor's words do",
    "clauses.yaml STRATUS-META-01 > level: SHOULD: the document does not state this as a rule; make it MUST where the vendor's words do",
    "clauses.yaml STRATUS-META-02 > level: SHOULD: the document does not state this as a rule; make it MUST where the vendor's words do",
    "clauses.yaml STRATUS-META-03 > level: SHOULD: the document does not state this as a rule; make it MUST where the vendor's words do",
    "openapi.yaml x-conformance > fixtures > parent > body: a body for create-disk from the document's schema: make it the smallest, cheapest parent",
    "openapi.yaml x-conformance > fixtures > parent: which of the parent's states (creating, detached, attached, deleting, error) means ready (status and ready)",
    "openapi.yaml paths > /disk/{id}:create-snapshot > post > requestBody: an example made from the schema (the document gives none): the contract tests start from it; give the vendor's",
    "openapi.yaml paths > /disk-snapshot/{id} > put > requestBody: an example made from the schema (the document gives none): the contract tests start from it; give the vendor's",
    "openapi.yaml paths > /disk > post > requestBody: an example made from the schema (the document gives none): the contract tests start from it; give the vendor's"
  ],
  clauses: [
    "STRATUS-API-01 MUST Create a disk snapshot (POST /disk/{id}:create-snapshot) answers 200 | Create a disk snapshot | stratus.yaml#/paths/~1disk~1{id}:create-snapshot/post | https://docs.stratus.example/disk",
    "STRATUS-API-02 MUST List disk snapshots (GET /disk-snapshot) answers 200 | List disk snapshots | stratus.yaml#/paths/~1disk-snapshot/get | https://docs.stratus.example/disk",
    "STRATUS-API-03 MUST Retrieve disk snapshot details (GET /disk-snapshot/{id}) answers 200 | Retrieve disk snapshot details | stratus.yaml#/paths/~1disk-snapshot~1{id}/get | https://docs.stratus.example/disk",
    "STRATUS-API-04 MUST Update a disk snapshot (PUT /disk-snapshot/{id}) answers 200 | Update a disk snapshot | stratus.yaml#/paths/~1disk-snapshot~1{id}/put | https://docs.stratus.example/disk",
    "STRATUS-API-05 MUST Delete a disk snapshot (DELETE /disk-snapshot/{id}) answers 200 | Delete a disk snapshot | stratus.yaml#/paths/~1disk-snapshot~1{id}/delete | https://docs.stratus.example/disk",
    "STRATUS-API-06 MUST Request and answer bodies are JSON (application/json) | The document gives every request and answer body of these operations as application/json. | stratus.yaml#/paths/~1disk~1{id}:create-snapshot/post/requestBody | https://docs.stratus.example/disk",
    "STRATUS-LIFE-01 SHOULD An operation ends in success through its pending states | Operation status | stratus.yaml#/components/schemas/operation/properties/state | https://todo.invalid/get-operation",
    "STRATUS-LIFE-02 SHOULD A disk-snapshot is made of an existing disk | Create a disk snapshot | stratus.yaml#/paths/~1disk~1{id}:create-snapshot/post | https://docs.stratus.example/disk",
    "STRATUS-LIFE-03 SHOULD A new disk-snapshot becomes ready | Create a disk snapshot | stratus.yaml#/paths/~1disk~1{id}:create-snapshot/post | https://docs.stratus.example/disk",
    "STRATUS-LIFE-04 SHOULD Show answers the disk-snapshot as it was made | Retrieve disk snapshot details | stratus.yaml#/paths/~1disk-snapshot~1{id}/get | https://docs.stratus.example/disk",
    "STRATUS-LIFE-05 SHOULD The lists hold a disk-snapshot while it exists | List disk snapshots | stratus.yaml#/paths/~1disk-snapshot/get | https://docs.stratus.example/disk",
    "STRATUS-LIFE-06 SHOULD An update changes what it gives and keeps the rest | Update a disk snapshot | stratus.yaml#/paths/~1disk-snapshot~1{id}/put | https://docs.stratus.example/disk",
    "STRATUS-LIFE-07 SHOULD A deleted disk-snapshot is gone | Delete a disk snapshot | stratus.yaml#/paths/~1disk-snapshot~1{id}/delete | https://docs.stratus.example/disk",
    "STRATUS-LIFE-08 SHOULD A deleted disk-snapshot cannot be read, changed or deleted again | Delete a disk snapshot | stratus.yaml#/paths/~1disk-snapshot~1{id}/delete | https://docs.stratus.example/disk",
    "STRATUS-META-01 SHOULD Labels given at create are kept | Resource labels | stratus.yaml#/paths/~1disk~1{id}:create-snapshot/post/requestBody/content/application~1json/schema/properties/labels | https://docs.stratus.example/disk",
    "STRATUS-META-02 SHOULD An update that gives labels replaces them | Resource labels | stratus.yaml#/paths/~1disk-snapshot~1{id}/put/requestBody/content/application~1json/schema/properties/labels | https://docs.stratus.example/disk",
    "STRATUS-META-03 SHOULD An update that does not give labels keeps them | Resource labels | stratus.yaml#/paths/~1disk-snapshot~1{id}/put/requestBody/content/application~1json/schema/properties/labels | https://docs.stratus.example/disk",
    "STRATUS-LIM-01 MUST Create a disk snapshot: name is at least 1 and at most 255 characters long | Snapshot name | stratus.yaml#/paths/~1disk~1{id}:create-snapshot/post/requestBody/content/application~1json/schema/properties/name | https://docs.stratus.example/disk",
    "STRATUS-LIM-02 MUST Update a disk snapshot: name is at most 255 characters long | Update a disk snapshot: name is at most 255 characters long | stratus.yaml#/paths/~1disk-snapshot~1{id}/put/requestBody/content/application~1json/schema/properties/name | https://docs.stratus.example/disk"
  ],
};

const CIRRUS = {
  found: [
    "create: createSnapshot (POST /{project_id}/snapshots)",
    "list: listSnapshots (GET /{project_id}/snapshots)",
    "list with details: listSnapshotsDetail (GET /{project_id}/snapshots/detail)",
    "show: showSnapshot (GET /{project_id}/snapshots/{snapshot_id})",
    "update: updateSnapshot (PUT /{project_id}/snapshots/{snapshot_id})",
    "delete: deleteSnapshot (DELETE /{project_id}/snapshots/{snapshot_id})",
    "the parent's create: createVolume (POST /{project_id}/volumes)",
    "the parent's show: showVolume (GET /{project_id}/volumes/{volume_id})",
    "the parent's delete: deleteVolume (DELETE /{project_id}/volumes/{volume_id})",
    "auth: X-Auth-Token header (security scheme token)",
    "error envelope: #/components/schemas/Error",
    "answers: wrapped in \"snapshot\"; the new id at /snapshot/id",
    "fields: name name, description description, status status, parent volume_id",
    "states (status): creating, available, error, deleting, error_deleting",
    "labels: metadata (a map of strings)",
    "listSnapshots pages by: limit (page size ≤ 1000), marker (marker), rel=next links in snapshots_links",
    "parent: create createVolume, show showVolume, delete deleteVolume; its id at /volume/id"
  ],
  xc: {
    clauses: "clauses.yaml",
    subject: "snapshot",
    contentType: "CIRRUS-API-07",
    auth: {
      header: "X-Auth-Token",
      probe: "listSnapshots",
      missing: "CIRRUS-AUTH-01",
      invalid: "CIRRUS-AUTH-02"
    },
    envelope: {
      schema: "#/components/schemas/Error",
      shape: "CIRRUS-ERR-01",
      status: {
        at: "/*/code",
        clause: "CIRRUS-ERR-02"
      },
      names: {
        clause: "CIRRUS-ERR-03",
        byStatus: {
          "400": [
            "badRequest"
          ],
          "401": [
            "unauthorized"
          ],
          "404": [
            "itemNotFound"
          ]
        },
        otherwise: []
      }
    },
    refusals: {
      malformedBody: "CIRRUS-ERR-05",
      invalidBody: "CIRRUS-ERR-05",
      unknownResource: "CIRRUS-ERR-04"
    },
    resource: {
      wrapper: "snapshot",
      id: "/snapshot/id",
      fields: {
        name: "name",
        description: "description",
        status: "status",
        parent: "volume_id"
      },
      operations: {
        create: "createSnapshot",
        list: "listSnapshots",
        listDetail: "listSnapshotsDetail",
        show: "showSnapshot",
        update: "updateSnapshot",
        delete: "deleteSnapshot"
      },
      states: {
        created: [
          "creating",
          "available"
        ],
        ready: "available",
        transient: [
          "creating"
        ],
        failed: [
          "error",
          "error_deleting"
        ],
        deleting: [
          "deleting"
        ],
        deletableFrom: [
          "available",
          "error",
          "error_deleting"
        ],
        budgetSeconds: 300
      }
    },
    lifecycle: {
      needsParent: "CIRRUS-LIFE-01",
      becomesReady: "CIRRUS-LIFE-02",
      showMatchesCreate: "CIRRUS-LIFE-03",
      listsAgree: "CIRRUS-LIFE-04",
      update: "CIRRUS-LIFE-05",
      gone: "CIRRUS-LIFE-06",
      useAfterDelete: "CIRRUS-LIFE-07"
    },
    labels: {
      member: "metadata",
      style: "map",
      create: "CIRRUS-META-01"
    },
    lists: {
      items: "snapshots",
      links: "snapshots_links",
      limit: {
        param: "limit",
        clause: "CIRRUS-LIST-01",
        max: 1000
      },
      marker: {
        param: "marker",
        clause: "CIRRUS-LIST-02"
      },
      nextLink: "CIRRUS-LIST-03"
    },
    fixtures: {
      parent: {
        create: "createVolume",
        body: {
          volume: {
            size: 1
          }
        },
        name: "/volume/name",
        id: "/volume/id",
        show: "showVolume",
        status: "/volume/status",
        ready: "available",
        transient: [
          "creating"
        ],
        delete: "deleteVolume"
      }
    }
  },
  todos: [
    "clauses.yaml CIRRUS-AUTH-01 > level: SHOULD: the document does not state this as a rule; make it MUST where the vendor's words do",
    "clauses.yaml CIRRUS-AUTH-02 > level: SHOULD: the document does not state this as a rule; make it MUST where the vendor's words do",
    "clauses.yaml CIRRUS-ERR-02 > level: SHOULD: the document does not state this as a rule; make it MUST where the vendor's words do",
    "clauses.yaml CIRRUS-ERR-03 > level: SHOULD: the document does not state this as a rule; make it MUST where the vendor's words do",
    "openapi.yaml x-conformance > envelope > names > otherwise: the codes of statuses the document gives no example for",
    "openapi.yaml x-conformance > envelope > names > byStatus: taken from the documented answers' examples: check them against the vendor's list of codes",
    "clauses.yaml CIRRUS-ERR-04 > level: SHOULD: the document does not state this as a rule; make it MUST where the vendor's words do",
    "clauses.yaml CIRRUS-ERR-05 > level: SHOULD: the document does not state this as a rule; make it MUST where the vendor's words do",
    "openapi.yaml x-conformance > refusals > invalidBody: one 400 clause stands for malformed and schema-invalid bodies: split it where the vendor says more",
    "openapi.yaml x-conformance > resource > states > budgetSeconds: the document gives no time a change may take: 300 s until the vendor says",
    "openapi.yaml x-conformance > resource > states > deletableFrom: the document does not say from which states a delete is accepted",
    "clauses.yaml CIRRUS-LIFE-01 > level: SHOULD: the document does not state this as a rule; make it MUST where the vendor's words do",
    "clauses.yaml CIRRUS-LIFE-02 > level: SHOULD: the document does not state this as a rule; make it MUST where the vendor's words do",
    "clauses.yaml CIRRUS-LIFE-03 > level: SHOULD: the document does not state this as a rule; make it MUST where the vendor's words do",
    "clauses.yaml CIRRUS-LIFE-04 > level: SHOULD: the document does not state this as a rule; make it MUST where the vendor's words do",
    "clauses.yaml CIRRUS-LIFE-05 > level: SHOULD: the document does not state this as a rule; make it MUST where the vendor's words do",
    "clauses.yaml CIRRUS-LIFE-06 > level: SHOULD: the document does not state this as a rule; make it MUST where the vendor's words do",
    "clauses.yaml CIRRUS-LIFE-07 > level: SHOULD: the document does not state this as a rule; make it MUST where the vendor's words do",
    "clauses.yaml CIRRUS-META-01 > level: SHOULD: the document does not state this as a rule; make it MUST where the vendor's words do",
    "clauses.yaml CIRRUS-LIST-02 > level: SHOULD: the document does not state this as a rule; make it MUST where the vendor's words do",
    "clauses.yaml CIRRUS-LIST-03 > level: SHOULD: the document does not state this as a rule; make it MUST where the vendor's words do",
    "openapi.yaml x-conformance > lists > linkWhen: when a page links to the next: when it is full, or only when more items follow (linkWhen: full | more)",
    "openapi.yaml x-conformance > fixtures > parent > body: a body for createVolume from the document's schema: make it the smallest, cheapest parent",
    "openapi.yaml paths > /{project_id}/snapshots > post > requestBody: an example made from the schema (the document gives none): the contract tests start from it; give the vendor's",
    "openapi.yaml paths > /{project_id}/snapshots/{snapshot_id} > put > requestBody: an example made from the schema (the document gives none): the contract tests start from it; give the vendor's",
    "openapi.yaml paths > /{project_id}/volumes > post > requestBody: an example made from the schema (the document gives none): the contract tests start from it; give the vendor's"
  ],
  clauses: [
    "CIRRUS-API-01 MUST Create a snapshot (POST /{project_id}/snapshots) answers 202 | Takes a snapshot of a volume; it is creating until it is available. | cirrus.yaml#/paths/~1{project_id}~1snapshots/post | https://docs.cirrus.example/block-storage",
    "CIRRUS-API-02 MUST List snapshots (GET /{project_id}/snapshots) answers 200 | List snapshots | cirrus.yaml#/paths/~1{project_id}~1snapshots/get | https://docs.cirrus.example/block-storage",
    "CIRRUS-API-03 MUST List snapshots with details (GET /{project_id}/snapshots/detail) answers 200 | List snapshots with details | cirrus.yaml#/paths/~1{project_id}~1snapshots~1detail/get | https://docs.cirrus.example/block-storage",
    "CIRRUS-API-04 MUST Show a snapshot (GET /{project_id}/snapshots/{snapshot_id}) answers 200 | Show a snapshot | cirrus.yaml#/paths/~1{project_id}~1snapshots~1{snapshot_id}/get | https://docs.cirrus.example/block-storage",
    "CIRRUS-API-05 MUST Update a snapshot (PUT /{project_id}/snapshots/{snapshot_id}) answers 200 | Update a snapshot | cirrus.yaml#/paths/~1{project_id}~1snapshots~1{snapshot_id}/put | https://docs.cirrus.example/block-storage",
    "CIRRUS-API-06 MUST Delete a snapshot (DELETE /{project_id}/snapshots/{snapshot_id}) answers 202 | Delete a snapshot | cirrus.yaml#/paths/~1{project_id}~1snapshots~1{snapshot_id}/delete | https://docs.cirrus.example/block-storage",
    "CIRRUS-API-07 MUST Request and answer bodies are JSON (application/json) | The document gives every request and answer body of these operations as application/json. | cirrus.yaml#/paths/~1{project_id}~1snapshots/post/requestBody | https://docs.cirrus.example/block-storage",
    "CIRRUS-LIFE-01 SHOULD A snapshot is made of an existing volume | Takes a snapshot of a volume; it is creating until it is available. | cirrus.yaml#/paths/~1{project_id}~1snapshots/post | https://docs.cirrus.example/block-storage",
    "CIRRUS-LIFE-02 SHOULD A new snapshot becomes ready | Takes a snapshot of a volume; it is creating until it is available. | cirrus.yaml#/paths/~1{project_id}~1snapshots/post | https://docs.cirrus.example/block-storage",
    "CIRRUS-LIFE-03 SHOULD Show answers the snapshot as it was made | Show a snapshot | cirrus.yaml#/paths/~1{project_id}~1snapshots~1{snapshot_id}/get | https://docs.cirrus.example/block-storage",
    "CIRRUS-LIFE-04 SHOULD The lists hold a snapshot while it exists | List snapshots | cirrus.yaml#/paths/~1{project_id}~1snapshots/get | https://docs.cirrus.example/block-storage",
    "CIRRUS-LIFE-05 SHOULD An update changes what it gives and keeps the rest | Update a snapshot | cirrus.yaml#/paths/~1{project_id}~1snapshots~1{snapshot_id}/put | https://docs.cirrus.example/block-storage",
    "CIRRUS-LIFE-06 SHOULD A deleted snapshot is gone | Delete a snapshot | cirrus.yaml#/paths/~1{project_id}~1snapshots~1{snapshot_id}/delete | https://docs.cirrus.example/block-storage",
    "CIRRUS-LIFE-07 SHOULD A deleted snapshot cannot be read, changed or deleted again | Delete a snapshot | cirrus.yaml#/paths/~1{project_id}~1snapshots~1{snapshot_id}/delete | https://docs.cirrus.example/block-storage",
    "CIRRUS-META-01 SHOULD Metadata given at create are kept | Metadata given at create are kept | cirrus.yaml#/definitions/SnapshotCreateRequest/properties/snapshot/properties/metadata | https://docs.cirrus.example/block-storage",
    "CIRRUS-LIST-01 MUST limit bounds the items of a page (at most 1000) | At most this many snapshots. | cirrus.yaml#/parameters/limit | https://docs.cirrus.example/block-storage",
    "CIRRUS-LIST-02 SHOULD A page starts after the item marker names | The id of the last snapshot of the previous page. | cirrus.yaml#/parameters/marker | https://docs.cirrus.example/block-storage",
    "CIRRUS-LIST-03 SHOULD A page that is not the last links to the next (rel=next in snapshots_links) | A page that is not the last links to the next (rel=next in snapshots_links) | cirrus.yaml#/definitions/SnapshotList/properties/snapshots_links | https://docs.cirrus.example/block-storage",
    "CIRRUS-ERR-01 MUST An error answer has the error envelope | One member, named after the fault, holding its code and message. | cirrus.yaml#/definitions/Error | https://docs.cirrus.example/block-storage",
    "CIRRUS-ERR-02 SHOULD An error answer carries its HTTP status at /*/code | The HTTP status. | cirrus.yaml#/definitions/Fault/properties/code | https://docs.cirrus.example/block-storage",
    "CIRRUS-ERR-03 SHOULD An error answer is named by its status | One member, named after the fault, holding its code and message. | cirrus.yaml#/definitions/Error/additionalProperties | https://docs.cirrus.example/block-storage",
    "CIRRUS-ERR-04 SHOULD An unknown id is answered 404 | No such snapshot or volume. | cirrus.yaml#/responses/NotFound | https://docs.cirrus.example/block-storage",
    "CIRRUS-ERR-05 SHOULD A malformed or invalid request is refused with 400 | The request is malformed or invalid. | cirrus.yaml#/responses/BadRequest | https://docs.cirrus.example/block-storage",
    "CIRRUS-LIM-01 MUST Create a snapshot: the body must have snapshot | Create a snapshot: the body must have snapshot | cirrus.yaml#/definitions/SnapshotCreateRequest | https://docs.cirrus.example/block-storage",
    "CIRRUS-LIM-02 MUST Create a snapshot: snapshot must have volume_id | Create a snapshot: snapshot must have volume_id | cirrus.yaml#/definitions/SnapshotCreateRequest/properties/snapshot | https://docs.cirrus.example/block-storage",
    "CIRRUS-LIM-03 MUST Create a snapshot: snapshot.name is at most 255 characters long | The snapshot's name, at most 255 characters. | cirrus.yaml#/definitions/Name | https://docs.cirrus.example/block-storage",
    "CIRRUS-LIM-04 MUST Update a snapshot: the body must have snapshot | Update a snapshot: the body must have snapshot | cirrus.yaml#/paths/~1{project_id}~1snapshots~1{snapshot_id}/put/parameters/0/schema | https://docs.cirrus.example/block-storage",
    "CIRRUS-AUTH-01 SHOULD A request without credentials is refused with 401 | No token, or one that is not valid. | cirrus.yaml#/responses/Unauthorized | https://docs.cirrus.example/block-storage",
    "CIRRUS-AUTH-02 SHOULD A request with wrong credentials is refused with 401 | No token, or one that is not valid. | cirrus.yaml#/responses/Unauthorized | https://docs.cirrus.example/block-storage"
  ],
};

/** One draft per fixture and test process (init is cheap; the loader's registry is per process). */
const once = <T>(make: () => T) => {
  let value: T | undefined;
  return () => (value ??= make());
};
const nimbus = once(() => draft('nimbus/nimbus.yaml', { resource: 'snapshot', parent: 'volume', id: 'nimbus', docsUrl: 'https://docs.nimbus.example/api/#operation/{operationId}' }));
const stratus = once(() => draft('stratus/stratus.yaml', { resource: 'disk-snapshot', parent: 'disk', id: 'stratus' }));
const cirrus = once(() => draft('cirrus/cirrus.yaml', { resource: 'snapshot', parent: 'volume', id: 'cirrus' }));

test.describe('nimbus: OpenAPI 3.0 split over files, a bearer token, page paging', () => {
  test('what init found, the x-conformance block, the TODOs and the clause stubs', () => {
    const d = nimbus();
    expect(d.result.found).toEqual(NIMBUS.found);
    expect(d.api['x-conformance']).toEqual(NIMBUS.xc);
    expect(todoLines(d.result)).toEqual(NIMBUS.todos);
    expect(clauseLines(d.clauses)).toEqual(NIMBUS.clauses);
    expect(d.clauses).toMatchObject({ profile: 'nimbus', title: 'Nimbus API: snapshot (a draft)', system: 'Nimbus API 2.0' });
    everyTodoIsAComment(d);
    expect(lineAfter(d.apiText, "resource_id is taken for the parent by its name alone: confirm that it holds the volume's id")).toBe('parent: resource_id');
    expect(lineAfter(d.apiText, 'the resource has no status: present means ready and 404 gone; budgetSeconds (default 300) bounds how long a change may take')).toBe('resource:');
    expect(lineAfter(d.clausesText, "SHOULD: the document does not state this as a rule; make it MUST where the vendor's words do")).toBe('level: SHOULD');
  });

  test('the document: the files bundled into one, only the operations the profile needs, marked; OpenAPI 3.1', () => {
    const { api } = nimbus();
    expect(api.openapi).toBe('3.1.0');
    expect(operations(api)).toEqual([
      'GET /v2/snapshots snapshots_list [snapshot]',
      'GET /v2/snapshots/{snapshot_id} snapshots_get [snapshot]',
      'DELETE /v2/snapshots/{snapshot_id} snapshots_delete [snapshot]',
      'POST /v2/volumes volumes_create [prerequisites]',
      'GET /v2/volumes/{volume_id} volumes_get [prerequisites]',
      'DELETE /v2/volumes/{volume_id} volumes_delete [prerequisites]',
      'GET /v2/volumes/{volume_id}/snapshots snapshots_list_by_volume [snapshot]',
      'POST /v2/volumes/{volume_id}/snapshots snapshots_create [snapshot]',
    ]);
    // Every ref is local now; what the files held is lifted into components under readable names.
    expect(refs(api).every((r) => r.startsWith('#/components/'))).toBe(true);
    expect(Object.keys(api.components.schemas).sort()).toEqual(['error', 'forward_links', 'meta', 'page_links', 'pagination', 'snapshot', 'tags', 'volume']);
    expect(Object.keys(api.components.responses).sort()).toEqual(['bad_request', 'not_found', 'snapshot', 'snapshots', 'too_many_requests', 'unauthorized', 'volume']);
    expect(api.components.securitySchemes).toEqual({ bearer_auth: { type: 'http', scheme: 'bearer', description: 'A bearer token in the Authorization header.' } });
    // x-fixture on the parent's and the resource's parameters and on the name the create takes.
    expect(api.components.parameters.volume_id['x-fixture']).toBe('parent');
    expect(api.components.parameters.snapshot_id['x-fixture']).toBe('resource');
    const create = api.paths['/v2/volumes/{volume_id}/snapshots'].post;
    const body = create.requestBody.content['application/json'].schema;
    expect(body.properties.name).toEqual({
      type: 'string', description: 'A name for the snapshot.', maxLength: 64, pattern: '^[a-z][a-z0-9-]*$', example: 'nightly-1',
      'x-fixture': 'name', 'x-clause': { maxLength: 'NIMBUS-LIM-02', pattern: 'NIMBUS-LIM-03' },
    });
    expect(body['x-clause']).toEqual({ required: 'NIMBUS-LIM-01' });
    expect([create['x-clause'], create['x-creates']]).toEqual(['NIMBUS-API-01', 'snapshot']);
    expect(api.paths['/v2/snapshots/{snapshot_id}'].delete['x-deletes']).toBe('snapshot');
    expect([api.paths['/v2/volumes'].post['x-creates'], api.paths['/v2/volumes/{volume_id}'].delete['x-deletes']]).toEqual(['volume', 'volume']);
    expect(api.components.parameters.per_page.schema['x-clause']).toEqual({ minimum: 'NIMBUS-LIST-01', maximum: 'NIMBUS-LIST-01' });
    // The refusals each error answer stands for.
    expect(['bad_request', 'unauthorized', 'not_found', 'too_many_requests'].map((r) => api.components.responses[r]['x-refusal'])).toEqual([
      ['malformed-body', 'invalid-body', 'invalid-query'], ['unauthenticated'], ['unknown-resource'], undefined,
    ]);
    // OpenAPI 3.0's nullable and boolean exclusiveMinimum in 3.1's words; examples kept.
    expect(api.components.schemas.tags).toEqual({ type: ['array', 'null'], items: { type: 'string' }, description: 'A flat array of tag names.' });
    expect(api.paths['/v2/volumes'].post.requestBody.content['application/json'].schema.properties.size_gigabytes).toEqual({ type: 'integer', exclusiveMinimum: 0 });
    expect(api.paths['/v2/volumes'].post.requestBody.content['application/json'].example).toEqual({ name: 'example-volume', size_gigabytes: 1, region: 'north-1' });
  });

  test('the draft loads, and its model compiles', () => {
    const { out } = nimbus();
    const model = loadProfile(resolveProfile(out)).model;
    expect(model.auth).toMatchObject({ kind: 'header', header: 'Authorization', scheme: 'Bearer', missing: 'NIMBUS-AUTH-01', invalid: 'NIMBUS-AUTH-02' });
    expect(model.resource).toMatchObject({ kind: 'snapshot', wrapper: 'snapshot', requestWrapper: undefined, id: '/snapshot/id', parentIn: 'path', states: undefined, budgetSeconds: 300 });
    expect([model.lists.paging, model.lists.ofParent, model.lists.query, model.lists.next]).toEqual(['page', false, { resource_type: 'volume' }, { at: '/links/pages/next', kind: 'url', clause: 'NIMBUS-LIST-03' }]);
    expect([model.lists.byParent?.op.id, model.lists.byParent?.ofParent, model.lists.byParent?.paging]).toEqual(['snapshots_list_by_volume', true, 'page']);
    expect([model.parent.create?.id, model.parent.show.id, model.parent.delete?.id, model.parent.kind]).toEqual(['volumes_create', 'volumes_get', 'volumes_delete', 'volume']);
    expect(model.labels).toEqual({ member: 'tags', style: 'list', create: 'NIMBUS-META-01' });
  });

  test('the summary: what init found, then the TODOs, those said of many clauses once', () => {
    const lines = summary(nimbus().result).split('\n');
    expect(lines[0]).toBe(`Drafted profile nimbus in ${nimbus().out}: openapi.yaml and clauses.yaml (${NIMBUS.clauses.length} clause stubs).`);
    expect(lines.slice(2, 3 + NIMBUS.found.length)).toEqual(['Found:', ...NIMBUS.found.map((f) => `  ${f}`)]);
    expect(lines).toContain(`TODO (${NIMBUS.todos.length}, each a "# TODO:" comment where it belongs):`);
    const level = "level: SHOULD: the document does not state this as a rule; make it MUST where the vendor's words do";
    const should = NIMBUS.todos.filter((t) => t.endsWith(`> ${level}`)).map((t) => t.split(' ')[1]);
    expect(should).toHaveLength(15);
    expect(lines).toContain(`  clauses.yaml 15 clauses (${should.join(', ')}), ${level}`);
    expect(lines).toContain("  openapi.yaml x-conformance > resource > fields > parent: resource_id is taken for the parent by its name alone: confirm that it holds the volume's id");
    expect(lines.at(-1)).toBe(`Next: edit the TODOs, then snapshot-conformance check ${nimbus().out}`);
  });
});

test.describe('stratus: OpenAPI 3.0 in one file, writes answer an operation, no security scheme, no errors', () => {
  test('what init found, the x-conformance block, the TODOs and the clause stubs', () => {
    const d = stratus();
    expect(d.result.found).toEqual(STRATUS.found);
    expect(d.api['x-conformance']).toEqual(STRATUS.xc);
    expect(todoLines(d.result)).toEqual(STRATUS.todos);
    expect(clauseLines(d.clauses)).toEqual(STRATUS.clauses);
    everyTodoIsAComment(d);
    // What init left out is a TODO where it would be: before the member that follows it.
    expect(lineAfter(d.apiText, 'envelope: the document gives no schema for any 4xx answer, so the error envelope (schema, shape) is not known')).toBe('resource:');
    expect(lineAfter(d.apiText, 'refusals: the operations document no 400 (malformedBody), 400 or 422 (invalidBody), 404 (unknownResource): the clauses of those refusals')).toBe('resource:');
    expect(lineAfter(d.apiText, 'the document gives no time a change may take: 300 s until the vendor says')).toBe('budgetSeconds: 300');
  });

  test('the document: the action of the parent, the operation to poll, the marks; 3.1 bounds and nulls', () => {
    const { api } = stratus();
    expect(operations(api)).toEqual([
      'POST /disk create-disk [prerequisites]',
      'GET /disk-snapshot list-disk-snapshots [disk-snapshot]',
      'GET /disk-snapshot/{id} get-disk-snapshot [disk-snapshot]',
      'PUT /disk-snapshot/{id} update-disk-snapshot [disk-snapshot]',
      'DELETE /disk-snapshot/{id} delete-disk-snapshot [disk-snapshot]',
      'GET /disk/{id} get-disk [prerequisites]',
      'DELETE /disk/{id} delete-disk [prerequisites]',
      'POST /disk/{id}:create-snapshot create-disk-snapshot [disk-snapshot]',
      'GET /operation/{id} get-operation [prerequisites]',
    ]);
    const fixtures = (path: string, method: string) => api.paths[path][method].parameters.map((p: any) => `${p.name} ${p['x-fixture']}`);
    expect(fixtures('/disk/{id}:create-snapshot', 'post')).toEqual(['id parent']);
    expect(['get', 'put', 'delete'].map((m) => fixtures('/disk-snapshot/{id}', m))).toEqual([['id resource'], ['id resource'], ['id resource']]);
    expect(['get', 'delete'].map((m) => fixtures('/disk/{id}', m))).toEqual([['id parent'], ['id parent']]);
    expect(api.paths['/operation/{id}'].get.parameters).toEqual([{ in: 'path', required: true, name: 'id', schema: { type: 'string', format: 'uuid' } }]);
    expect(api.paths['/disk-snapshot/{id}'].put.requestBody.content['application/json'].schema.properties.name).toEqual({ type: ['string', 'null'], maxLength: 255, 'x-clause': { maxLength: 'STRATUS-LIM-02' } });
    expect(api.components.schemas['disk-snapshot'].properties.size).toEqual({ type: 'integer', exclusiveMinimum: 0, example: 10 });
    expect(Object.keys(api.components.schemas).sort()).toEqual(['disk', 'disk-snapshot', 'labels', 'operation']);
    expect(api.components.securitySchemes).toBeUndefined();
  });

  test('the loader names the first missing piece; with the three the document lacks, the model compiles', () => {
    const { out, api, clauses } = stratus();
    expect(() => loadCheckedProfile(resolveProfile(out))).toThrow(ProfileError);
    expect(() => loadCheckedProfile(resolveProfile(out))).toThrow(/stratus\/openapi\.yaml:\d+: x-conformance lacks its member envelope \(add envelope \(with schema, shape\)\)/);
    // What a developer adds from the vendor's other sources: how requests are signed, the error envelope, the refusals.
    const filled = join(mkdtempSync(join(tmpdir(), 'sc-init-')), 'stratus-filled');
    mkdirSync(filled);
    const xc = api['x-conformance'];
    xc.auth.none = true;
    xc.envelope = { schema: '#/components/schemas/operation', shape: 'STRATUS-API-01' };
    xc.refusals = { malformedBody: 'STRATUS-API-01', invalidBody: 'STRATUS-API-01', unknownResource: 'STRATUS-API-01' };
    writeFileSync(join(filled, 'openapi.yaml'), stringify(api));
    writeFileSync(join(filled, 'clauses.yaml'), stringify({ ...clauses, profile: 'stratus-filled' }));
    const model = loadCheckedProfile(resolveProfile(filled)).model;
    expect([...model.operations!.writes]).toEqual(['create-disk-snapshot', 'update-disk-snapshot', 'delete-disk-snapshot', 'create-disk', 'delete-disk']);
    expect([model.operations!.show?.id, model.operations!.resource, model.resource.id, model.parent.id, model.resource.parentIn]).toEqual(['get-operation', '/reference/id', '/reference/id', '/reference/id', 'path']);
    expect([model.resource.wrapper, model.resource.states?.ready, model.labels?.style, model.lists.paging, model.auth.kind]).toEqual([undefined, 'created', 'map', 'none', 'none']);
  });
});

test.describe('cirrus: Swagger 2.0, wrapped bodies, marker paging, named faults', () => {
  test('what init found, the x-conformance block, the TODOs and the clause stubs', () => {
    const d = cirrus();
    expect(d.result.found).toEqual(CIRRUS.found);
    expect(d.api['x-conformance']).toEqual(CIRRUS.xc);
    expect(todoLines(d.result)).toEqual(CIRRUS.todos);
    expect(clauseLines(d.clauses)).toEqual(CIRRUS.clauses);
    everyTodoIsAComment(d);
    expect(lineAfter(d.apiText, 'the document does not say from which states a delete is accepted')).toBe('deletableFrom: [ available, error, error_deleting ]');
  });

  test('the document: Swagger 2.0 in OpenAPI 3.1 (server, bodies, responses, security scheme, x-nullable)', () => {
    const { api } = cirrus();
    expect([api.openapi, api.swagger, api.definitions, api.servers]).toEqual(['3.1.0', undefined, undefined, [{ url: 'https://block.cirrus.example/v3' }]]);
    expect(api.components.securitySchemes).toEqual({ token: { type: 'apiKey', in: 'header', name: 'X-Auth-Token' } });
    const create = api.paths['/{project_id}/snapshots'].post;
    expect(create.requestBody).toEqual({ $ref: '#/components/requestBodies/SnapshotCreate' });
    // The document gives no example: one made from the schema, which the contract tests start from.
    expect(api.components.requestBodies.SnapshotCreate).toEqual({ required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/SnapshotCreateRequest' }, example: { snapshot: { volume_id: expect.stringMatching(/^[0-9a-f-]{36}$/) } } } } });
    expect(create.responses['202']).toEqual({ description: 'The snapshot, being created.', content: { 'application/json': { schema: { $ref: '#/components/schemas/SnapshotEnvelope' } } } });
    expect(api.components.parameters.limit).toEqual({
      name: 'limit', in: 'query', description: 'At most this many snapshots.',
      schema: { type: 'integer', minimum: 1, maximum: 1000, 'x-clause': { minimum: 'CIRRUS-LIST-01', maximum: 'CIRRUS-LIST-01' } },
    });
    expect(api.components.parameters.snapshot_id).toEqual({ name: 'snapshot_id', in: 'path', required: true, description: "The snapshot's id.", 'x-fixture': 'resource', schema: { type: 'string' } });
    expect(api.components.responses.NotFound).toEqual({
      description: 'No such snapshot or volume.', 'x-refusal': ['unknown-resource'],
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' }, example: { itemNotFound: { code: 404, message: 'Snapshot could not be found.' } } } },
    });
    expect(api.components.schemas.Snapshot.properties.name).toEqual({ type: ['string', 'null'] });
    expect(api.components.schemas.Name).toEqual({ type: 'string', maxLength: 255, description: "The snapshot's name, at most 255 characters.", 'x-fixture': 'name', 'x-clause': { maxLength: 'CIRRUS-LIM-03' } });
    expect(api.components.schemas.SnapshotCreateRequest.properties.snapshot.properties.volume_id).toEqual({ type: 'string', format: 'uuid', 'x-fixture': 'parent' });
  });

  test('the draft loads, and its model compiles', () => {
    const { model } = loadProfile(resolveProfile(cirrus().out));
    expect(model.auth).toMatchObject({ kind: 'header', header: 'X-Auth-Token', scheme: undefined });
    expect(model.resource).toMatchObject({ wrapper: 'snapshot', requestWrapper: 'snapshot', parentIn: 'body', fields: { name: 'name', description: 'description', status: 'status', parent: 'volume_id' } });
    expect(model.resource.ops.listDetail?.id).toBe('listSnapshotsDetail');
    expect([model.lists.paging, model.lists.links, model.lists.limit?.max]).toEqual(['marker', 'snapshots_links', 1000]);
    expect(model.envelope.status).toEqual({ at: '/*/code', clause: 'CIRRUS-ERR-02' });
    expect([model.parent.status, model.parent.ready, model.parent.body]).toEqual(['/volume/status', 'available', { volume: { size: 1 } }]);
  });
});

test.describe('what init refuses, with one line that says what to fix', () => {
  const dir = once(() => mkdtempSync(join(tmpdir(), 'sc-init-bad-')));
  const doc = (name: string, text: string) => {
    writeFileSync(join(dir(), name), text);
    return join(dir(), name);
  };
  const refused = (request: Partial<InitRequest> & { document: string }) => {
    try {
      initProfile({ resource: 'snapshot', out: join(dir(), 'out'), ...request });
    } catch (error) {
      expect(error).toBeInstanceOf(ProfileError);
      return (error as Error).message;
    }
    throw new Error('init took it');
  };

  test('a document that is not there, not OpenAPI, or not YAML', () => {
    expect(refused({ document: join(dir(), 'nope.yaml') })).toBe(`${join(dir(), 'nope.yaml')}: no such file (give the path of the vendor's OpenAPI or Swagger document)`);
    expect(refused({ document: doc('other.yaml', 'asyncapi: 2.6.0\n') })).toBe('other.yaml: neither OpenAPI 3.0, 3.1 nor Swagger 2.0 (it says no version)');
    expect(refused({ document: doc('broken.yaml', 'openapi: 3.0.0\npaths: [\n') })).toMatch(/broken\.yaml:\d+:\d+: /);
  });

  test('a $ref init cannot follow: to another host, to a file that is not there, to nothing in a file', () => {
    expect(refused({ document: doc('remote.yaml', "openapi: 3.0.0\npaths:\n  /a:\n    get:\n      $ref: 'https://example.com/op.yaml'\n") })).toBe('remote.yaml: $ref https://example.com/op.yaml is remote: init reads local files only (bundle the document first)');
    expect(refused({ document: doc('missing.yaml', 'openapi: 3.0.0\npaths:\n  /a:\n    get:\n      $ref: ops/a.yaml\n') })).toBe('missing.yaml: $ref ops/a.yaml names ops/a.yaml, which is not there');
    doc('part.yaml', 'a: 1\n');
    expect(refused({ document: doc('pointer.yaml', "openapi: 3.0.0\npaths:\n  /a:\n    get:\n      $ref: 'part.yaml#/b'\n") })).toBe('pointer.yaml: $ref part.yaml#/b names nothing in part.yaml');
  });

  test('a resource the document has no operation for, an id or a page template that cannot be used, a folder that holds a profile', () => {
    const nimbusDoc = join(FIXTURES, 'nimbus/nimbus.yaml');
    expect(refused({ document: nimbusDoc, resource: 'backup' })).toBe('no operation of nimbus.yaml is about "backup": give --resource one of the names its paths use (volumes, snapshots, images)');
    expect(refused({ document: nimbusDoc, id: 'Nimbus_1' })).toBe('--id "Nimbus_1" must be lower case letters, digits and hyphens');
    expect(refused({ document: nimbusDoc, docsUrl: 'http://docs.example/{operationId}' })).toBe('--docs-url must be an https:// address with {operationId} where the operation goes, not "http://docs.example/{operationId}"');
    writeFileSync(join(dir(), 'openapi.yaml'), 'openapi: 3.1.0\n');
    expect(refused({ document: nimbusDoc, out: dir() })).toBe(`${join(dir(), 'openapi.yaml')} is there already: give another --out, or remove it`);
  });
});

test('a create by PUT at a name the client chooses: the name parameter is marked, and it is not also the update', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sc-init-put-'));
  const snapshot = { type: 'object', properties: { name: { type: 'string' }, properties: { type: 'object', properties: { disk: { type: 'string' } } } } };
  const ok = (code: string) => ({ [code]: { description: 'The snapshot.', content: { 'application/json': { schema: { $ref: '#/components/schemas/Snapshot' } } } } });
  const name = { name: 'snapshotName', in: 'path', required: true, schema: { type: 'string', maxLength: 80 } };
  writeFileSync(join(dir, 'azureish.json'), JSON.stringify({
    openapi: '3.0.1',
    info: { title: 'Azureish Compute', version: '2024-03-02' },
    paths: {
      '/snapshots': { get: { operationId: 'Snapshots_List', responses: { '200': { description: 'The snapshots.', content: { 'application/json': { schema: { type: 'object', properties: { value: { type: 'array', items: { $ref: '#/components/schemas/Snapshot' } } } } } } } } } },
      '/snapshots/{snapshotName}': {
        parameters: [name],
        put: { operationId: 'Snapshots_CreateOrUpdate', requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Snapshot' } } } }, responses: ok('201') },
        get: { operationId: 'Snapshots_Get', responses: ok('200') },
        delete: { operationId: 'Snapshots_Delete', responses: { '204': { description: 'Deleted.' } } },
      },
    },
    components: { schemas: { Snapshot: snapshot } },
  }));
  const out = join(dir, 'azureish');
  const result = initProfile({ document: join(dir, 'azureish.json'), resource: 'snapshot', out });
  expect(result.found.slice(0, 4)).toEqual([
    'create: Snapshots_CreateOrUpdate (PUT /snapshots/{snapshotName})',
    'list: Snapshots_List (GET /snapshots)',
    'show: Snapshots_Get (GET /snapshots/{snapshotName})',
    'delete: Snapshots_Delete (DELETE /snapshots/{snapshotName})',
  ]);
  const api = parse(readFileSync(join(out, 'openapi.yaml'), 'utf8'));
  expect(api.paths['/snapshots/{snapshotName}'].parameters).toEqual([{ ...name, 'x-fixture': 'resource' }]);
  // The path parameter the create names is the run's name there (a copy of its own, the shared one marks the resource).
  expect(api.paths['/snapshots/{snapshotName}'].put.parameters).toEqual([{ ...name, 'x-fixture': 'name' }]);
  expect(api['x-conformance'].resource.operations).toEqual({ create: 'Snapshots_CreateOrUpdate', list: 'Snapshots_List', show: 'Snapshots_Get', delete: 'Snapshots_Delete' });
  expect([api['x-conformance'].lists.items, result.profileId]).toEqual(['value', 'azureish-compute']);
});

test('Swagger 2.0 form parameters, headers, oauth2 and basic schemes; 3.0 bounds and nulls without a type', () => {
  const doc: any = {
    swagger: '2.0',
    info: { title: 'Forms', version: '1' },
    basePath: '/api',
    consumes: ['application/x-www-form-urlencoded'],
    securityDefinitions: { basic: { type: 'basic' }, oauth: { type: 'oauth2', flow: 'application', tokenUrl: 'https://auth.example/token', scopes: { read: 'read' } } },
    paths: {
      '/snapshots': {
        post: {
          operationId: 'create',
          parameters: [
            { name: 'name', in: 'formData', type: 'string', required: true, maxLength: 10 },
            { name: 'size', in: 'formData', type: 'integer', minimum: 0, exclusiveMinimum: true },
            { name: 'X-Request-Id', in: 'header', type: 'string', 'x-example': 'r-1' },
          ],
          responses: { '201': { description: 'Made.', headers: { Location: { type: 'string', description: 'Where it is.' } }, schema: { type: 'object', 'x-nullable': true, properties: {} } } },
        },
      },
    },
  };
  const converted = toOpenApi31({ doc, file: 'forms.yaml', origins: new WeakMap() });
  expect(converted.openapi).toBe('3.1.0');
  expect(converted.servers).toEqual([{ url: '/api' }]);
  expect(converted.components.securitySchemes).toEqual({
    basic: { type: 'http', scheme: 'basic' },
    oauth: { type: 'oauth2', flows: { clientCredentials: { tokenUrl: 'https://auth.example/token', scopes: { read: 'read' } } } },
  });
  const op = converted.paths['/snapshots'].post;
  expect(op.requestBody).toEqual({
    required: true,
    content: { 'application/x-www-form-urlencoded': { schema: { type: 'object', properties: { name: { type: 'string', maxLength: 10 }, size: { type: 'integer', exclusiveMinimum: 0 } }, required: ['name'] } } },
  });
  expect(op.parameters).toEqual([{ name: 'X-Request-Id', in: 'header', example: 'r-1', schema: { type: 'string' } }]);
  expect(op.responses['201']).toEqual({
    description: 'Made.',
    headers: { Location: { description: 'Where it is.', schema: { type: 'string' } } },
    content: { 'application/json': { schema: { type: ['object', 'null'], properties: {} } } },
  });
  // OpenAPI 3.0: a nullable ref is either the ref or null; an example named like a keyword is left alone.
  const three: any = { openapi: '3.0.2', components: { schemas: { A: { nullable: true, description: 'An A.', $ref: '#/components/schemas/B' }, B: { type: 'string', enum: ['x'], nullable: true, example: { nullable: true } } } } };
  const schemas = toOpenApi31({ doc: three, file: 'three.yaml', origins: new WeakMap() }).components.schemas;
  expect(schemas).toEqual({
    A: { description: 'An A.', anyOf: [{ $ref: '#/components/schemas/B' }, { type: 'null' }] },
    B: { type: ['string', 'null'], enum: ['x', null], example: { nullable: true } },
  });
});
