// The one retry policy of a profile API: every "come back later" a target may answer, under one
// time budget per request. A documented "busy, try again" (ECL's and DWS's 409) is sent again with
// backoff within the profile's bound; a rate limit or an overload that says when to come back
// (Retry-After on 413, 429 or 503) is waited out when the wait is short; a create refused as over
// the quota is sent again after short waits (the quota is usually held by the run's own resources
// of the moment, which other tests are removing). Every attempt is an exchange of its own, so the
// report can say how often each happened. What ran out once in the run is tried less later.
import type { Exchange } from '../http/exchange.ts';
import { sleep, type OutgoingRequest, type Transport } from '../http/transport.ts';
import type { Transitions } from '../resources/waiter.ts';
import { refusalStatuses, type Operation } from './load.ts';
import type { ProfileModel } from './model.ts';

/** Waits before a create refused as over the quota is sent again. */
const QUOTA_WAITS_MS = [250, 500, 1000, 2000, 4000];

/** "Come back later" answers honoured: at most this many waits per request, each at most this long. */
const RETRY_AFTER = { statuses: [413, 429, 503], waits: 3, maxSeconds: 60 };

/** No request is retried for longer than this, whatever made it wait. */
const BUDGET_MS = 3 * 60_000;

/** Whether a wait of ms still ends before the request's deadline. */
const affordable = (deadline: number, ms: number) => performance.now() + ms <= deadline;

/**
 * How long a "come back later" answer asks to wait, when it is a wait the run can afford: its
 * Retry-After, or the profile's rate-limit reset header (seconds to wait, or the Unix time to
 * wait for) on a rate-limited answer.
 */
export function retryAfterMs(exchange: Exchange, rateLimit?: ProfileModel['rateLimit']): number | undefined {
  const r = exchange.response;
  if (!r) return undefined;
  const raw = r.headers['retry-after']?.trim();
  let seconds: number | undefined;
  if (raw && RETRY_AFTER.statuses.includes(r.status)) seconds = /^\d+$/.test(raw) ? Number(raw) : (Date.parse(raw) - Date.now()) / 1000;
  else if (rateLimit && (rateLimit.statuses ?? [429]).includes(r.status)) {
    const reset = Number(r.headers[rateLimit.reset.header.toLowerCase()]?.trim());
    if (Number.isFinite(reset)) seconds = rateLimit.reset.unit === 'epoch' ? reset - Date.now() / 1000 : reset;
    // Reset now or in the past: try again at once, once.
    if (seconds !== undefined && seconds <= 0) seconds = 0.05;
  }
  return seconds !== undefined && Number.isFinite(seconds) && seconds > 0 && seconds <= RETRY_AFTER.maxSeconds ? seconds * 1000 : undefined;
}

export interface RetryOptions {
  op?: Operation;
  /** A create meant to meet the quota: the over-quota answer is what it looks for, not waited out. */
  untilRefused?: boolean;
  /** A request the target must refuse, or sent with a token of the test's choosing: no quota waits. */
  probing?: boolean;
}

export class RetryPolicy {
  constructor(
    private readonly profileId: string,
    private readonly model: ProfileModel,
    private readonly transitions: Transitions,
  ) {}

  /**
   * Sends a request until the target stops saying "later" or the policy's bounds are reached.
   * `prepare` makes each attempt's request (a signature may depend on the time it is sent).
   */
  async send(transport: Transport, prepare: () => Promise<OutgoingRequest>, options: RetryOptions = {}): Promise<Exchange> {
    const { op } = options;
    const deadline = performance.now() + BUDGET_MS;
    const busy = this.model.busy;
    // Once the target stayed busy through the whole bound in this run, later requests try twice only.
    const stayedBusy = busy && `${this.profileId}:busy`;
    const busyAttempts = stayedBusy ? (this.transitions.timedOutAfter(stayedBusy) !== undefined ? Math.min(2, busy.attempts) : busy.attempts) : undefined;
    const overQuota = op?.creates && !options.probing && !options.untilRefused ? refusalStatuses(op, 'over-quota') : [];
    // Once the quota stayed taken through every wait in this run, later creates wait once only.
    const full = overQuota.length ? `${this.profileId}:quota` : '';
    const quotaWaits = overQuota.length ? (this.transitions.timedOutAfter(full) !== undefined ? QUOTA_WAITS_MS.slice(0, 1) : QUOTA_WAITS_MS) : [];
    let busyAttempt = 1;
    let quotaWait = 0;
    let politeWaits = 0;
    for (;;) {
      const request = await prepare();
      // The attempt is numbered where the profile has a busy answer to try again on (the report counts them).
      const exchange = await transport.send(stayedBusy ? { ...request, attempt: busyAttempt, attempts: busyAttempts } : request);
      const status = exchange.response?.status ?? 0;
      const polite = politeWaits < RETRY_AFTER.waits ? retryAfterMs(exchange, this.model.rateLimit) : undefined;
      if (polite !== undefined && affordable(deadline, polite)) {
        politeWaits++;
        await sleep(polite);
        continue;
      }
      if (stayedBusy && busyAttempts && status === busy.status) {
        if (busyAttempt >= busyAttempts) {
          if (busyAttempts === busy.attempts) this.transitions.timeout(stayedBusy, busyAttempts);
          return exchange;
        }
        const wait = busy.delayMs * Math.min(2 ** (busyAttempt - 1), 8);
        if (!affordable(deadline, wait)) return exchange;
        busyAttempt++;
        await sleep(wait);
        continue;
      }
      // A write went through (refusals of a bad request do not say the target is free): a busy
      // spell that ran out before is over. Reads are never busy.
      const wrote = request.method !== 'GET' && request.method !== 'HEAD' && status >= 200 && status < 300;
      if (stayedBusy && wrote && busyAttempts !== undefined && busyAttempts < busy.attempts) this.transitions.recovered(stayedBusy);
      if (overQuota.includes(status)) {
        if (quotaWait >= quotaWaits.length || !affordable(deadline, quotaWaits[quotaWait]!)) {
          if (quotaWaits.length === QUOTA_WAITS_MS.length) this.transitions.timeout(full, QUOTA_WAITS_MS.reduce((a, b) => a + b, 0));
          return exchange;
        }
        await sleep(quotaWaits[quotaWait++]!);
        continue;
      }
      // A create went through: the quota is free again for the next ones.
      if (overQuota.length && wrote && quotaWaits.length < QUOTA_WAITS_MS.length) this.transitions.recovered(full);
      return exchange;
    }
  }
}
