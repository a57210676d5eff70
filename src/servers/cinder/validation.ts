// Request-body validation with Cinder's JSON-schema rules and jsonschema-style messages
// ("Invalid input for field/attribute <field>. Value: <str>. <reason>").
import { ApiError, badRequest, serverError } from './errors.ts';
import type { CinderFaults } from './faults.ts';
import { boolFromString, pyLen, pyRepr, pyStr, pyStrip } from './pycompat.ts';

type Obj = Record<string, unknown>;

const MAX_TEXT = 255;

/** One length rule: whether a value is over it, and the unit messages name. */
export interface LengthLimit {
  tooLong(value: string): boolean;
  unit: 'characters' | 'bytes';
}

/**
 * How a dialect bounds names and descriptions (`text`), metadata keys and values, and which
 * characters a description may hold.
 */
export interface TextLimits {
  text: LengthLimit;
  metadata: LengthLimit;
  printable: RegExp;
}

/** Printable: no control or format characters, no line or paragraph separators. */
export const PRINTABLE = /^[^\p{C}\p{Zl}\p{Zp}]*$/u;
/** Cinder builds its pattern from U+0000 to U+FFFE only: nothing above U+FFFF either. */
const CINDER_PRINTABLE = /^[^\p{C}\p{Zl}\p{Zp}\u{10000}-\u{10FFFF}]*$/u;

/** Cinder's rule: at most 255 characters (code points, as Python's len() counts). */
export const CINDER_LENGTH: LengthLimit = { tooLong: (value) => pyLen(value) > MAX_TEXT, unit: 'characters' };
export const CINDER_LIMITS: TextLimits = { text: CINDER_LENGTH, metadata: CINDER_LENGTH, printable: CINDER_PRINTABLE };

const UUID_RE = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32})$/i;
// Create-time metadata keys (the metadata routes have their own, looser rules: see metadata.ts).
const CREATE_METADATA_KEY = /^[a-zA-Z0-9-_:. /]{1,255}$/; // written as Cinder's schema writes it
const CREATE_METADATA_KEY_ANY_LENGTH = /^[a-zA-Z0-9-_:. /]+$/; // the `long-metadata-key-accepted` fault's
const FORCE_ENUM: Array<boolean | string> = [
  true, 'True', 'TRUE', 'true', '1', 'ON', 'On', 'on', 'YES', 'Yes', 'yes', 'y', 't',
  false, 'False', 'FALSE', 'false', '0', 'OFF', 'Off', 'off', 'NO', 'No', 'no', 'n', 'f',
];

export const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function fieldError(field: string, value: unknown, reason: string): ApiError {
  return badRequest(`Invalid input for field/attribute ${field}. Value: ${pyStr(value)}. ${reason}`);
}

function unexpected(keys: string[]): string {
  return `Additional properties are not allowed (${keys.map(pyRepr).join(', ')} ${keys.length === 1 ? 'was' : 'were'} unexpected)`;
}

/** `{"<wrapper>": {...}}` with nothing else at the top level; returns the inner object. */
function envelope(body: unknown, wrapper: string, strict: boolean): Obj {
  if (!isObject(body)) throw badRequest(`${pyRepr(body)} is not of type 'object'`);
  if (!(wrapper in body)) throw badRequest(`${pyRepr(wrapper)} is a required property`);
  const extra = Object.keys(body).filter((k) => k !== wrapper);
  if (strict && extra.length > 0) throw badRequest(unexpected(extra));
  const inner = body[wrapper];
  if (!isObject(inner)) throw fieldError(wrapper, inner, `${pyRepr(inner)} is not of type 'object'`);
  return inner;
}

/** additionalProperties: false, unless the `accepts-unknown-fields` fault drops them silently. */
function knownOnly(obj: Obj, field: string, allowed: readonly string[], faults: CinderFaults): Obj {
  const extra = Object.keys(obj).filter((k) => !allowed.includes(k));
  if (extra.length === 0) return obj;
  if (!faults.has('accepts-unknown-fields')) throw fieldError(field, obj, unexpected(extra));
  return Object.fromEntries(Object.entries(obj).filter(([k]) => allowed.includes(k)));
}

/** string|null within the length limit (255 characters for Cinder), stripped the way Cinder strips (Python's str.strip()). */
function text(obj: Obj, field: string, opts: { printable?: RegExp; longOk: boolean; limit?: LengthLimit }): string | null {
  const value = obj[field];
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') throw fieldError(field, value, `${pyRepr(value)} is not of type 'string', 'null'`);
  if ((opts.limit ?? CINDER_LENGTH).tooLong(value) && !opts.longOk) throw fieldError(field, value, `${pyRepr(value)} is too long`);
  if (opts.printable && !opts.printable.test(value)) {
    throw fieldError(field, value, `${pyRepr(value)} does not match the printable-characters pattern`);
  }
  return pyStrip(value);
}

/** Create-time metadata: object or null, keys by pattern, string values within the limit (255 characters for Cinder). */
export function createMetadata(value: unknown, limit: LengthLimit = CINDER_LENGTH, faults?: CinderFaults): Map<string, string> {
  if (value === null || value === undefined) return new Map();
  if (!isObject(value)) throw fieldError('metadata', value, `${pyRepr(value)} is not of type 'object', 'null'`);
  const keyRule = faults?.has('long-metadata-key-accepted') ? CREATE_METADATA_KEY_ANY_LENGTH : CREATE_METADATA_KEY;
  const badKeys = Object.keys(value).filter((k) => !keyRule.test(k)).sort();
  if (badKeys.length > 0) {
    const verb = badKeys.length === 1 ? 'does' : 'do';
    throw fieldError('metadata', value, `${badKeys.map(pyRepr).join(', ')} ${verb} not match any of the regexes: '${CREATE_METADATA_KEY.source}'`);
  }
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw fieldError(k, v, `${pyRepr(v)} is not of type 'string'`);
    if (limit.tooLong(v)) throw fieldError(k, v, `${pyRepr(v)} is too long`);
    out.set(k, v);
  }
  return out;
}

export interface SnapshotCreateInput {
  volumeId: string | null;
  name: string | null;
  description: string | null;
  force: boolean | undefined;
  metadata: Map<string, string>;
}

const CREATE_FIELDS = ['volume_id', 'name', 'display_name', 'description', 'force', 'metadata'];

export function snapshotCreate(body: unknown, faults: CinderFaults, limits: TextLimits = CINDER_LIMITS): SnapshotCreateInput {
  const strict = !faults.has('accepts-unknown-fields');
  const s = knownOnly(envelope(body, 'snapshot', strict), 'snapshot', CREATE_FIELDS, faults);
  if (!('volume_id' in s)) {
    if (faults.has('missing-volume-id-500')) throw serverError();
    throw fieldError('snapshot', s, "'volume_id' is a required property");
  }
  const volumeId = s.volume_id;
  if (volumeId !== null && !(typeof volumeId === 'string' && UUID_RE.test(volumeId))) {
    throw fieldError('volume_id', volumeId, `${pyRepr(volumeId)} is not valid under any of the given schemas`);
  }
  const longOk = faults.has('accepts-long-name');
  const limit = limits.text;
  const name = text(s, 'name', { longOk, limit });
  const displayName = text(s, 'display_name', { longOk, limit });
  const description = text(s, 'description', { printable: limits.printable, longOk, limit });
  return {
    volumeId,
    name: 'name' in s ? name : displayName, // `name` wins over its v1 alias
    description,
    force: parseForce(s),
    metadata: createMetadata(s.metadata, limits.metadata, faults),
  };
}

function parseForce(s: Obj): boolean | undefined {
  if (!('force' in s) || s.force === null) return undefined;
  const force = s.force;
  if (typeof force !== 'boolean' && typeof force !== 'string') {
    throw fieldError('force', force, `${pyRepr(force)} is not of type 'boolean', 'string'`);
  }
  if (!FORCE_ENUM.includes(force)) {
    throw fieldError('force', force, `${pyRepr(force)} is not one of [${FORCE_ENUM.map(pyRepr).join(', ')}]`);
  }
  return typeof force === 'boolean' ? force : boolFromString(force);
}

export interface SnapshotUpdateInput {
  name?: string | null;
  description?: string | null;
}

const UPDATE_FIELDS = ['name', 'description', 'display_name', 'display_description'];

export function snapshotUpdate(body: unknown, faults: CinderFaults, limits: TextLimits = CINDER_LIMITS): SnapshotUpdateInput {
  const strict = !faults.has('accepts-unknown-fields');
  const s = knownOnly(envelope(body, 'snapshot', strict), 'snapshot', UPDATE_FIELDS, faults);
  if (!UPDATE_FIELDS.some((f) => f in s)) {
    throw fieldError('snapshot', s, `${pyRepr(s)} is not valid under any of the given schemas`);
  }
  const longOk = faults.has('accepts-long-name');
  const limit = limits.text;
  const values = {
    name: text(s, 'name', { longOk, limit }),
    display_name: text(s, 'display_name', { longOk, limit }),
    description: text(s, 'description', { printable: limits.printable, longOk, limit }),
    display_description: text(s, 'display_description', { printable: limits.printable, longOk, limit }),
  };
  const out: SnapshotUpdateInput = {};
  if ('name' in s) out.name = values.name;
  else if ('display_name' in s) out.name = values.display_name;
  if ('description' in s) out.description = values.description;
  else if ('display_description' in s) out.description = values.display_description;
  return out;
}

export interface VolumeCreateInput {
  /** undefined: not given (a volume from a snapshot or a volume then takes its size). */
  size?: number;
  name: string | null;
  description: string | null;
  metadata: Map<string, string>;
  snapshotId: string | null;
  sourceVolid: string | null;
  volumeType: string | null;
  availabilityZone: string | null;
  /** Ids of things this server has none of (groups, backups, images): each only a 404. */
  missing: Array<{ kind: 'group' | 'backup' | 'image'; id: string }>;
}

const DB_MAX_INT = 0x7fffffff;

// Cinder's volume create schema (cinder/api/schemas/volumes.py), by microversion.
const VOLUME_FIELDS = [
  'name', 'description', 'display_name', 'display_description', 'volume_type', 'metadata', 'snapshot_id',
  'source_volid', 'consistencygroup_id', 'size', 'availability_zone', 'multiattach', 'image_id', 'imageRef',
];
const volumeFields = (mv: number) => [...VOLUME_FIELDS, ...(mv >= 13 ? ['group_id'] : []), ...(mv >= 47 ? ['backup_id'] : [])];

const MULTIATTACH_REMOVED =
  'multiattach parameter has been removed. The default behavior is to use multiattach enabled volume types. ' +
  'Contact your administrator to create a multiattach enabled volume type and use it to create multiattach volumes.';

/** A value of type [string, null] within `max` characters (0..255 unless told otherwise). */
function optionalString(v: Obj, field: string, min = 0, max = MAX_TEXT): string | null {
  const value = v[field];
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') throw fieldError(field, value, `${pyRepr(value)} is not of type 'string', 'null'`);
  if (pyLen(value) < min) throw fieldError(field, value, `${pyRepr(value)} is too short`);
  if (pyLen(value) > max) throw fieldError(field, value, `${pyRepr(value)} is too long`);
  return value;
}

/** optional_uuid: null or a string in UUID form. */
function optionalUuid(v: Obj, field: string): string | null {
  const value = v[field];
  if (value === null || value === undefined) return null;
  if (!(typeof value === 'string' && UUID_RE.test(value))) {
    throw fieldError(field, value, `${pyRepr(value)} is not valid under any of the given schemas`);
  }
  return value;
}

/** volume_size_allows_null: an integer, or a string of digits, from 1; null when not given. */
function volumeSize(v: Obj): number | undefined {
  const value = v.size;
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'boolean' || (typeof value !== 'string' && !(typeof value === 'number' && Number.isInteger(value)))) {
    throw fieldError('size', value, `${pyRepr(value)} is not of type 'integer', 'string', 'null'`);
  }
  if (typeof value === 'string' && !/^[0-9]+$/.test(value)) throw fieldError('size', value, `${pyRepr(value)} does not match '^[0-9]+$'`);
  const size = Number(value);
  if (typeof value === 'number' && size < 1) throw fieldError('size', value, `${pyRepr(value)} is less than the minimum of 1`);
  if (typeof value === 'number' && size > DB_MAX_INT) throw fieldError('size', value, `${pyRepr(value)} is greater than the maximum of ${DB_MAX_INT}`);
  return size;
}

/** A name or description: [string, null], at most 255 characters once stripped, stored stripped. */
function strippedText(v: Obj, field: string): string | null {
  const value = v[field];
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') throw fieldError(field, value, `${pyRepr(value)} is not of type 'string', 'null'`);
  const stripped = pyStrip(value);
  const entity = field.replace('display_', '');
  if (pyLen(stripped) > MAX_TEXT) throw badRequest(`Invalid input received: ${entity} has ${pyLen(stripped)} characters, more than ${MAX_TEXT}.`);
  return stripped;
}

/** Cinder's volume create (POST /volumes) at microversion 3.<mv>: its schema and its other refusals before any lookup. */
export function volumeCreate(body: unknown, mv: number): VolumeCreateInput {
  if (!isObject(body)) throw badRequest(`${pyRepr(body)} is not of type 'object'`);
  if (!('volume' in body)) throw badRequest("'volume' is a required property");
  const extra = Object.keys(body).filter((k) => k !== 'volume' && k !== 'OS-SCH-HNT:scheduler_hints');
  if (extra.length > 0) throw badRequest(unexpected(extra));
  const v = body.volume;
  if (!isObject(v)) throw fieldError('volume', v, `${pyRepr(v)} is not of type 'object'`);
  // Unknown members are ignored before 3.53 and refused from it.
  if (mv >= 53) {
    const unknown = Object.keys(v).filter((k) => !volumeFields(mv).includes(k));
    if (unknown.length > 0) throw fieldError('volume', v, unexpected(unknown));
  }
  const names = {
    name: strippedText(v, 'name'),
    description: strippedText(v, 'description'),
    display_name: strippedText(v, 'display_name'),
    display_description: strippedText(v, 'display_description'),
  };
  const volumeType = optionalString(v, 'volume_type');
  const metadata = createMetadata(v.metadata);
  const snapshotId = optionalUuid(v, 'snapshot_id');
  const sourceVolid = optionalUuid(v, 'source_volid');
  const groups = [optionalUuid(v, 'consistencygroup_id'), mv >= 13 ? optionalString(v, 'group_id') : null];
  const size = volumeSize(v);
  const availabilityZone = optionalString(v, 'availability_zone', 1);
  const multiattach = v.multiattach;
  if (multiattach !== undefined && multiattach !== null && typeof multiattach !== 'boolean' && !(typeof multiattach === 'string' && FORCE_ENUM.includes(multiattach))) {
    throw fieldError('multiattach', multiattach, `${pyRepr(multiattach)} is not valid under any of the given schemas`);
  }
  const image = optionalString(v, 'imageRef') ?? optionalString(v, 'image_id');
  const backup = mv >= 47 ? optionalUuid(v, 'backup_id') : null;
  if (multiattach === true || (typeof multiattach === 'string' && boolFromString(multiattach) === true)) throw badRequest(MULTIATTACH_REMOVED);
  const missing: VolumeCreateInput['missing'] = [];
  for (const id of groups) if (id) missing.push({ kind: 'group', id });
  if (image) missing.push({ kind: 'image', id: image });
  if (backup) missing.push({ kind: 'backup', id: backup });
  return {
    size,
    // `name` wins over its v1 alias, as Cinder reads them.
    name: 'name' in v ? names.name : names.display_name,
    description: 'description' in v ? names.description : names.display_description,
    metadata,
    snapshotId,
    sourceVolid,
    volumeType,
    availabilityZone,
    missing,
  };
}
