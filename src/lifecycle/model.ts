// The model of the lifecycle property: what the suite knows each resource must hold, far simpler
// than the system. A resource is a handle; the real id lives on the Real side. Each stored value
// remembers the clause of the write that set it, so a later mismatch is charged to that write.
import type { Judged } from '../steps/create-delete.ts';

/** Labels as the profile has them: a map of strings, or a list of strings. */
export type Labels = Record<string, string> | string[];

export interface ModelResource {
  handle: number;
  name: string | null;
  /** Where the profile's resource has a description. */
  description: string | null;
  metadata: Record<string, string>;
  /** Where the profile has labels: what they must be, and the clause of the write that set them. */
  labels?: Labels;
  wroteLabels?: string;
  /** Name and description as sent, before the vendor's normalisation. */
  sent: { name: string | null; description: string | null };
  /** The clause of the last write to name and description, and to metadata. */
  wroteName: string;
  wroteMetadata: string;
}

export interface Model {
  live: ModelResource[];
  deleted: number[];
  nextHandle: number;
}

/** The system side: a judged API, the parent, and model handle -> the target's id. */
export interface Real extends Judged {
  parentId: string;
  ids: Map<number, string>;
  /** The commands that ran, as they printed themselves. */
  log: string[];
}

export const emptyModel = (): Model => ({ live: [], deleted: [], nextHandle: 0 });

/** Picks a live resource from a generated index (commands are generated before the model exists). */
export const pick = (model: Readonly<Model>, index: number): ModelResource => model.live[index % model.live.length]!;

/** Whether another live resource holds this name, case aside: where names are unique, reusing one
 *  is refused, and CreateDuplicate is the command that tests that. */
export const nameTaken = (model: Readonly<Model>, name: string | null | undefined, except?: ModelResource): boolean =>
  typeof name === 'string' && model.live.some((l) => l !== except && l.sent.name !== null && l.sent.name.toLowerCase() === name.toLowerCase());

/** The target's id of a model resource. */
export function idOf(r: Real, handle: number): string {
  const id = r.ids.get(handle);
  if (id === undefined) throw new Error(`suite bug: model resource #${handle} has no id`);
  return id;
}
