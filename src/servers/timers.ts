// Time in the reference servers, the same way for every one: status transitions scheduled after a
// hold (creating -> available, deleting -> gone), waits inside a request (a synchronous create, a
// busy tenant), and close(), which clears them all so a stopped server leaves nothing running.

/**
 * How long a resource stays in a transition state (creating, deleting) unless told otherwise:
 * long enough for a client to see the state it passes through, short enough that a run of the
 * suite does not wait on it. A real Cinder with the fake driver takes about 100 ms.
 */
export const HOLD_MS = 15;

/**
 * How long a resource stays being created where a fault lets it be deleted meanwhile: long enough
 * that a delete wrongly accepted is seen to have come while it was being created.
 */
export const SLOW_CREATE_MS = 300;

/** Thrown into pending waits by close(), so handlers stop without answering. */
export class ServerClosed extends Error {
  constructor() {
    super('the server is closing');
  }
}

interface Wait {
  timer: NodeJS.Timeout;
  reject(error: Error): void;
}

export class Timers {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly waits = new Set<Wait>();
  private closed = false;

  /** Runs fn after ms, unless the server closes first. Never keeps the process alive. */
  later(ms: number, fn: () => void): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    timer.unref(); // a forgotten server must not keep the process alive
    this.timers.add(timer);
  }

  /**
   * A status transition after a hold: once ms have passed, `settle` runs if the resource is still
   * in `from` (one deleted, reset or otherwise moved on meanwhile is left as it is).
   */
  transition<T extends { status: string }>(resource: T, from: string, ms: number, settle: (resource: T) => void): void {
    this.later(ms, () => {
      if (resource.status === from) settle(resource);
    });
  }

  /** The time a request takes to be processed; rejects with ServerClosed if the server closes. */
  wait(ms: number): Promise<void> {
    if (this.closed) return Promise.reject(new ServerClosed());
    return new Promise<void>((resolve, reject) => {
      const entry: Wait = {
        timer: setTimeout(() => {
          this.waits.delete(entry);
          resolve();
        }, ms),
        reject,
      };
      this.waits.add(entry);
    });
  }

  /** Clears every scheduled transition and ends every wait (with ServerClosed). */
  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const w of this.waits) {
      clearTimeout(w.timer);
      w.reject(new ServerClosed());
    }
    this.waits.clear();
  }
}
