// The commands of the lifecycle property, as fast-check arbitraries drawn from the profile's
// schemas, and the fixed scenarios that walk every command once. A command exists only where the
// profile has its operation, and is given that operation's resolved section.
import fc from 'fast-check';
import type { Operation, Profile } from '../../profile/load.ts';
import { addressable, modelOf } from '../../profile/api.ts';
import { fieldPath } from '../../profile/model.ts';
import type { Labels } from '../model.ts';
import { arbitraryFor } from '../../generate/arbitraries.ts';
import { memberSchema } from '../../generate/schema-sites.ts';
import { Create, CreateDuplicate } from './create.ts';
import { Delete, UseDeleted } from './delete.ts';
import { KeyDelete, KeyMismatch, KeyRead, KeyWrite, MetaRead, MetaWrite } from './metadata.ts';
import { List, Show } from './read.ts';
import type { Cmd, Step } from './step.ts';
import type { Judges } from '../../run/context.ts';
import { Update } from './update.ts';

export type { Cmd } from './step.ts';

export interface CommandOptions {
  namePrefix: string;
  /** At most this many live resources per sequence (the quota a lane may use). */
  maxLive: number;
}

/** Where an operation's request body schema is; one the commands write must have one. */
function bodySchema(op: Operation): string {
  if (!op.requestBody) throw new Error(`operation ${op.id} documents no request body`);
  return op.requestBody.schemaPointer;
}

/** The arbitraries of every command the profile's operations allow. */
export function commandArbitraries(profile: Profile, options: CommandOptions): fc.Arbitrary<Cmd>[] {
  const model = modelOf(profile);
  const c = model;
  const { ops, fields } = model.resource;
  const doc = profile.doc;
  const createBody = bodySchema(ops.create);
  const field = (name: string, noNull = false) => {
    const path = fieldPath(name, model.resource.requestWrapper);
    const site = memberSchema(doc, createBody, path);
    if (!site) throw new Error(`the create body of ${profile.id} has no member ${path.join('.')}`);
    return arbitraryFor(doc, site.schema, site.pointer, { namePrefix: options.namePrefix, noNull });
  };
  // A name the create's path takes (a PUT at a name) is drawn from that parameter's schema.
  const inPath = ops.create.parameters.find((p) => p.in === 'path' && p.fixture === 'name');
  const name = (inPath ? arbitraryFor(doc, { ...inPath.schema, 'x-fixture': 'name' }, `${ops.create.id}/${inPath.name}`, { namePrefix: options.namePrefix, noNull: true }) : field(fields.name, true)) as fc.Arbitrary<string>;
  const description = fields.description ? (field(fields.description) as fc.Arbitrary<string | null>) : fc.constant(undefined);
  const createMetadata = fields.metadata ? (field(fields.metadata) as fc.Arbitrary<Record<string, string> | null>) : fc.constant(undefined);
  const labels = c.labels ? (field(c.labels.member, true) as fc.Arbitrary<Labels>) : undefined;
  const createLabels = labels ? fc.option(labels, { nil: undefined }) : fc.constant(undefined);

  const create = fc.record({ name, description, metadata: createMetadata, labels: createLabels }).map((v) => new Create(v, options.maxLive));
  const arbs: fc.Arbitrary<Cmd>[] = [
    // Listed three times: most commands need a live resource, so creating must come often.
    create,
    create,
    create,
    fc.nat().map((i) => new Show(i)),
    fc.constant(null).map(() => new List(ops.list, false)),
    fc.nat().map((i) => new Delete(i)),
    fc.nat().map((i) => new UseDeleted(i)),
  ];
  const detail = ops.listDetail;
  if (detail) arbs.push(fc.constant(null).map(() => new List(detail, true)));
  const unique = c.resource.uniqueName;
  if (unique) arbs.push(fc.tuple(fc.nat(), fc.boolean()).map(([i, swap]) => new CreateDuplicate(unique, i, swap)));
  const update = ops.update;
  const updateClause = c.lifecycle.update;
  if (update && updateClause) {
    const takes = (field: string | undefined) => Boolean(field && model.resource.updates.has(field));
    const changes = { ...(takes(fields.name) ? { name } : {}), ...(takes(fields.description) ? { description } : {}), ...(labels && c.labels?.replace ? { labels } : {}) };
    const change = fc.record(changes, { requiredKeys: [] }).filter((v) => Object.keys(v).length > 0) as fc.Arbitrary<ConstructorParameters<typeof Update>[3]>;
    arbs.push(fc.tuple(fc.nat(), change).map(([i, v]) => new Update(update, updateClause, i, v)));
  }
  const m = model.metadata;
  if (m) {
    const setSchema = memberSchema(doc, bodySchema(m.replace.op), [m.replace.request ?? 'metadata']);
    if (!setSchema) throw new Error(`${m.replace.op.id} of ${profile.id} documents no metadata set`);
    const set = arbitraryFor(doc, setSchema.schema, setSchema.pointer, { maxKeys: 3 }) as fc.Arbitrary<Record<string, string>>;
    const key = arbitraryFor(doc, setSchema.schema.propertyNames, `${setSchema.pointer}/propertyNames`).filter(addressable) as fc.Arbitrary<string>;
    const value = arbitraryFor(doc, setSchema.schema.additionalProperties, `${setSchema.pointer}/additionalProperties`) as fc.Arbitrary<string>;
    arbs.push(fc.nat().map((i) => new MetaRead(m.read, i)));
    arbs.push(fc.tuple(fc.nat(), set).map(([i, s]) => new MetaWrite(m.replace, 'replace', i, s)));
    const { merge, keyRead, keyWrite, keyDelete } = m;
    const mismatch = m.keyMismatch;
    if (merge) arbs.push(fc.tuple(fc.nat(), set).map(([i, s]) => new MetaWrite(merge, 'merge', i, s)));
    if (keyRead) arbs.push(fc.tuple(fc.nat(), fc.nat(), key, fc.boolean()).map(([i, k, fresh, useFresh]) => new KeyRead(keyRead, i, k, fresh, useFresh)));
    if (keyWrite) arbs.push(fc.tuple(fc.nat(), fc.nat(), key, value, fc.boolean()).map(([i, k, fresh, v, useFresh]) => new KeyWrite(keyWrite, i, k, fresh, v, useFresh)));
    if (keyDelete) arbs.push(fc.tuple(fc.nat(), fc.nat(), key, fc.boolean()).map(([i, k, fresh, useFresh]) => new KeyDelete(keyDelete, i, k, fresh, useFresh)));
    if (keyWrite && mismatch) arbs.push(fc.tuple(fc.nat(), key).map(([i, other]) => new KeyMismatch(keyWrite, mismatch, i, other)));
  }
  return arbs;
}

/**
 * Fixed walks through every command, run besides the random ones so that each clause is exercised
 * on every run: the property explores, the scenarios guarantee coverage. Separate walks, so that a
 * defect in one part (say, update, or replacing the metadata) does not hide the others.
 */
export function scenarios(profile: Profile, options: CommandOptions): Record<string, Step[]> {
  const model = modelOf(profile);
  const c = model;
  const { ops } = model.resource;
  // Where the vendor normalises names, characters where its rule differs from JavaScript's trim().
  const tricky = Boolean(c.resource.normalize);
  const name = tricky ? `\ufeff${options.namePrefix}scenario \u001f` : `${options.namePrefix}scenario`;
  const metadata = model.resource.fields.metadata ? { color: 'red', size: 'small' } : undefined;
  const describes = Boolean(model.resource.fields.description);
  const detail = ops.listDetail;
  const list = () => new List(ops.list, false);
  // Labels too, where the profile has them: the update below then keeps them (it gives none).
  const labels = model.labels ? (model.labels.style === 'list' ? ['scenario'] : { scenario: 'yes' }) : undefined;
  const lifecycle: Step[] = [new Create({ name, description: describes ? (tricky ? '\u3000A scenario ' : 'A scenario') : undefined, metadata, labels }, options.maxLive), new Show(0), list()];
  const unique = c.resource.uniqueName;
  if (unique) lifecycle.push(new CreateDuplicate(unique, 0, false), new CreateDuplicate(unique, 0, true));
  if (detail) lifecycle.push(new List(detail, true));
  if (ops.update && c.lifecycle.update) {
    const renames = model.resource.updates.has(model.resource.fields.name);
    lifecycle.push(new Update(ops.update, c.lifecycle.update, 0, { ...(renames ? { name: `${options.namePrefix}renamed${tricky ? '\u2003' : ''}` } : {}), ...(describes ? { description: tricky ? null : 'renamed' } : {}) }), new Show(0), list());
  }
  lifecycle.push(new Delete(0), list());
  if (detail) lifecycle.push(new List(detail, true));
  lifecycle.push(new UseDeleted(0));
  const out: Record<string, Step[]> = { lifecycle };
  const l = model.labels;
  if (l) {
    // Labels given at create; where an update writes them, replaced by one that gives them and
    // kept by one that does not.
    const [first, second] = l.style === 'list' ? [['env:test', 'team-a'], ['env:prod']] : [{ env: 'test', team: 'a' }, { env: 'prod' }];
    const walk: Step[] = [new Create({ name: `${options.namePrefix}labels`, description: describes ? null : undefined, labels: first }, options.maxLive), new Show(0), list()];
    if (ops.update && c.lifecycle.update && l.replace) walk.push(new Update(ops.update, c.lifecycle.update, 0, { labels: second }), new Show(0));
    // Kept: an update of something else (the name, else the description) that gives no labels.
    const other = model.resource.updates.has(model.resource.fields.name) ? { name: `${options.namePrefix}labels-kept` } : describes ? { description: 'labels kept' } : undefined;
    if (ops.update && c.lifecycle.update && l.kept && other) walk.push(new Update(ops.update, c.lifecycle.update, 0, other, true), new Show(0));
    walk.push(new Delete(0));
    out.labels = walk;
  }
  const m = model.metadata;
  if (m) {
    // The set as a whole: read, replaced, merged.
    const sets: Step[] = [new Create({ name: `${options.namePrefix}metadata`, description: null, metadata }, options.maxLive), new Show(0), new MetaRead(m.read, 0)];
    sets.push(new MetaWrite(m.replace, 'replace', 0, { color: 'blue', tier: 'gold' }), new MetaRead(m.read, 0));
    if (m.merge) sets.push(new MetaWrite(m.merge, 'merge', 0, { tier: 'silver', zone: 'a' }), new MetaRead(m.read, 0));
    sets.push(new Show(0), new Delete(0));
    out.metadata = sets;
    // Key by key, on a set only the create wrote: a defect of the set writes does not hide these.
    if (m.keyRead || m.keyWrite || m.keyDelete) {
      const keys: Step[] = [new Create({ name: `${options.namePrefix}metadata-keys`, description: null, metadata }, options.maxLive)];
      if (m.keyRead) keys.push(new KeyRead(m.keyRead, 0, 0, 'color', true), new KeyRead(m.keyRead, 0, 0, 'no-such-key', true));
      if (m.keyWrite) keys.push(new KeyWrite(m.keyWrite, 0, 0, 'zone', 'b', true), new KeyWrite(m.keyWrite, 0, 0, 'added', 'c', true));
      if (m.keyDelete) keys.push(new KeyDelete(m.keyDelete, 0, 0, 'size', true), new KeyDelete(m.keyDelete, 0, 0, 'no-such-key', true));
      keys.push(new MetaRead(m.read, 0), new Show(0));
      // Last but the delete: a write that should have been refused stops the walk (the keys above
      // are judged whatever it does).
      if (m.keyWrite && m.keyMismatch) keys.push(new KeyMismatch(m.keyWrite, m.keyMismatch, 0, 'other'));
      keys.push(new Delete(0));
      out['metadata keys'] = keys;
    }
  }
  return out;
}

/**
 * The clauses the walks above cannot judge, with what the profile lacks for them (each mirrors a
 * condition of scenarios): what the profile check says of a MUST clause no test judges.
 */
export function unwalked(profile: Profile): Judges[] {
  const c = modelOf(profile);
  const update = Boolean(c.resource.ops.update && c.lifecycle.update);
  const noUpdate = 'it is judged by an update, and the profile has none (resource.operations.update and lifecycle.update)';
  const out: Judges[] = [];
  if (c.lifecycle.update && !c.resource.ops.update) out.push({ clause: c.lifecycle.update, lacking: 'the resource has no update operation (resource.operations.update)' });
  if (c.labels?.replace && !update) out.push({ clause: c.labels.replace, lacking: noUpdate });
  if (c.labels?.kept && !update) out.push({ clause: c.labels.kept, lacking: noUpdate });
  if (c.metadata?.keyMismatch && !c.metadata.keyWrite) out.push({ clause: c.metadata.keyMismatch, lacking: 'it is judged by a per-key write, and the metadata has none (metadata.keyWrite)' });
  return out;
}
