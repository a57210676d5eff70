// Named faults, the same way for every reference server: a registry of names and what each makes
// wrong, and the set one server instance runs with. The code that produces a behaviour asks
// `faults.has(...)` at that single spot, so each fault turns exactly one behaviour wrong.

/** The faults one server instance runs with. */
export class FaultSet<F extends string> {
  private readonly active: ReadonlySet<F>;

  constructor(names: Iterable<F>) {
    this.active = new Set(names);
  }

  has(fault: F): boolean {
    return this.active.has(fault);
  }

  /** The active faults, in no particular order. */
  names(): F[] {
    return [...this.active];
  }

  /**
   * The faults of another registry that these switch: for a server built on another one's code,
   * whose faults of the same meaning are asked for there under the other server's names.
   */
  translate<G extends string>(mapping: Partial<Record<F, G>>): FaultSet<G> {
    return new FaultSet(this.names().flatMap((f) => (mapping[f] === undefined ? [] : [mapping[f]!])));
  }
}

export interface FaultRegistry<F extends string> {
  /** Fault name -> what it makes wrong (ServerFamily.faults). */
  readonly descriptions: Readonly<Record<F, string>>;
  /** The empty set: a server, or a part of one, that runs correctly. */
  readonly none: FaultSet<F>;
  is(name: string): name is F;
  /** The set for these names; an unknown name throws, listing the known ones. */
  select(names: readonly string[]): FaultSet<F>;
}

/** A server's registry; `server` names it in the error for an unknown fault. */
export function defineFaults<const D extends Record<string, string>>(server: string, descriptions: D): FaultRegistry<Extract<keyof D, string>> {
  type F = Extract<keyof D, string>;
  const is = (name: string): name is F => Object.hasOwn(descriptions, name);
  return {
    descriptions: descriptions as Readonly<Record<F, string>>,
    none: new FaultSet<F>([]),
    is,
    select(names) {
      const unknown = names.filter((n) => !is(n));
      if (unknown.length > 0) {
        throw new Error(`unknown ${server} fault(s): ${unknown.join(', ')}; known: ${Object.keys(descriptions).join(', ')}`);
      }
      return new FaultSet(names as F[]);
    },
  };
}
