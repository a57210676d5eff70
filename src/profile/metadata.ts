// The metadata verbs of a profile: read, replace and merge a resource's set, and read, write and
// delete one key; each body wrapped in the member its operation's schema names.
import type { Exchange } from '../http/exchange.ts';
import { getAt } from '../util/pointer.ts';
import type { MetadataModel, MetadataOp } from './model.ts';
import { pathParams, type CallOptions } from './requests.ts';

interface Caller {
  readonly profile: { id: string };
  call(op: MetadataOp['op'], options: CallOptions): Promise<Exchange>;
}

export class MetadataApi {
  constructor(
    private readonly api: Caller,
    readonly ops: MetadataModel,
  ) {}

  private on(m: MetadataOp | undefined, id: string, key?: string, body?: unknown, negative?: boolean): Promise<Exchange> {
    if (!m) throw new Error(`profile ${this.api.profile.id} lacks this metadata operation`);
    return this.api.call(m.op, { path: pathParams(m.op, { resource: id }, key === undefined ? {} : { key }), body, negative });
  }

  /** The set an answer carries (wrapped in the operation's response member). */
  setIn(m: MetadataOp, exchange: Exchange): unknown {
    return m.response ? getAt(exchange.response?.json, `/${m.response}`) : undefined;
  }

  /** A body wrapped in the operation's request member. */
  private wrapped(m: MetadataOp | undefined, value: unknown): unknown {
    if (!m?.request) throw new Error(`profile ${this.api.profile.id}: this metadata operation takes no body`);
    return { [m.request]: value };
  }

  read(id: string) {
    return this.on(this.ops.read, id);
  }
  replace(id: string, set: Record<string, string>) {
    return this.on(this.ops.replace, id, undefined, this.wrapped(this.ops.replace, set));
  }
  merge(id: string, set: Record<string, string>) {
    return this.on(this.ops.merge, id, undefined, this.wrapped(this.ops.merge, set));
  }
  readKey(id: string, key: string, negative = false) {
    return this.on(this.ops.keyRead, id, key, undefined, negative);
  }
  writeKey(id: string, key: string, value: string) {
    return this.on(this.ops.keyWrite, id, key, this.wrapped(this.ops.keyWrite, { [key]: value }));
  }
  /** A per-key write whose body names other keys than the path (it must be refused). */
  writeKeyMismatched(id: string, pathKey: string, body: Record<string, string>) {
    return this.on(this.ops.keyWrite, id, pathKey, this.wrapped(this.ops.keyWrite, body), true);
  }
  deleteKey(id: string, key: string, negative = false) {
    return this.on(this.ops.keyDelete, id, key, undefined, negative);
  }
}
