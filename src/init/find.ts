// Finding the operations a profile needs in a vendor's document, by path, tag and operationId: the
// resource's create, show, list (and the parent's own list of it), update and delete; the parent's
// create, show, delete; and the operation to poll where writes answer one. Each role goes to the
// best-scored candidate; close seconds are kept, so the draft can name them in a TODO.
import type { Json } from './read.ts';

export const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

export interface Op {
  id: string;
  method: string;
  path: string;
  op: Json;
  /** The operationId was made up here (the document gives none). */
  named: boolean;
}

export type Role = 'create' | 'show' | 'list' | 'listDetail' | 'byParent' | 'update' | 'delete' | 'parentCreate' | 'parentShow' | 'parentDelete' | 'poll';

export interface Found {
  ops: Partial<Record<Role, Op>>;
  /** Candidates close behind the one taken, by role. */
  others: Partial<Record<Role, Op[]>>;
  /** How the create is made: POST to a collection, an action of the parent, or PUT at a name. */
  createStyle?: 'collection' | 'parent-action' | 'put-name';
  /** The path parameters each operation has for the parent's id and the resource's id (or name), by operationId. */
  params: Map<string, { parent?: string; resource?: string }>;
}

/** Lower case letters and digits: "Block Storage" and "block-storage" are the same name. */
const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
const singular = (s: string) => s.replace(/ies$/, 'y').replace(/(ss|sh|ch|x)es$/, '$1').replace(/([^s])s$/, '$1');
const same = (a: string, b: string) => singular(norm(a)) === singular(norm(b));
/** The words of a name: "block-storage-snapshot", "createSnapshot", "create_snapshot". */
export const words = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().split(/[^a-z0-9]+/).filter(Boolean).map(singular);

interface Segment {
  literal?: string;
  param?: string;
  /** A custom method after the segment: {id}:create-snapshot. */
  action?: string;
}

function segments(path: string): Segment[] {
  return path.split('/').filter(Boolean).map((s) => {
    const m = /^(?:\{([^}]+)\}|([^:{}]+))?(?::(.+))?$/.exec(s);
    if (!m) return { literal: s };
    return { param: m[1], literal: m[2], action: m[3] };
  });
}

/** A version or a scope the whole API shares: /v2, /v1.0, /20160918, /api, /{project_id}. */
const neutral = (s: Segment, i: number, all: Segment[]): boolean =>
  (s.literal !== undefined && /^(v\d+(\.\d+)*|\d{6,}|api|rest)$/i.test(s.literal)) ||
  (s.param !== undefined && (i === 0 || all[i - 1]?.literal === undefined || neutral(all[i - 1]!, i - 1, all)));

const CREATE_VERBS = new Set(['create', 'take', 'make', 'new', 'add']);

/** Every operation of the document; an operation without an operationId gets one made from its method and path. */
export function operationsOf(doc: Json): Op[] {
  const out: Op[] = [];
  for (const [path, item] of Object.entries<Json>(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item?.[method];
      if (!op || typeof op !== 'object') continue;
      const named = typeof op.operationId !== 'string';
      const id = named ? method + words(path.replace(/[{}]/g, '')).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('') : op.operationId;
      out.push({ id, method: method.toUpperCase(), path, op, named });
    }
  }
  return out;
}

interface Scored {
  role: Role;
  score: number;
  op: Op;
  parentParam?: string;
  resourceParam?: string;
  style?: Found['createStyle'];
}

/**
 * Finds the roles. `resource` and `parent` are the names the user gave ("snapshot", "volume";
 * "block-storage-snapshot", "block-storage"); a path segment names one when it is the same word in
 * the singular or the plural, in any case or spelling.
 */
export function findOperations(doc: Json, resource: string, parent?: string): Found {
  const resourceWords = words(resource);
  const parentWords = parent ? words(parent) : [];
  // The resource's own noun, without the parent's words it starts with: "snapshot" of "block-storage-snapshot".
  const head = parentWords.length && parentWords.every((w, i) => resourceWords[i] === w) && resourceWords.length > parentWords.length ? resourceWords.slice(parentWords.length) : resourceWords.slice(-1);
  const isResource = (s?: string) => s !== undefined && (same(s, resource) ? 3 : same(s, head.join('')) ? 1 : 0);
  const isParent = (s?: string) => Boolean(parent && s !== undefined && same(s, parent));
  const tagged = (op: Op, name: string) => (op.op.tags ?? []).some((t: string) => same(t, name));

  const scored: Scored[] = [];
  for (const op of operationsOf(doc)) {
    const segs = segments(op.path);
    const method = op.method;
    const tagBonus = tagged(op, resource) ? 1 : 0;
    // The last segment that names the resource.
    let at = -1;
    let match = 0;
    segs.forEach((s, i) => {
      const m = isResource(s.literal) || 0;
      if (m && !s.action) [at, match] = [i, m];
    });
    if (at >= 0) {
      const context = segs.slice(0, at);
      const rest = segs.slice(at + 1);
      const parentAt = context.findIndex((s) => isParent(s.literal));
      const parentParam = parentAt >= 0 ? context[parentAt + 1]?.param : undefined;
      const strangers = context.filter((s, i) => !neutral(s, i, segs) && i !== parentAt && !(i === parentAt + 1 && parentParam)).length;
      const score = match + tagBonus + (parentAt >= 0 ? 2 : 0) - 3 * strangers;
      const push = (role: Role, extra: Partial<Scored> = {}) => scored.push({ role, score, op, parentParam, ...extra });
      if (rest.length === 0) {
        if (method === 'GET') push(parentParam ? 'byParent' : 'list');
        if (method === 'POST') push('create', { style: 'collection' });
      } else if (rest.length === 1 && rest[0]!.param && !rest[0]!.action) {
        const resourceParam = rest[0]!.param;
        if (method === 'GET') push('show', { resourceParam });
        if (method === 'PATCH') push('update', { resourceParam });
        if (method === 'PUT') {
          push('update', { resourceParam });
          push('create', { resourceParam, style: 'put-name', score: score - 2 });
        }
        if (method === 'DELETE') push('delete', { resourceParam });
      } else if (rest.length === 1 && rest[0]!.literal && /^details?$/i.test(rest[0]!.literal) && method === 'GET') {
        push('listDetail');
      }
      continue;
    }
    // An action of the parent that makes the resource: POST /volumes/{id}/create_snapshot, /block-storage/{id}:create-snapshot.
    const last = segs.at(-1);
    const action = last?.action ?? (segs.length > 1 && segs.at(-2)?.param ? last?.literal : undefined);
    const w = action && (method === 'POST' || method === 'PUT') ? words(action) : [];
    if (w.some((x) => CREATE_VERBS.has(x)) && head.every((x) => w.includes(x))) {
      const parentAt = segs.findIndex((s) => isParent(s.literal));
      const parentParam = last?.action ? last.param : segs.at(-2)?.param;
      const strangers = segs.slice(0, -1).filter((s, i) => !neutral(s, i, segs) && i !== parentAt && !(s.param && s.param === parentParam) && !(s.literal && /^actions?$/.test(s.literal))).length;
      scored.push({ role: 'create', score: 1 + tagBonus + (parentAt >= 0 ? 2 : 0) - 3 * strangers, op, parentParam, style: 'parent-action' });
      continue;
    }
    // The parent's own operations.
    const parentAt = segs.map((s) => isParent(s.literal) && !s.action).lastIndexOf(true);
    if (parentAt >= 0) {
      const rest = segs.slice(parentAt + 1);
      const strangers = segs.slice(0, parentAt).filter((s, i) => !neutral(s, i, segs)).length;
      const score = 2 + (tagged(op, parent!) ? 1 : 0) - 3 * strangers;
      if (rest.length === 0 && method === 'POST') scored.push({ role: 'parentCreate', score, op });
      if (rest.length === 1 && rest[0]!.param && !rest[0]!.action) {
        if (method === 'GET') scored.push({ role: 'parentShow', score, op, parentParam: rest[0]!.param });
        if (method === 'DELETE') scored.push({ role: 'parentDelete', score, op, parentParam: rest[0]!.param });
      }
    }
  }

  const found: Found = { ops: {}, others: {}, params: new Map() };
  const best = (role: Role): Scored | undefined => {
    const all = scored.filter((s) => s.role === role && s.score > 0).sort((a, b) => b.score - a.score);
    const top = all[0];
    if (!top) return undefined;
    found.ops[role] = top.op;
    if (top.parentParam || top.resourceParam) {
      const had = found.params.get(top.op.id) ?? {};
      found.params.set(top.op.id, { parent: top.parentParam ?? had.parent, resource: top.resourceParam ?? had.resource });
    }
    const close = all.slice(1).filter((s) => s.score >= top.score - 1).map((s) => s.op);
    if (close.length) found.others[role] = close;
    return top;
  };
  found.createStyle = best('create')?.style;
  for (const role of ['show', 'update', 'delete', 'list', 'listDetail', 'byParent', 'parentCreate', 'parentShow', 'parentDelete'] as const) best(role);
  // PUT at a name creates only where nothing else does; then it is not the update as well.
  if (found.createStyle === 'put-name' && found.ops.update === found.ops.create) delete found.ops.update;
  return found;
}
