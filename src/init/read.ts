// Reading a vendor's document: one file, or a root file whose $refs name other local files (as
// DigitalOcean's does). The files are bundled into one document: what a ref names in another file
// is lifted into the components under a readable name (a schema, a parameter, a response...), or put
// in place where OpenAPI has no component for it (a path item, an operation). Every object keeps
// where it stood (file and JSON pointer), so the clause stubs can say where the vendor's words are.
// Bundling is written here rather than taken from a library: the libraries put a shared part at its
// first use inside the paths (refs like #/paths/~1v2~1.../responses/404), which pruning the document
// to a profile's operations would break, and they bring a YAML parser and an HTTP client of their own.
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, extname, relative, resolve } from 'node:path';
import { keysOf, escapePointer, getPath } from '../util/pointer.ts';
import { ProfileError, readYaml } from '../profile/sources.ts';

export type Json = any;

/** A document read and bundled: its one object, and where each of its objects stood. */
export interface ReadDocument {
  doc: Json;
  /** The root file's name, as the stubs cite it. */
  file: string;
  /** Object -> "file#pointer" (just "file" for a whole file), the file relative to the root file's folder. */
  origins: WeakMap<object, string>;
}

/** Where a component of each kind goes: OpenAPI 3's components, or Swagger 2.0's own sections. */
const PLACES3: Record<string, string[]> = {
  schemas: ['components', 'schemas'],
  parameters: ['components', 'parameters'],
  responses: ['components', 'responses'],
  requestBodies: ['components', 'requestBodies'],
  headers: ['components', 'headers'],
  examples: ['components', 'examples'],
};
const PLACES2: Record<string, string[]> = { schemas: ['definitions'], parameters: ['parameters'], responses: ['responses'] };

/** Keys under which a value is a schema (its parent's key decides for maps and lists of schemas). */
const SCHEMA_KEYS = new Set(['schema', 'items', 'not', 'additionalProperties', 'contains', 'propertyNames', 'if', 'then', 'else']);
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'allOf', 'anyOf', 'oneOf', 'definitions', 'schemas', '$defs', 'dependentSchemas', 'prefixItems']);

/** The kind of component a $ref at this place names, from the keys that lead to it; undefined: put it in place. */
function kindAt(keys: string[]): string | undefined {
  const k = keys.at(-1) ?? '';
  const p = keys.at(-2) ?? '';
  if (keys.at(-3) === 'components' || (keys.length === 2 && ['definitions', 'parameters', 'responses'].includes(p))) return p === 'definitions' ? 'schemas' : p;
  if (p === 'parameters') return 'parameters';
  if (p === 'responses') return 'responses';
  if (k === 'requestBody') return 'requestBodies';
  if (p === 'headers') return 'headers';
  if (p === 'examples') return 'examples';
  if (SCHEMA_KEYS.has(k) || SCHEMA_MAPS.has(p)) return 'schemas';
  return undefined;
}

export function readDocument(path: string): ReadDocument {
  const rootFile = resolve(path);
  if (!existsSync(rootFile) || !statSync(rootFile).isFile()) throw new ProfileError(`${path}: no such file (give the path of the vendor's OpenAPI or Swagger document)`);
  const rootDir = dirname(rootFile);
  const origins = new WeakMap<object, string>();
  const files = new Map<string, Json>();
  const rel = (file: string) => relative(rootDir, file) || basename(file);

  const load = (file: string): Json => {
    let parsed = files.get(file);
    if (parsed === undefined) {
      parsed = readYaml(file);
      files.set(file, parsed);
      remember(parsed, rel(file), '');
    }
    return parsed;
  };
  const remember = (node: Json, file: string, pointer: string) => {
    if (!node || typeof node !== 'object' || origins.has(node)) return;
    origins.set(node, pointer ? `${file}#${pointer}` : file);
    for (const [k, v] of Object.entries(node)) remember(v, file, `${pointer}/${escapePointer(k)}`);
  };

  const doc = load(rootFile);
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new ProfileError(`${path}: not an OpenAPI or Swagger document (it is not a map)`);
  const places = doc.swagger ? PLACES2 : PLACES3;
  /** Each lifted target (file#pointer) -> the local ref that now names it. */
  const lifted = new Map<string, string>();
  const taken = new Set<string>();

  const target = (ref: string, file: string): { file: string; pointer: string; node: Json } => {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(ref)) throw new ProfileError(`${rel(file)}: $ref ${ref} is remote: init reads local files only (bundle the document first)`);
    const [filePart = '', fragment = ''] = ref.split('#');
    const targetFile = filePart ? resolve(dirname(file), decodeURI(filePart)) : file;
    if (filePart && !existsSync(targetFile)) throw new ProfileError(`${rel(file)}: $ref ${ref} names ${rel(targetFile)}, which is not there`);
    const pointer = decodeURIComponent(fragment);
    const node = pointer ? getPath(load(targetFile), keysOf(pointer)) : load(targetFile);
    if (node === undefined) throw new ProfileError(`${rel(file)}: $ref ${ref} names nothing in ${rel(targetFile)}`);
    return { file: targetFile, pointer, node };
  };

  /** A name for a lifted component: the pointer's last key, else the file's name; made unique. */
  const nameFor = (kind: string, file: string, pointer: string): string => {
    const last = pointer ? keysOf(pointer).at(-1)! : basename(file, extname(file));
    const section: Json = getPath(doc, places[kind]!) ?? {};
    const candidates = [last, `${basename(dirname(file))}_${last}`];
    for (let n = 2; ; n++) {
      const name = candidates.shift() ?? `${last}_${n}`;
      if (!taken.has(`${kind}/${name}`) && section[name] === undefined) {
        taken.add(`${kind}/${name}`);
        return name;
      }
    }
  };

  /** Objects whose refs are bundled already; targets being put in place (a loop through them cannot be). */
  const done = new WeakSet<object>();
  const inlining = new Set<object>();

  /** Replaces the refs of a node (of `file`, reached through `keys`) by local ones; returns the node to use. */
  const bundle = (node: Json, file: string, keys: string[]): Json => {
    if (!node || typeof node !== 'object') return node;
    if (typeof node.$ref === 'string' && (!node.$ref.startsWith('#') || file !== rootFile)) {
      const ref = node.$ref as string;
      const t = target(ref, file);
      const key = `${t.file}#${t.pointer}`;
      const kind = kindAt(keys);
      const place = kind && places[kind];
      if (!place) {
        // No component for it: the target itself, in place.
        if (inlining.has(t.node)) throw new ProfileError(`${rel(file)}: $ref ${ref} refers to itself through a path item or an operation`);
        inlining.add(t.node);
        const inner = bundle(t.node, t.file, keys);
        inlining.delete(t.node);
        return inner;
      }
      let local = lifted.get(key);
      if (!local) {
        // A component slot that is only a ref to a file (components: schemas: Foo: $ref: foo.yml) takes the target itself.
        const atSlot = keys.length === place.length + 1 && place.every((k, i) => keys[i] === k);
        const name = atSlot ? keys.at(-1)! : nameFor(kind, t.file, t.pointer);
        local = `#/${[...place, name].map(escapePointer).join('/')}`;
        lifted.set(key, local);
        let section = doc;
        for (const k of place) section = section[k] ??= {};
        section[name] = bundle(t.node, t.file, [...place, name]);
        if (atSlot) return section[name];
      }
      const { $ref: _, ...siblings } = node;
      const moved = { ...siblings, $ref: local };
      // The ref stands where it stood: that is where a stub cites the vendor's words about it.
      const origin = origins.get(node);
      if (origin) origins.set(moved, origin);
      return moved;
    }
    if (done.has(node)) return node;
    done.add(node);
    for (const [k, v] of Object.entries(node)) {
      const next = bundle(v, file, [...keys, k]);
      if (next !== v) (node as any)[k] = next;
    }
    return node;
  };

  bundle(doc, rootFile, []);
  return { doc, file: basename(rootFile), origins };
}
