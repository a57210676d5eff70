// JSON pointers (RFC 6901) over parsed bodies.

export function getAt(value: unknown, pointer: string): unknown {
  return pointer === '/' ? value : getPath(value, keysOf(pointer));
}

export const escapePointer = (key: string | number) => String(key).replace(/~/g, '~0').replace(/\//g, '~1');

/** The keys of a pointer: "/volume/name" -> ["volume", "name"]. */
export const keysOf = (pointer: string) => pointer.split('/').slice(1).map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));

/** A copy of body with the value at path replaced (or removed, with REMOVE). */
export const REMOVE: unique symbol = Symbol('remove');
export function setAt(body: unknown, path: string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const base = body && typeof body === 'object' && !Array.isArray(body) ? { ...(body as object) } : {};
  const next = setAt((base as any)[head!], rest, value);
  if (next === REMOVE) delete (base as any)[head!];
  else (base as any)[head!] = next;
  return base;
}

export function getPath(body: unknown, path: string[]): unknown {
  return path.reduce<any>((node, key) => (node && typeof node === 'object' ? node[key] : undefined), body);
}


/** A field of an object: a member name, or a pointer into it ("/volume/id"). */
export function fieldValue(item: unknown, field: string): unknown {
  if (!item || typeof item !== 'object') return undefined;
  return field.startsWith('/') ? getAt(item, field) : (item as Record<string, unknown>)[field];
}

/** The pointer of a field inside its object. */
export const fieldPointer = (field: string) => (field.startsWith('/') ? field : `/${escapePointer(field)}`);
