// The create request: {"snapshot": {"name", "cluster_id", "description"?}}, with the seed's rules.
// Every broken rule is a 400 DWS.0001 and nothing is created.
import { badParameter } from './errors.ts';
import type { DwsFaults } from './faults.ts';

export interface SnapshotCreate {
  name: string;
  clusterId: string;
  description: string;
}

// 4 to 64 characters, a letter first, then letters, digits, '-' and '_'.
const NAME_RULE = /^[A-Za-z][A-Za-z0-9_-]{3,63}$/;
// The rule as the `name-first-char-unchecked` and `name-uppercase-refused` faults get it wrong.
const ANY_FIRST_RULE = /^[A-Za-z0-9_-]{4,64}$/;
const LOWER_RULE = /^[a-z][A-Za-z0-9_-]{3,63}$/;
const NAME_RULE_TEXT = 'it must be 4 to 64 characters, start with a letter, and contain only letters, digits, hyphens (-) and underscores (_)';
const DESCRIPTION_MAX = 256;
const DESCRIPTION_FORBIDDEN = /[!<>'=&"]/;
// What the `description-forbids-only-html` and `description-punctuation-refused` faults refuse.
const HTML_ONLY = /[<>]/;
const PUNCTUATION = /[^\p{L}\p{N}\s\-_.,]/u;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function onlyMembers(value: Record<string, unknown>, allowed: string[], where: string): void {
  const unknown = Object.keys(value).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) throw badParameter(`Unknown parameter(s) in ${where}: ${unknown.join(', ')}.`);
}

function requiredString(value: Record<string, unknown>, key: string): string {
  const v = value[key];
  if (v === undefined || v === null) throw badParameter(`The parameter snapshot.${key} is mandatory.`);
  if (typeof v !== 'string') throw badParameter(`The parameter snapshot.${key} must be a string.`);
  if (v === '') throw badParameter(`The parameter snapshot.${key} must not be empty.`);
  return v;
}

function checkName(name: string, faults: DwsFaults): void {
  if (faults.has('name-rules-ignored')) return;
  const rule = faults.has('name-first-char-unchecked') ? ANY_FIRST_RULE : faults.has('name-uppercase-refused') ? LOWER_RULE : NAME_RULE;
  if (!rule.test(name)) throw badParameter(`Invalid snapshot name '${name}': ${NAME_RULE_TEXT}.`);
}

// DWS reads a missing or null description as "" (the seed: "If no value is specified, the
// description is empty"); null is taken as "not specified" rather than as a wrong type.
function checkDescription(value: unknown, faults: DwsFaults): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw badParameter('The parameter snapshot.description must be a string.');
  const length = faults.has('description-bytes-not-chars') ? Buffer.byteLength(value, 'utf8') : [...value].length;
  if (length > DESCRIPTION_MAX) {
    throw badParameter(`Invalid snapshot description: at most ${DESCRIPTION_MAX} characters are allowed.`);
  }
  const forbidden = faults.has('description-forbids-only-html') ? HTML_ONLY : faults.has('description-punctuation-refused') ? PUNCTUATION : DESCRIPTION_FORBIDDEN;
  if (!faults.has('description-chars-accepted') && forbidden.test(value)) {
    throw badParameter('Invalid snapshot description: the characters !<>\'=&" are not allowed.');
  }
  return value;
}

export function snapshotCreate(body: unknown, faults: DwsFaults): SnapshotCreate {
  if (!isObject(body)) throw badParameter('The request body must be a JSON object.');
  onlyMembers(body, ['snapshot'], 'the request body');
  const snapshot = body.snapshot;
  if (snapshot === undefined || snapshot === null) throw badParameter('The parameter snapshot is mandatory.');
  if (!isObject(snapshot)) throw badParameter('The parameter snapshot must be an object.');
  onlyMembers(snapshot, ['name', 'cluster_id', 'description'], 'snapshot');
  const name = requiredString(snapshot, 'name');
  const clusterId = requiredString(snapshot, 'cluster_id');
  checkName(name, faults);
  const description = checkDescription(snapshot.description, faults);
  return { name, clusterId, description };
}
