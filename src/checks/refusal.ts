// A request the target must refuse: it answers a 4xx (never a 2xx, a 3xx or a 5xx), and one the
// operation documents for that kind of refusal (x-refusal on the response).
import type { Exchange } from '../http/exchange.ts';
import { refusalStatuses, type Operation } from '../profile/load.ts';
import { defineCheck } from './check.ts';

export type RefusalKind =
  | 'malformed-body'
  | 'invalid-body'
  | 'invalid-query'
  | 'invalid-state'
  | 'unknown-resource'
  | 'unauthenticated'
  | 'unsupported-media-type'
  | 'unsupported-version'
  | 'over-quota'
  | 'per-parent-limit'
  | 'duplicate';

export const refused = defineCheck<{ exchange: Exchange; operation: Operation; kind: RefusalKind }>({
  id: 'refusal.status',
  summary: 'A request that must be refused gets a 4xx documented for that refusal.',
  judge({ exchange, operation, kind }) {
    const documented = refusalStatuses(operation, kind);
    const expected = documented.length ? documented.join(' or ') : 'a 4xx';
    if (!exchange.response) return [{ title: 'no answer', expected, actual: exchange.error ?? 'none' }];
    const status = exchange.response.status;
    if (status >= 200 && status < 300) return [{ title: `accepted (${status}) instead of refused`, expected, actual: String(status) }];
    if (status >= 500) return [{ title: `server error (${status}) instead of a refusal`, expected, actual: String(status) }];
    if (status < 400) return [{ title: `answered ${status} instead of a refusal`, expected, actual: String(status) }];
    if (documented.length && !documented.includes(status)) {
      return [{ title: `refused with ${status} instead of ${expected}`, expected, actual: String(status) }];
    }
    return [];
  },
});
