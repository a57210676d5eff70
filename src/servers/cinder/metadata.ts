// Snapshot metadata routes. PUT /metadata replaces the whole set, POST merges (v3), per-key routes
// read, upsert and delete one key (v3). Their checks are Cinder's check_metadata_properties, where an
// oversize key or value is 413 (not the 400 the create schema gives). Other Cinder-compatible
// dialects build the same routes with their own length rule and oversize status.
import { ApiError, badRequest, notFound, snapshotNotFound } from './errors.ts';
import { type Ctx, type Reply, empty, json } from './http.ts';
import { pyLen } from './pycompat.ts';
import type { Snapshot } from './store.ts';
import { CINDER_LENGTH, type LengthLimit, isObject } from './validation.ts';

/** How long a key or value may be, and the status an oversize one answers. */
export interface MetadataRules {
  limit: LengthLimit;
  oversizeStatus: number;
}

function target(ctx: Ctx, id: string): Snapshot {
  const snapshot = ctx.store.snapshot(ctx.projectId, id);
  if (!snapshot) throw snapshotNotFound(id);
  return snapshot;
}

const missingKey = (s: Snapshot, key: string) => notFound(`Snapshot ${s.id} has no metadata with key ${key}.`);

/** `{"<element>": {...}}`: the element must be an object. */
function element(ctx: Ctx, name: 'metadata' | 'meta'): Record<string, unknown> {
  const body = ctx.body();
  const value = isObject(body) ? body[name] : undefined;
  if (!isObject(value)) throw badRequest(`Missing required element '${name}' in request body.`);
  return value;
}

function checkItems(items: Record<string, unknown>, rules: MetadataRules, longKeysOk = false): Map<string, string> {
  const { limit, oversizeStatus } = rules;
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(items)) {
    if (pyLen(k) < 1) throw badRequest(`Invalid metadata: Invalid input received: Metadata key: ${k} has 0 characters, less than 1.`);
    if (typeof v !== 'string') {
      throw badRequest(`Invalid metadata: Invalid input received: Value for metadata key: ${k} is not a string or unicode`);
    }
    if (limit.tooLong(k) && !longKeysOk) throw new ApiError(oversizeStatus, `Invalid metadata size: Metadata property key ${k} greater than 255 ${limit.unit}.`);
    if (limit.tooLong(v)) throw new ApiError(oversizeStatus, `Invalid metadata size: Metadata property key ${k} value greater than 255 ${limit.unit}.`);
    out.set(k, v);
  }
  return out;
}

const asBody = (metadata: Map<string, string>) => ({ metadata: Object.fromEntries(metadata) });

/** The six metadata routes under one dialect's rules. */
export function metadataRoutes(rules: MetadataRules) {
  function listMetadata(ctx: Ctx, id: string): Reply {
    return json(200, asBody(target(ctx, id).metadata));
  }

  /** PUT /metadata: the request becomes the whole set. */
  function replaceMetadata(ctx: Ctx, id: string): Reply {
    const snapshot = target(ctx, id);
    const items = checkItems(element(ctx, 'metadata'), rules, ctx.faults.has('long-metadata-key-accepted'));
    snapshot.metadata = ctx.faults.has('put-metadata-merges') ? new Map([...snapshot.metadata, ...items]) : items;
    return json(200, asBody(snapshot.metadata));
  }

  /** POST /metadata: keys in the request are set, others kept; the answer is the merged set. */
  function mergeMetadata(ctx: Ctx, id: string): Reply {
    const snapshot = target(ctx, id);
    const items = checkItems(element(ctx, 'metadata'), rules, ctx.faults.has('long-metadata-key-accepted'));
    snapshot.metadata = ctx.faults.has('post-metadata-replaces') ? items : new Map([...snapshot.metadata, ...items]);
    return json(200, asBody(snapshot.metadata));
  }

  function showMetadataKey(ctx: Ctx, id: string, key: string): Reply {
    const snapshot = target(ctx, id);
    const value = snapshot.metadata.get(key);
    if (value === undefined) throw missingKey(snapshot, key);
    return json(200, { meta: { [key]: value } });
  }

  /** PUT /metadata/{key}: upsert one key; the body names exactly that key. */
  function updateMetadataKey(ctx: Ctx, id: string, key: string): Reply {
    const snapshot = target(ctx, id);
    const meta = element(ctx, 'meta');
    const keys = Object.keys(meta);
    if (ctx.faults.has('key-mismatch-accepted') && keys.length > 0 && (!Object.hasOwn(meta, key) || keys.length > 1)) {
      return json(200, { meta: Object.fromEntries(checkItems(meta, rules)) }); // answered, nothing stored
    }
    if (!Object.hasOwn(meta, key)) throw badRequest('Request body and URI mismatch');
    if (Object.keys(meta).length > 1) throw badRequest('Request body contains too many items');
    const value = checkItems(meta, rules, ctx.faults.has('long-metadata-key-accepted')).get(key)!;
    snapshot.metadata.set(key, value);
    return json(200, { meta: { [key]: value } });
  }

  function deleteMetadataKey(ctx: Ctx, id: string, key: string): Reply {
    const snapshot = target(ctx, id);
    if (!snapshot.metadata.has(key)) throw missingKey(snapshot, key);
    if (!ctx.faults.has('delete-key-ignored')) snapshot.metadata.delete(key);
    return empty(200);
  }

  return { listMetadata, replaceMetadata, mergeMetadata, showMetadataKey, updateMetadataKey, deleteMetadataKey };
}

const cinderRoutes = metadataRoutes({ limit: CINDER_LENGTH, oversizeStatus: 413 });
export const { listMetadata, replaceMetadata, mergeMetadata, showMetadataKey, updateMetadataKey, deleteMetadataKey } = cinderRoutes;
