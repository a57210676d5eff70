// The routes of a profile's server, read from its document: every operation's method and path
// template under the path of the document's server URL (its variables match any segment), and
// what the operation is to the profile (the resource's create, the parent's show, an operation's
// show, a lookup...), as its compiled model says.
import type { Operation, Profile } from '../../profile/load.ts';

/** What an operation is to the profile: which handler answers it. */
export type Role =
  | 'create' | 'show' | 'list' | 'listDetail' | 'update' | 'delete' | 'listByParent'
  | 'metaRead' | 'metaReplace' | 'metaMerge' | 'keyRead' | 'keyWrite' | 'keyDelete'
  | 'parentCreate' | 'parentShow' | 'parentDelete' | 'parentList'
  | 'operationShow' | 'lookup' | 'other';

export interface RouteMatch {
  op: Operation;
  role: Role;
  /** Path parameters by name (decoded). */
  params: Record<string, string>;
  /** The base path the request came under (the server URL's path, its variables filled). */
  base: string;
}

interface Route {
  op: Operation;
  role: Role;
  pattern: RegExp;
  names: string[];
  /** Literal characters of the template: the more, the more specific. */
  weight: number;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A regular expression for a path template: each {name} one segment (or part of one: {id}:create-snapshot). */
function compile(template: string): { source: string; names: string[]; weight: number } {
  const names: string[] = [];
  let source = '';
  let weight = 0;
  for (const part of template.split(/(\{[^}]+\})/)) {
    const m = /^\{([^}]+)\}$/.exec(part);
    if (m) {
      names.push(m[1]!);
      source += '([^/]+)';
    } else {
      source += escape(part);
      weight += part.length;
    }
  }
  return { source, names, weight };
}

/** Each operation's role, from the model. */
function roles(profile: Profile): Map<string, Role> {
  const m = profile.model;
  const r = m.resource.ops;
  const out = new Map<string, Role>();
  const set = (op: Operation | undefined, role: Role) => op && !out.has(op.id) && out.set(op.id, role);
  set(r.create, 'create');
  set(r.show, 'show');
  set(r.list, 'list');
  set(r.listDetail, 'listDetail');
  set(r.update, 'update');
  set(r.delete, 'delete');
  set(m.lists.byParent?.op, 'listByParent');
  const meta = m.metadata;
  set(meta?.read.op, 'metaRead');
  set(meta?.replace.op, 'metaReplace');
  set(meta?.merge?.op, 'metaMerge');
  set(meta?.keyRead?.op, 'keyRead');
  set(meta?.keyWrite?.op, 'keyWrite');
  set(meta?.keyDelete?.op, 'keyDelete');
  set(m.parent.create, 'parentCreate');
  set(m.parent.show, 'parentShow');
  set(m.parent.delete, 'parentDelete');
  set(m.parent.list?.op, 'parentList');
  set(m.operations?.show, 'operationShow');
  for (const lookup of [...(m.parent.lookups ?? []), ...(m.parent.discover ? [m.parent.discover] : [])]) set(profile.operations.get(lookup.operation), 'lookup');
  return out;
}

/** The path of the document's first server URL, its variables as patterns: /v3/{project_id}. */
export function basePath(profile: Profile): string {
  const url = profile.doc.servers?.[0]?.url ?? '/';
  const path = /^[a-z]+:\/\/[^/]*(\/.*)?$/i.exec(url)?.[1] ?? (url.startsWith('/') ? url : '/');
  return path.replace(/\/$/, '');
}

export class Routes {
  private readonly routes: Route[];
  private readonly base: RegExp;

  constructor(readonly profile: Profile) {
    const byOp = roles(profile);
    this.routes = [...profile.operations.values()]
      .map((op) => {
        const { source, names, weight } = compile(op.path);
        return { op, role: byOp.get(op.id) ?? 'other', pattern: new RegExp(`^${source}/?$`), names, weight };
      })
      // The most literal template first: /snapshots/detail before /snapshots/{id}.
      .sort((a, b) => b.weight - a.weight);
    this.base = new RegExp(`^${compile(basePath(profile)).source}`);
  }

  /** The operation a request is for, or why none is: 'unknown-path' or 'method' (the path is known). */
  match(method: string, pathname: string): RouteMatch | 'unknown-path' | 'method' {
    const base = this.base.exec(pathname);
    if (!base) return 'unknown-path';
    const rest = pathname.slice(base[0].length) || '/';
    let pathKnown = false;
    for (const route of this.routes) {
      const m = route.pattern.exec(rest);
      if (!m) continue;
      pathKnown = true;
      if (route.op.method !== method) continue;
      const params: Record<string, string> = {};
      try {
        route.names.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1]!)));
      } catch {
        return 'unknown-path';
      }
      return { op: route.op, role: route.role, params, base: base[0] };
    }
    return pathKnown ? 'method' : 'unknown-path';
  }
}
