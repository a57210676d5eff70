// The generic faults of any profile's server, derived from its documents: the kinds of defect an
// implementation of a snapshot API has (a success status, a member dropped or retyped, a list
// parameter ignored, a filter that matches parts, a refusal accepted, answered wrongly or made all
// the same, the envelope broken, a state never reached, failed or in the other case, a delete that
// deletes nothing or comes while creating, metadata or labels written wrongly, a next page missing
// or elsewhere, a count or total that is wrong, a deleted resource still shown or listed, an update
// not kept, busy answers wrong or for ever). Each fault exists only where the profile has what it
// breaks, and turns exactly that one behaviour wrong.
import { successStatus, type Operation, type Profile } from '../../profile/load.ts';
import { validatorsFor } from '../../validate/validators.ts';
import { swapCase } from '../../util/normalize.ts';
import { objectMembers, wrapperOf } from '../../generate/instances.ts';

/** A generic fault: what it makes wrong, and the clauses that must catch it (one of them at least). */
export interface GenericFault {
  name: string;
  does: string;
  catches: string[];
}

/** The required members of the resource's show, but its id (every view needs the id to be found). */
export function shownMembers(profile: Profile): string[] {
  const show = profile.model.resource.ops.show;
  const pointer = show.responses.get(String(successStatus(show)))?.schemaPointer;
  if (!pointer) return [];
  const wrapper = profile.model.resource.wrapper ?? wrapperOf(profile.doc, pointer);
  const outer = objectMembers(profile.doc, pointer);
  const inner = wrapper ? outer.properties[wrapper] : undefined;
  const members = inner ? objectMembersOf(profile.doc, inner) : outer;
  return members.required.filter((m) => m !== 'id');
}

function objectMembersOf(doc: object, node: Record<string, any>): { required: string[] } {
  return typeof node.$ref === 'string' ? objectMembers(doc, node.$ref) : { required: node.required ?? [] };
}

/** The clauses x-clause names in a schema of the document, and below it. */
function clausesIn(profile: Profile, pointer: string | undefined): string[] {
  return pointer ? [...validatorsFor(profile).clausesIn(pointer)] : [];
}

/** The generic faults that apply to a profile, each with the clauses that must catch it. */
export function genericFaults(profile: Profile): GenericFault[] {
  const m = profile.model;
  const r = m.resource;
  const out: GenericFault[] = [];
  const add = (name: string, does: string, catches: Array<string | undefined>) => out.push({ name, does, catches: [...new Set(catches.filter((c): c is string => Boolean(c)))] });
  const ops = Object.values(r.ops).filter((op): op is Operation => Boolean(op));
  for (const op of ops) {
    const ok = successStatus(op);
    add(`status:${op.id}`, `${op.id} answers ${ok === 200 ? 201 : 200} instead of ${ok}`, [op.clause]);
  }
  // A member of the views: the contract of every answer that shows the resource, and its own clauses.
  const showing = [r.ops.show, r.ops.list, r.ops.listDetail, r.ops.create, r.ops.update, m.lists.byParent?.op].filter((op): op is Operation => Boolean(op));
  const viewClauses = showing.flatMap((op) => [op.clause, ...clausesIn(profile, op.responses.get(String(successStatus(op)))?.schemaPointer)]);
  for (const member of shownMembers(profile)) {
    add(`drop:${member}`, `the resource's views lack the required member ${member}`, viewClauses);
    add(`retype:${member}`, `the resource's member ${member} has another type than documented`, viewClauses);
  }
  for (const [key, l] of [['', m.lists], ['parent-list:', m.lists.byParent]] as const) {
    if (!l) continue;
    const params: Array<[string | undefined, string | undefined]> = [
      [l.limit?.param, l.limit?.clause],
      [l.marker?.param, l.marker?.clause],
      [l.offset?.param, l.offset?.clause],
      [l.page?.param, l.page?.clause],
      [l.token?.param, l.token?.clause],
      [l.sort?.key, l.sort?.clause],
      ...(l.filters?.fields ?? []).map((f) => [f, l.filters!.clause] as [string, string]),
      ...(l.filters?.fromParent ?? []).map((f) => [f.param, l.filters!.clause] as [string, string]),
    ];
    for (const [p, clause] of params) if (p) add(`ignore:${key}${p}`, `${l.op.id} ignores its parameter ${p}`, [clause]);
    const nextClause = l.next?.clause ?? l.nextLink;
    if (nextClause) add(`${key}next-missing`, `${l.op.id} never names a next page`, [nextClause]);
    // A page named by a URL can point elsewhere; one named by a token cannot.
    if (nextClause && l.next?.kind !== 'token') add(`${key}next-elsewhere`, `${l.op.id} names its next page on another list`, [nextClause]);
    if (l.total) add(`${key}total-page`, `${l.op.id} gives as total the items of the page only`, [l.total.clause]);
    if (l.count) {
      add(`${key}count-missing`, `${l.op.id} has no ${l.count.member}`, [l.count.clause]);
      add(`${key}count-wrong`, `${l.op.id} gives as ${l.count.member} one more than it holds`, [l.count.clause]);
    }
    if (l.filters?.fields.includes(r.fields.name)) add(`${key}filter-substring:${r.fields.name}`, `${l.op.id} selects the names that hold the value of ${r.fields.name}, not those equal to it`, [l.filters.clause]);
  }
  if (r.ops.listDetail && m.lists.filters?.fields.length) add('ignore:detail-filters', `${r.ops.listDetail.id} ignores the filters ${r.ops.list.id} applies`, [m.lists.filters.clause]);
  if (m.lists.badPaging) add('accept:invalid-query', 'query parameters the schemas refuse are accepted', [m.lists.badPaging]);
  if (m.parent.list) add('parents:next-missing', `${m.parent.list.op.id} never names a next page`, [m.parent.list.clause]);
  // A derived invalid body is judged by the clause of the keyword it breaks, else its operation's.
  const bodies = ops.filter((op) => op.requestBody).flatMap((op) => [op.clause, ...clausesIn(profile, op.requestBody!.schemaPointer)]);
  add('accept:invalid-body', 'bodies the schema refuses are accepted', [m.refusals.invalidBody, ...bodies]);
  add('refuse-500:invalid-body', 'bodies the schema refuses are answered 500', [m.refusals.invalidBody, ...bodies]);
  add('accept:malformed-body', 'bodies that are not JSON objects are answered as if they were empty objects', [m.refusals.malformedBody]);
  add('accept:unknown-parent', 'a create for a parent that does not exist is accepted', [m.lifecycle.needsParent]);
  add('accept:unknown-resource', 'an unknown id is answered 200 with an empty resource', [m.refusals.unknownResource, m.lifecycle.useAfterDelete]);
  if (m.auth.kind !== 'none') add('accept:unauthenticated', 'requests without valid credentials are answered', [m.auth.missing, m.auth.invalid]);
  if (r.uniqueName) {
    add('accept:duplicate', 'a name already taken is accepted again', [r.uniqueName.clause]);
    // Where the name is the resource's path, a second one cannot be made beside the first.
    if (r.nameIn === 'body') add('refused-but-made:duplicate', 'a create refused because its name is taken makes the resource all the same', [r.uniqueName.clause]);
    if (r.ops.update && r.updates.has(r.fields.name)) {
      add('accept:duplicate-rename', 'an update renames a resource to the name another holds', [r.uniqueName.clause]);
      add('refuse:own-name', 'an update that gives a resource its own name is refused as taken', [r.uniqueName.clause]);
    }
  }
  if (r.uniqueName?.caseInsensitive) add('accept:duplicate-case', 'a name taken in another case is accepted (names are told apart by case)', [r.uniqueName.clause]);
  if (m.perParent) {
    add('accept:per-parent-limit', `a parent holds more than ${m.perParent.max} resources`, [m.perParent.clause]);
    add('refused-but-made:per-parent-limit', `a create refused because its parent holds ${m.perParent.max} resources makes the resource all the same`, [m.perParent.clause]);
  }
  for (const pre of m.preconditions ?? []) {
    if ('lookups' in pre.parent) add('accept:forbidden-parent', `a resource is made of ${pre.title}`, [pre.clause]);
    else add('accept:parent-not-ready', `a resource is made of ${pre.title}`, [pre.clause]);
  }
  if (m.busy) {
    add('busy-forever', 'every write of the resource is answered busy', [m.busy.clause]);
    add('busy-500', `the busy answer is 500, not ${m.busy.status}`, [m.busy.clause]);
  }
  add('envelope-broken', 'error bodies are {"error": "<message>"}, not the documented envelope', [m.envelope.shape]);
  if (m.envelope.names) add('envelope-code', 'every error carries the code of another status', [m.envelope.names.clause]);
  if (m.envelope.status) add('envelope-status', 'the status inside error bodies is not the HTTP status', [m.envelope.status.clause]);
  if (r.states?.transient.length) add('never-ready', `new resources stay ${r.states.transient[0]}`, [m.lifecycle.becomesReady]);
  if (r.states?.failed.length) add('becomes-failed', `new resources end ${r.states.failed[0]}, not ${r.states.ready}`, [m.lifecycle.becomesReady]);
  if (r.states && r.fields.status) add('status-case', `the ready state is written in the other case (${swapCase(r.states.ready)}, not ${r.states.ready})`, [...viewClauses, m.lifecycle.becomesReady]);
  if (r.states?.transient.length && m.lifecycle.deleteWhileCreating) add('accept:delete-while-creating', `a resource still ${r.states.transient[0]} is deleted`, [m.lifecycle.deleteWhileCreating]);
  add('never-gone', 'a deleted resource never goes away', [m.lifecycle.gone]);
  add('delete-noop', 'a delete is answered as documented and deletes nothing', [m.lifecycle.gone]);
  add('deleted-listed', 'deleted resources stay in the lists', [m.lifecycle.gone]);
  if (r.ops.update) add('update-lost', 'an update is answered as documented and changes nothing', [m.lifecycle.update]);
  if (m.metadata) add('metadata-replace-merges', 'replacing the metadata merges it', [m.metadata.replace.clause]);
  if (m.metadata?.merge) add('metadata-merge-replaces', 'merging the metadata replaces it', [m.metadata.merge.clause]);
  if (m.metadata?.keyWrite && m.metadata.keyMismatch) add('accept:key-mismatch', "a metadata key's write whose body names another key (or several) is answered as written", [m.metadata.keyMismatch]);
  if (m.labels) add('labels-dropped', 'labels given at create are not kept', [m.labels.create]);
  if (m.labels?.replace) add('labels-merged', "an update's labels are added to the old ones instead of replacing them", [m.labels.replace]);
  if (m.labels?.kept) add('labels-cleared', 'an update that gives no labels clears them', [m.labels.kept]);
  if (m.operations) add('operation-fails', 'operations end in a failed state', [m.operations.clause]);
  return out;
}
