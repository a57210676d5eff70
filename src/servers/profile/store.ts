// What a profile's server holds: the resources, their parents, the operations a write answered
// with, and the items it provides for lookups; each stored as the object its show answers (so a
// view is that object, cut to the schema of the answer), with the status transitions on timers.
import { randomUUID } from 'node:crypto';
import { Timers } from '../timers.ts';

export interface Stored {
  id: string;
  /** The object as its show answers it (inside any wrapper). */
  object: Record<string, unknown>;
  /** The status the transitions move, where the kind has one. */
  status?: string;
  parentId?: string;
  /** In order of creation, for the default order of lists. */
  seq: number;
  /** Delete accepted: gone once the transition is over (or never, with a fault). */
  deleting?: boolean;
}

export interface StoredOperation {
  id: string;
  object: Record<string, unknown>;
  state: string;
}

let seq = 0;

export class Store {
  readonly resources = new Map<string, Stored>();
  readonly parents = new Map<string, Stored>();
  readonly operations = new Map<string, StoredOperation>();
  /** Items lookup operations answer, by operationId. */
  readonly provided = new Map<string, Array<Record<string, unknown>>>();
  /** Resources deleted, still known (a fault that keeps showing or listing them). */
  readonly deleted = new Map<string, Stored>();
  readonly timers = new Timers();

  add(into: Map<string, Stored>, object: Record<string, unknown>, fields: { id?: string; status?: string; parentId?: string } = {}): Stored {
    const stored: Stored = { id: fields.id ?? randomUUID(), object, status: fields.status, parentId: fields.parentId, seq: ++seq };
    into.set(stored.id, stored);
    return stored;
  }

  /** The live resources of a parent. */
  children(parentId: string): Stored[] {
    return [...this.resources.values()].filter((r) => r.parentId === parentId);
  }

  close(): void {
    this.timers.close();
  }
}
