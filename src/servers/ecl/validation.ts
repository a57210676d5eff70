// Request-body validation. ECL publishes no schema; the rules are the documented fields and types,
// with unknown members refused so that a typo never passes silently.
import { badRequest } from './errors.ts';

type Obj = Record<string, unknown>;

// ECL documents no length limit for names or descriptions; 255 characters is our choice (the
// common OpenStack limit), so absurd inputs are refused rather than stored.
export const MAX_TEXT = 255;

export const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const describe = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'an array' : `a ${typeof v}`);

/** `{"<wrapper>": {...}}` with nothing else at the top level; returns the inner object. */
function envelope(body: unknown, wrapper: string): Obj {
  if (!isObject(body)) throw badRequest(`The request body must be a JSON object, not ${describe(body)}.`);
  if (!(wrapper in body)) throw badRequest(`The request body must contain '${wrapper}'.`);
  const extra = Object.keys(body).filter((k) => k !== wrapper);
  if (extra.length > 0) throw badRequest(`Unknown member(s) in the request body: ${extra.join(', ')}.`);
  const inner = body[wrapper];
  if (!isObject(inner)) throw badRequest(`'${wrapper}' must be an object, not ${describe(inner)}.`);
  return inner;
}

function knownOnly(obj: Obj, wrapper: string, allowed: readonly string[]): void {
  const extra = Object.keys(obj).filter((k) => !allowed.includes(k));
  if (extra.length > 0) throw badRequest(`Unknown member(s) in '${wrapper}': ${extra.join(', ')}.`);
}

const length = (s: string): number => [...s].length; // characters, not UTF-16 units

/** A required, non-empty string of at most 255 characters. */
function requiredText(obj: Obj, field: string): string {
  const value = obj[field];
  if (value === undefined || value === null) throw badRequest(`'${field}' is required.`);
  if (typeof value !== 'string') throw badRequest(`'${field}' must be a string, not ${describe(value)}.`);
  if (value === '') throw badRequest(`'${field}' must not be empty.`);
  if (length(value) > MAX_TEXT) throw badRequest(`'${field}' must be at most ${MAX_TEXT} characters.`);
  return value;
}

/** An optional string of at most 255 characters; null is taken as "" (samples show "" for none). */
function optionalText(obj: Obj, field: string): string | undefined {
  const value = obj[field];
  if (value === undefined) return undefined;
  if (value === null) return '';
  if (typeof value !== 'string') throw badRequest(`'${field}' must be a string, not ${describe(value)}.`);
  if (length(value) > MAX_TEXT) throw badRequest(`'${field}' must be at most ${MAX_TEXT} characters.`);
  return value;
}

function requiredId(obj: Obj, field: string): string {
  const value = obj[field];
  if (value === undefined || value === null) throw badRequest(`'${field}' is required.`);
  if (typeof value !== 'string' || value === '') throw badRequest(`'${field}' must be a non-empty string.`);
  return value;
}

export interface SnapshotCreateInput {
  volumeId: string;
  name: string;
  description: string;
}

export function snapshotCreate(body: unknown): SnapshotCreateInput {
  const s = envelope(body, 'snapshot');
  knownOnly(s, 'snapshot', ['volume_id', 'name', 'description']);
  return { volumeId: requiredId(s, 'volume_id'), name: requiredText(s, 'name'), description: optionalText(s, 'description') ?? '' };
}

export interface SnapshotUpdateInput {
  name?: string;
  description?: string;
}

// The update page marks `name` Required yet its own sample sends only a description and succeeds;
// the sample is what the service does, so either member alone is enough.
export function snapshotUpdate(body: unknown): SnapshotUpdateInput {
  const s = envelope(body, 'snapshot');
  knownOnly(s, 'snapshot', ['name', 'description']);
  if (!('name' in s) && !('description' in s)) throw badRequest("'snapshot' must contain 'name' or 'description'.");
  const out: SnapshotUpdateInput = {};
  if ('name' in s) out.name = requiredText(s, 'name');
  const description = optionalText(s, 'description');
  if (description !== undefined) out.description = description;
  return out;
}

export interface VolumeCreateInput {
  name: string;
  description: string;
  size: number;
  virtualStorageId: string;
  availabilityZone?: string;
  iopsPerGb?: string;
  initiatorIqns?: string[];
  throughput?: string;
}

// Every member the create-volume page documents; the type-specific ones are checked by the
// handler once the virtual storage (and so the volume type) is known.
const VOLUME_FIELDS = [
  'name', 'description', 'size', 'availability_zone', 'virtual_storage_id',
  'iops_per_gb', 'initiator_iqns', 'throughput', 'encrypt',
];

export function volumeCreate(body: unknown): VolumeCreateInput {
  const v = envelope(body, 'volume');
  knownOnly(v, 'volume', VOLUME_FIELDS);
  const name = requiredText(v, 'name');
  const size = v.size;
  if (size === undefined || size === null) throw badRequest("'size' is required.");
  if (typeof size !== 'number' || !Number.isInteger(size)) throw badRequest(`'size' must be an integer (GB), not ${describe(size)}.`);
  const input: VolumeCreateInput = {
    name,
    description: optionalText(v, 'description') ?? '',
    size,
    virtualStorageId: requiredId(v, 'virtual_storage_id'),
  };
  for (const field of ['availability_zone', 'iops_per_gb', 'throughput'] as const) {
    const value = v[field];
    if (value !== undefined && typeof value !== 'string') throw badRequest(`'${field}' must be a string, not ${describe(value)}.`);
  }
  if (typeof v.availability_zone === 'string') input.availabilityZone = v.availability_zone;
  if (typeof v.iops_per_gb === 'string') input.iopsPerGb = v.iops_per_gb;
  if (typeof v.throughput === 'string') input.throughput = v.throughput;
  if (v.initiator_iqns !== undefined) {
    const iqns = v.initiator_iqns;
    if (!Array.isArray(iqns) || !iqns.every((i) => typeof i === 'string')) {
      throw badRequest("'initiator_iqns' must be an array of strings.");
    }
    input.initiatorIqns = iqns;
  }
  if (v.encrypt !== undefined && typeof v.encrypt !== 'boolean') throw badRequest(`'encrypt' must be a boolean, not ${describe(v.encrypt)}.`);
  return input;
}
