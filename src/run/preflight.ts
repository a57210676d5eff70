// Before anything is created: is the target the profile's API at all, reached the way the run was
// told, and in a state to be judged? The profile's first reads answer that. A misconfiguration is
// not a verdict: the run stops with one line that names the likely fix, and nothing is made.
import { randomUUID } from 'node:crypto';
import type { ProfileApi } from '../profile/api.ts';
import { SetupError } from '../profile/api.ts';
import { header, type Exchange } from '../http/exchange.ts';
import { Judge } from '../findings/judge.ts';
import { validatorsFor } from '../validate/validators.ts';

/** Why the run cannot go on against this target, in one line; undefined when it can. */
export async function misconfiguration(api: ProfileApi): Promise<string | undefined> {
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
  if (r.status >= 500) {
    // One failing operation is a defect to judge; a server error to every read is a target that
    // is down or broken, not the profile's API to judge.
    const other = await unknownShow(api);
    if (!other?.response || other.response.status >= 500) {
      return `the target answers its first reads with server errors (GET ${url} answered ${r.status}${other ? `, GET ${other.request.url} answered ${other.response?.status ?? other.error}` : ''}): it is not in a state to be judged; check that it is up`;
    }
  }
  if (r.status >= 200 && r.status < 300) {
    const type = header(exchange, 'content-type') ?? '';
    if (/html/i.test(type) || /^\s*</.test(r.body)) return `GET ${url} answered an HTML page, not the ${api.profile.id} API: check the base URL`;
    const items = api.model.lists.items;
    if (!Array.isArray(api.items(exchange)) || !(r.json && typeof r.json === 'object' && items in (r.json as object))) {
      return `GET ${url} answered ${r.status} without a "${items}" list: this is not the ${api.profile.id} API (check the base URL and --profile)`;
    }
  }
  return undefined;
}

/** A show of an id that does not exist, where the profile's show needs nothing but the id. */
async function unknownShow(api: ProfileApi): Promise<Exchange | undefined> {
  try {
    return await api.show(randomUUID(), { negative: true });
  } catch {
    return undefined;
  }
}

/**
 * What the first reads say of the target's shape, by the profile's own checks: whether the list's
 * body holds to the list's schema and an unknown id's error to the error envelope. Headers, statuses
 * and the like are defects to judge, not another API.
 */
async function firstReadShape(api: ProfileApi): Promise<{ list?: string; envelope?: string }> {
  const judge = new Judge(api.profile, validatorsFor(api.profile));
  const judged = api.with(judge.listener());
  await judged.list();
  await unknownShow(judged);
  const failed = judge.failures();
  const first = (check: string) => failed.find((f) => f.check === check);
  const say = (f: { clause: string; title?: string } | undefined) => f && `${f.clause} ${f.title}`;
  return { list: say(first('body.schema')), envelope: say(first('envelope.shape')) };
}

/**
 * Whether the target is another profile's API: its first reads fail this profile's shapes, both
 * the list's and the error envelope's, and hold to another profile's, as a Cinder read with
 * --profile huawei-dws does. A target that fails only one, or every profile's, is a defective one,
 * for the run to judge. `others` opens each other profile's API to the same target.
 */
export async function anotherApi(api: ProfileApi, others: Array<() => ProfileApi>): Promise<string | undefined> {
  const shape = await firstReadShape(api);
  if (!shape.list || !shape.envelope) return undefined;
  const matching: string[] = [];
  for (const open of others) {
    const other = open();
    const theirs = await firstReadShape(other);
    if (!theirs.list && !theirs.envelope) matching.push(other.profile.id);
  }
  if (!matching.length) return undefined;
  return `the target answers as the ${matching.join(' or ')} API, not the ${api.profile.id} one (${shape.list}; ${shape.envelope}): check --profile`;
}

/**
 * The parent the run is given (--volume-id, --cluster-id: `option`) must exist and be ready; where
 * the run finds its parent on the target rather than making one, it must find one.
 */
export async function parentProblem(api: ProfileApi, given: { id: string; option: string } | undefined): Promise<string | undefined> {
  const parent = api.parent;
  if (given) {
    const what = given.option.replace(/^--|-id$/g, '');
    const shown = await parent.show(given.id);
    const status = shown.response?.status;
    if (status === 404) return `${given.option} ${given.id}: the target has no such ${what} (GET ${shown.request.url} answered 404)`;
    if (status !== 200) return `${given.option} ${given.id}: the ${what} cannot be read (GET ${shown.request.url} answered ${status ?? shown.error})`;
    // One still being made is waited for; one in any other state than ready is not the run's to use.
    const wait = await parent.waitReady(given.id);
    if (wait.observation.outcome !== 'reached') return `${given.option} ${given.id}: the ${what} is not ready (seen ${wait.observation.seen.join(' -> ')}): give one that is`;
    return undefined;
  }
  if (parent.makeable) return undefined;
  try {
    // Where the API makes no parent, making one is finding one: only reads.
    await parent.make('');
  } catch (error) {
    if (error instanceof SetupError) return `no parent to take snapshots of: ${error.message}: check --profile and the base URL, or give one (--volume-id or --cluster-id)`;
    throw error;
  }
  return undefined;
}
