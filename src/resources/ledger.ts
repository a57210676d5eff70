// What the run created on the target. An entry is written before the create is sent (so a crash
// between send and reply is still on record) and updated when the answer names the new id; the
// cleanup deletes whatever is left. One JSON line per event in <run dir>/ledger.jsonl.
import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Exchange } from '../http/exchange.ts';
import type { OutgoingRequest, TransportListener } from '../http/transport.ts';
import type { Profile } from '../profile/load.ts';
import { modelOf } from '../profile/api.ts';
import { fieldPath } from '../profile/model.ts';
import { escapePointer, getAt } from '../util/pointer.ts';

export interface LedgerEntry {
  /** Identifies the entry across the lines of the file. */
  key: string;
  kind: string;
  name?: string;
  id?: string;
  /** intended: sent, no id known; created: exists; deleting: delete accepted; gone: confirmed absent. */
  state: 'intended' | 'created' | 'deleting' | 'gone';
  /**
   * When the target answered the create, or accepted the delete (ms since the epoch): what is left
   * of the state timeout for the clean-up's wait counts from here.
   */
  changedAt?: number;
}

export class Ledger {
  readonly entries: LedgerEntry[] = [];

  constructor(
    private readonly profile: Profile,
    readonly runId: string,
    readonly file?: string,
  ) {
    if (file) mkdirSync(dirname(file), { recursive: true });
  }

  /** Where a kind's id is in a create answer, and its name in the create body. */
  private pointers(kind: string): { id: string; name?: string } {
    const { resource: r, parent } = modelOf(this.profile);
    if (kind === r.kind) return { id: r.id, name: `/${fieldPath(r.fields.name, r.requestWrapper).map(escapePointer).join('/')}` };
    return { id: parent.id, name: parent.name };
  }

  /** The ledger as a listener of a transport: what a create is about to make, and what it made. */
  listener(): TransportListener {
    const pending = new Map<OutgoingRequest, LedgerEntry>();
    return {
      sending: (request) => {
        if (request.creates) pending.set(request, this.intend(request.creates, request.body, request.naming));
      },
      received: (exchange, request) => {
        const entry = pending.get(request);
        if (entry) {
          pending.delete(request);
          this.created(entry, exchange);
        }
        if (request.deletes) this.deleted(request.deletes, request.url, exchange);
        if (this.awaiting.size && request.method === 'GET') this.polled(exchange);
      },
    };
  }

  intend(kind: string, body: string | undefined, naming?: string): LedgerEntry {
    let name: string | undefined = naming;
    try {
      const pointer = this.pointers(kind).name;
      const value = name !== undefined || body === undefined || !pointer ? undefined : getAt(JSON.parse(body), pointer);
      if (typeof value === 'string') name = value;
    } catch {
      // A malformed body (a negative test) still gets its entry: the target might accept it.
    }
    const entry: LedgerEntry = { key: randomUUID(), kind, name, state: 'intended' };
    this.entries.push(entry);
    this.write('intend', entry);
    return entry;
  }

  created(entry: LedgerEntry, exchange: Exchange): void {
    const status = exchange.response?.status ?? 0;
    const id = getAt(exchange.response?.json, this.pointers(entry.kind).id);
    if (status >= 200 && status < 300 && typeof id === 'string') this.identify(entry, id);
    else if (status >= 200 && status < 300) {
      // Accepted, its id still to come: from the operation the answer points to, once polled; until
      // then the entry stays intended, found by its name.
      const ref = operationRef(this.profile, exchange);
      if (ref) this.awaiting.set(ref, entry);
    } else if (exchange.response) {
      // Refused: nothing was created. (No answer at all leaves the entry "intended" for the sweep.)
      this.entries.splice(this.entries.indexOf(entry), 1);
      this.write('refused', entry);
    }
  }

  private identify(entry: LedgerEntry, id: string): void {
    entry.id = id;
    entry.state = 'created';
    entry.changedAt = Date.now();
    this.write('created', entry);
  }

  /** Creates whose operation is still to say what they made: by the operation's id or URL path. */
  private readonly awaiting = new Map<string, LedgerEntry>();

  /** A poll of an operation a create answered with: once it names the resource, the entry has its id. */
  private polled(exchange: Exchange): void {
    const o = modelOf(this.profile).operations;
    if (!o) return;
    const path = pathOf(exchange.request.url);
    for (const [ref, entry] of this.awaiting) {
      if (!path.endsWith(ref) && !path.includes(`/${ref}`)) continue;
      const id = getAt(exchange.response?.json, o.resource);
      if (typeof id !== 'string' || entry.state !== 'intended') continue;
      this.awaiting.delete(ref);
      this.identify(entry, id);
    }
  }

  deleted(kind: string, url: string, exchange: Exchange): void {
    const status = exchange.response?.status ?? 0;
    // A delete sent without the run's token that "succeeded" proves nothing (Cinder's noauth
    // answers it itself with 204): the entry stays to be deleted.
    if (status < 200 || status >= 300 || exchange.purpose === 'auth') return;
    const entry = this.entries.find((e) => e.kind === kind && e.id && url.includes(encodeURIComponent(e.id)));
    if (entry && entry.state === 'created') {
      entry.state = 'deleting';
      entry.changedAt = Date.now();
      this.write('deleting', entry);
    }
  }

  /**
   * A resource the target made although it said it did not (a refused create that created): the
   * suite found it by the name it sent, so it is the run's to remove.
   */
  adopt(kind: string, id: string, name?: string): void {
    if (this.entries.some((e) => e.id === id)) return;
    const entry: LedgerEntry = { key: randomUUID(), kind, name, id, state: 'created' };
    this.entries.push(entry);
    this.write('adopted', entry);
  }

  gone(entry: LedgerEntry): void {
    entry.state = 'gone';
    this.write('gone', entry);
  }

  /**
   * The ledger as the file tells it, all workers together: what set-up, tests and clean-ups of
   * these runs (all, when none is named) did for a profile. The final clean-up and the sweep
   * start from here.
   */
  static fromFile(profile: Profile, runs: string | string[] | undefined, file: string): Ledger {
    const runIds = typeof runs === 'string' ? [runs] : runs;
    const ledger = new Ledger(profile, runIds?.length === 1 ? runIds[0]! : 'sweep', file);
    if (!existsSync(file)) return ledger;
    const byKey = new Map<string, LedgerEntry>();
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      let event: LedgerEntry & { run: string; profile: string; event: string };
      try {
        event = JSON.parse(line);
      } catch {
        continue; // a line cut by a crash
      }
      if ((runIds && !runIds.includes(event.run)) || event.profile !== profile.id) continue;
      if (event.event === 'refused') byKey.delete(event.key);
      else byKey.set(event.key, { key: event.key, kind: event.kind, name: event.name, id: event.id, state: event.state, changedAt: event.changedAt });
    }
    ledger.entries.push(...byKey.values());
    return ledger;
  }

  /** Entries not yet confirmed gone, of one kind. */
  outstanding(kind: string): LedgerEntry[] {
    return this.entries.filter((e) => e.kind === kind && e.state !== 'gone' && e.id);
  }

  private write(event: string, entry: LedgerEntry) {
    if (!this.file) return;
    const line = { at: new Date().toISOString(), run: this.runId, profile: this.profile.id, event, ...entry };
    appendFileSync(this.file, `${JSON.stringify(line)}\n`);
  }
}

const pathOf = (url: string) => {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
};

/** How an accepted create's answer points to its operation: the operation's id, or its URL's path. */
function operationRef(profile: Profile, exchange: Exchange): string | undefined {
  const o = modelOf(profile).operations;
  if (!o) return undefined;
  const inBody = o.url ? getAt(exchange.response?.json, o.url) : undefined;
  const url = o.header ? exchange.response?.headers[o.header.toLowerCase()] : typeof inBody === 'string' ? inBody : undefined;
  if (url) return pathOf(url);
  const id = o.id ? getAt(exchange.response?.json, o.id) : undefined;
  return typeof id === 'string' ? encodeURIComponent(id) : undefined;
}
