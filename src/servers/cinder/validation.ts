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
export function createMetadata(value: unknown, limit: LengthLimit = CINDER_LENGTH): Map<string, string> {
  if (value === null || value === undefined) return new Map();
  if (!isObject(value)) throw fieldError('metadata', value, `${pyRepr(value)} is not of type 'object', 'null'`);
  const badKeys = Object.keys(value).filter((k) => !CREATE_METADATA_KEY.test(k)).sort();
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
    metadata: createMetadata(s.metadata, limits.metadata),
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
  size: number;
  name: string | null;
  description: string | null;
  metadata: Map<string, string>;
}

/** Volumes are a prerequisite only: fields real clients add (volume_type, imageRef...) are ignored. */
export function volumeCreate(body: unknown): VolumeCreateInput {
  const v = envelope(body, 'volume', false);
  const size = v.size;
  const sizeNumber = typeof size === 'string' && /^[0-9]+$/.test(size) ? Number(size) : size;
  if (typeof sizeNumber !== 'number' || !Number.isInteger(sizeNumber) || sizeNumber < 1) {
    throw fieldError('size', size ?? null, `${pyRepr(size ?? null)} is not a valid volume size (an integer >= 1)`);
  }
  const opts = { longOk: false };
  const name = 'name' in v ? text(v, 'name', opts) : text(v, 'display_name', opts);
  const described = { ...opts, printable: CINDER_LIMITS.printable };
  const description = 'description' in v ? text(v, 'description', described) : text(v, 'display_description', described);
  return { size: sizeNumber, name, description, metadata: createMetadata(v.metadata) };
}
