// Before anything is created: is the target the profile's API at all, reached the way the run was
// told? The profile's first read (its list) answers that. A misconfiguration is not a verdict: the
// run stops with one line that names the likely fix, and nothing is made.
import type { ProfileApi } from '../profile/api.ts';
import { header } from '../http/exchange.ts';

/** Why the run cannot go on against this target, in one line; undefined when it can. */
export async function misconfiguration(api: ProfileApi): Promise<string | undefined> {
  const c = api.model;
  const exchange = await api.list();
  const url = exchange.request.url;
  const r = exchange.response;
  if (!r) return `the target does not answer: GET ${url} (${exchange.error})`;
  const example = api.profile.doc.servers?.[0]?.url;
  if (r.status === 404) {
    return `GET ${url} answered 404: the base URL must end in the API version and project${example ? ` (${example})` : ''}, as the service catalog gives it`;
  }
  if (r.status === 401 || r.status === 403) {
    // A gateway in front of the API refuses with the same statuses: the headers given are suspects too.
    const added = Object.keys(api.target.headers ?? {});
    if (added.length) {
      const names = added.map((h) => `--header ${h}`).join(', ');
      return `the target refused the token or ${added.length === 1 ? 'the header' : 'a header'} given (GET ${url} answered ${r.status}): check --token or SC_TOKEN${api.target.token ? '' : ' (none was given)'}, and ${names}`;
    }
    return `the target refused the token (GET ${url} answered ${r.status}): check --token or SC_TOKEN${api.target.token ? '' : ' (none was given)'}`;
  }
  if (r.status >= 300 && r.status < 400) {
    return `GET ${url} answered ${r.status}${header(exchange, 'location') ? ` to ${header(exchange, 'location')}` : ''}: give the base URL the endpoint itself serves`;
  }
  if (r.status >= 200 && r.status < 300) {
    const type = header(exchange, 'content-type') ?? '';
    if (/html/i.test(type) || /^\s*</.test(r.body)) return `GET ${url} answered an HTML page, not the ${api.profile.id} API: check the base URL`;
    if (!Array.isArray(api.items(exchange)) || !(r.json && typeof r.json === 'object' && c.lists.items in (r.json as object))) {
      return `GET ${url} answered ${r.status} without a "${c.lists.items}" list: this is not the ${api.profile.id} API (check the base URL and --profile)`;
    }
  }
  return undefined;
}
