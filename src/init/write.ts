// Writing a draft as YAML with its TODOs as comments where they belong: before the member a TODO is
// about, or, where init left the member out, before the member that follows it in x-conformance's
// own order (the TypeBox schema's), so that a reader finds it where the member goes.
import { Document, isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import { ConformanceSchema } from '../profile/schema.ts';
import type { Json } from './read.ts';

export interface Comment {
  at: (string | number)[];
  text: string;
}

/** The keys x-conformance (and each of its objects) has, in the schema's order. */
function schemaOrder(at: (string | number)[]): string[] {
  if (at[0] !== 'x-conformance') return [];
  let schema: Json = ConformanceSchema;
  for (const key of at.slice(1)) {
    schema = schema?.properties?.[key] ?? schema?.anyOf?.find((s: Json) => s.properties?.[key])?.properties?.[key];
    if (!schema) return [];
  }
  return Object.keys(schema?.properties ?? {});
}

/** x-conformance's members in the schema's order (a draft fills them as it finds them). */
export function ordered(value: Json, at: string[] = ['x-conformance']): Json {
  const order = schemaOrder(at);
  if (!order.length || !value || typeof value !== 'object' || Array.isArray(value)) return value;
  const keys = Object.keys(value).sort((a, b) => (order.indexOf(a) + 1 || 1e9) - (order.indexOf(b) + 1 || 1e9));
  return Object.fromEntries(keys.map((k) => [k, ordered(value[k], [...at, k])]));
}

/** A comment of TODO lines, each at most about 100 characters. */
function todoLines(texts: string[]): string {
  return texts
    .flatMap((text) => {
      const lines: string[] = [];
      let line = ' TODO:';
      for (const word of text.split(/\s+/)) {
        if (line.length + word.length > 100 && line.trim() !== 'TODO:') {
          lines.push(line);
          line = '   ';
        }
        line += ` ${word}`;
      }
      return [...lines, line];
    })
    .join('\n');
}

/** The pair of a map whose key is `key`. */
const pairOf = (map: YAMLMap, key: string | number): Pair<Node, Node> | undefined => map.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key)) as Pair<Node, Node> | undefined;

/** Where a comment goes: the key node of the member (or of the one after where it would be), or a collection's end. */
function place(doc: Document, at: (string | number)[]): { node: Node; after?: boolean } {
  let collection: Node | null | undefined = doc.contents;
  for (let i = 0; i < at.length; i++) {
    const key = at[i]!;
    if (isMap(collection)) {
      const pair = pairOf(collection, key);
      if (!pair) {
        const order = schemaOrder(at.slice(0, i));
        const later = order.slice(order.indexOf(String(key)) + 1).map((k) => pairOf(collection as YAMLMap, k)).find(Boolean);
        return later ? { node: later.key } : { node: collection, after: true };
      }
      if (i === at.length - 1) return { node: pair.key };
      collection = pair.value;
    } else if (isSeq(collection) && typeof key === 'number' && collection.items[key]) {
      if (i === at.length - 1) return { node: collection.items[key] as Node };
      collection = collection.items[key] as Node;
    } else return { node: collection as Node, after: true };
  }
  return { node: doc.contents as Node };
}

/** YAML text of a value, with a header and the TODO comments in place; short lists of scalars on one line. */
export function yamlWithTodos(value: Json, header: string, comments: Comment[]): string {
  // Objects the vendor's document shares (an example used twice) are written out each time, not as aliases.
  const doc = new Document(value, { aliasDuplicateObjects: false });
  doc.commentBefore = header;
  const byNode = new Map<Node, { texts: string[]; after?: boolean }>();
  for (const c of comments) {
    const { node, after } = place(doc, c.at);
    const entry = byNode.get(node) ?? { texts: [], after };
    entry.texts.push(c.text);
    byNode.set(node, entry);
  }
  for (const [node, { texts, after }] of byNode) {
    const text = todoLines(texts);
    if (after) node.comment = node.comment ? `${node.comment}\n${text}` : text;
    else node.commentBefore = node.commentBefore ? `${node.commentBefore}\n${text}` : text;
  }
  flowShortLists(doc.contents);
  return doc.toString({ lineWidth: 110, minContentWidth: 40 });
}

function flowShortLists(node: unknown): void {
  if (isSeq(node)) {
    if (node.items.length && node.items.every((i) => isScalar(i)) && node.items.reduce((n, i) => n + String((i as { value: unknown }).value).length + 2, 0) < 70) node.flow = true;
    for (const i of node.items) flowShortLists(i);
  } else if (isMap(node)) for (const p of node.items) flowShortLists(p.value);
}
