// The generic faults of any profile's server, derived from its documents: the kinds of defect an
// implementation of a snapshot API has (a success status, a member dropped or retyped, a list
// parameter ignored, a refusal accepted or answered wrongly, the envelope broken, a state never
// reached or never left, a delete that deletes nothing, metadata or labels written wrongly, a next
// page missing or elsewhere, a total that is wrong, a deleted resource still shown or listed, an
// update not kept). Each fault exists only where the profile has what it breaks, and turns exactly
// that one behaviour wrong.
import { successStatus, type Profile } from '../../profile/load.ts';
import { objectMembers, wrapperOf } from './instances.ts';

/** A generic fault: what it makes wrong, and what of the profile it needs. */
export interface GenericFault {
  name: string;
  does: string;
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
  const ref = typeof node.$ref === 'string' ? node.$ref : undefined;
  return ref ? objectMembers(doc, ref) : { required: node.required ?? [] };
}

/** The generic faults that apply to a profile. */
export function genericFaults(profile: Profile): GenericFault[] {
  const m = profile.model;
  const r = m.resource;
  const out: GenericFault[] = [];
  const add = (name: string, does: string) => out.push({ name, does });
  for (const op of Object.values(r.ops)) {
    if (!op) continue;
    const ok = successStatus(op);
    add(`status:${op.id}`, `${op.id} answers ${ok === 200 ? 201 : 200} instead of ${ok}`);
  }
  for (const member of shownMembers(profile)) {
    add(`drop:${member}`, `the resource's views lack the required member ${member}`);
    add(`retype:${member}`, `the resource's member ${member} has another type than documented`);
  }
  for (const [key, l] of [['', m.lists], ['parent-list:', m.lists.byParent]] as const) {
    if (!l) continue;
    const params = [l.limit?.param, l.marker?.param, l.offset?.param, l.page?.param, l.token?.param, l.sort?.key, ...(l.filters?.fields ?? []), ...(l.filters?.fromParent ?? []).map((f) => f.param)];
    for (const p of params) if (p) add(`ignore:${key}${p}`, `${l.op.id} ignores its parameter ${p}`);
    if (l.next?.kind === 'url' || (l.links && l.nextLink)) {
      add(`${key}next-missing`, `${l.op.id} never names a next page`);
      add(`${key}next-elsewhere`, `${l.op.id} names its next page on another list`);
    }
    if (l.total) add(`${key}total-page`, `${l.op.id} gives as total the items of the page only`);
  }
  add('accept:invalid-body', 'bodies the schema refuses are accepted');
  add('refuse-500:invalid-body', 'bodies the schema refuses are answered 500');
  add('accept:malformed-body', 'bodies that are not JSON objects are answered as if they were empty objects');
  add('accept:unknown-parent', 'a create for a parent that does not exist is accepted');
  add('accept:unknown-resource', 'an unknown id is answered 200 with an empty resource');
  if (m.auth.kind !== 'none') add('accept:unauthenticated', 'requests without valid credentials are answered');
  if (r.uniqueName) add('accept:duplicate', 'a name already taken is accepted again');
  if (m.perParent) add('accept:per-parent-limit', `a parent holds more than ${m.perParent.max} resources`);
  add('envelope-broken', 'error bodies are {"error": "<message>"}, not the documented envelope');
  if (m.envelope.names) add('envelope-code', 'every error carries the code of another status');
  if (m.envelope.status) add('envelope-status', 'the status inside error bodies is not the HTTP status');
  if (r.states) add('never-ready', 'new resources stay in their first state');
  add('never-gone', 'a deleted resource never goes away');
  add('delete-noop', 'a delete is answered as documented and deletes nothing');
  add('deleted-listed', 'deleted resources stay in the lists');
  if (r.ops.update) add('update-lost', 'an update is answered as documented and changes nothing');
  if (m.metadata) add('metadata-replace-merges', 'replacing the metadata merges it');
  if (m.metadata?.merge) add('metadata-merge-replaces', 'merging the metadata replaces it');
  if (m.labels) add('labels-dropped', 'labels given at create are not kept');
  if (m.labels?.replace) add('labels-merged', "an update's labels are added to the old ones instead of replacing them");
  if (m.labels?.kept) add('labels-cleared', 'an update that gives no labels clears them');
  if (m.operations) add('operation-fails', 'operations end in a failed state');
  return out;
}
