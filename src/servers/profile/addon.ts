// What a profile's folder may add to its reference server (modules.server): what its documents
// cannot say. Each hook is optional; a profile whose documents say everything needs none.
import { pathToFileURL } from 'node:url';
import { ProfileError } from '../../profile/sources.ts';
import type { Profile } from '../../profile/load.ts';
import type { RefusalKind } from '../../checks/refusal.ts';
import type { Role } from './routes.ts';
import type { Store, Stored } from './store.ts';

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** What a hook sees of one request. */
export interface Call {
  readonly profile: Profile;
  readonly store: Store;
  readonly role: Role;
  readonly operationId: string;
  readonly method: string;
  readonly url: URL;
  readonly params: Record<string, string>;
  readonly headers: Record<string, string | string[] | undefined>;
  /** The request body, parsed (undefined where there is none). */
  readonly body: unknown;
  /** Whether a fault is on (a named fault of the add-on, or a generic one). */
  has(fault: string): boolean;
  /** An error to throw: the refusal of this kind the operation documents, with this message. */
  refuse(kind: RefusalKind, message: string, status?: number): Error;
}

/** A way a request breaks its operation's documented schemas: a member of its body, or a query parameter. */
export interface Broken {
  in: 'body' | 'query';
  /** The JSON pointer into the body, or the query parameter's name. */
  at: string;
  /** The schema keyword broken (maxLength, pattern, x-maxBytes, minimum...). */
  keyword: string;
  /** The clause the broken constraint carries, where it carries one. */
  clause?: string;
  message: string;
}

export interface ServerAddon {
  /** The vendor's own named faults: name -> what it makes wrong (and the clauses that must catch it). */
  faults?: Record<string, string | { does: string; catches?: string[] }>;
  /** Answers a request itself (a reply), or lets the server go on (undefined). Runs after auth. */
  answer?(call: Call): Reply | undefined | Promise<Reply | undefined>;
  /**
   * What the server refuses of a request (its body is read, its query parsed): given the ways it
   * breaks the schemas, returns those that stand (a fault may forgive one; undefined keeps them
   * all), or throws call.refuse(...) for a rule of the vendor no schema says.
   */
  validate?(call: Call, broken: Broken[]): Broken[] | void;
  /** What a new resource or parent holds besides what the request gave (values taken from its parent). */
  created?(call: Call, stored: Stored, parent?: Stored): void;
  /** An answer about to be sent (a resource, a list, an operation, an error): changed in place, or returned anew. */
  view?(call: Call, reply: Reply): Reply | void;
}

/** A profile folder's server add-on, imported once. */
export async function loadAddon(file: string | undefined): Promise<ServerAddon> {
  if (!file) return {};
  try {
    const m = await import(pathToFileURL(file).href);
    return (m.default ?? m) as ServerAddon;
  } catch (error) {
    throw new ProfileError(`${file}: the server module does not load: ${(error as Error).message.split('\n')[0]}`);
  }
}
