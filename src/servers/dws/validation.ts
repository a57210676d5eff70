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
const NAME_RULE_TEXT = 'it must be 4 to 64 characters, start with a letter, and contain only letters, digits, hyphens (-) and underscores (_)';
const DESCRIPTION_MAX = 256;
const DESCRIPTION_FORBIDDEN = /[!<>'=&"]/;

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
  if (!NAME_RULE.test(name)) throw badParameter(`Invalid snapshot name '${name}': ${NAME_RULE_TEXT}.`);
}

// DWS reads a missing or null description as "" (the seed: "If no value is specified, the
// description is empty"); null is taken as "not specified" rather than as a wrong type.
function checkDescription(value: unknown, faults: DwsFaults): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw badParameter('The parameter snapshot.description must be a string.');
  if ([...value].length > DESCRIPTION_MAX) {
    throw badParameter(`Invalid snapshot description: at most ${DESCRIPTION_MAX} characters are allowed.`);
  }
  if (!faults.has('description-chars-accepted') && DESCRIPTION_FORBIDDEN.test(value)) {
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
