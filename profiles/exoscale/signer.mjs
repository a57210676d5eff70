// Exoscale's request signature, EXO2-HMAC-SHA256 (https://openapi-v2.exoscale.com/topic/topic-api-request-signature):
// an HMAC-SHA256, keyed with the API secret, of five lines joined by "\n": the method and the path,
// the body as sent, the values of the query parameters that have one value (names sorted), the
// signed headers' values (none), and when the signature expires (Unix seconds). The credentials are
// the API key and its secret, given to the run as KEY:SECRET.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** How long a signature holds. */
const VALID_SECONDS = 600;

const split = (credentials) => {
  const at = credentials.indexOf(':');
  return at < 0 ? { key: credentials, secret: '' } : { key: credentials.slice(0, at), secret: credentials.slice(at + 1) };
};

/** The query parameters that carry exactly one value, by name, sorted. */
function singleValued(url) {
  const names = [...new Set(url.searchParams.keys())].filter((n) => url.searchParams.getAll(n).length === 1 && url.searchParams.get(n) !== '').sort();
  return { names, values: names.map((n) => url.searchParams.get(n)).join('') };
}

function signature(secret, method, url, body, expires) {
  const { values } = singleValued(url);
  const message = [`${method} ${url.pathname}`, body ?? '', values, '', String(expires)].join('\n');
  return createHmac('sha256', secret).update(message).digest('base64');
}

/** The Authorization header of a request, signed with these credentials. */
export function sign(request, credentials) {
  const { key, secret } = split(credentials);
  const url = new URL(request.url);
  const expires = Math.floor(Date.now() / 1000) + VALID_SECONDS;
  const { names } = singleValued(url);
  const parts = [`EXO2-HMAC-SHA256 credential=${key}`, ...(names.length ? [`signed-query-args=${names.join(';')}`] : []), `expires=${expires}`, `signature=${signature(secret, request.method, url, request.body, expires)}`];
  return { Authorization: parts.join(',') };
}

/** Whether a request carries a signature of these credentials that has not expired. */
export function verify(request, credentials) {
  const header = request.headers.authorization ?? '';
  const m = /^EXO2-HMAC-SHA256 (.*)$/.exec(header);
  if (!m) return false;
  const fields = Object.fromEntries(m[1].split(',').map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]));
  const { key, secret } = split(credentials);
  const expires = Number(fields.expires);
  if (fields.credential !== key || !Number.isInteger(expires) || expires < Date.now() / 1000) return false;
  const want = Buffer.from(signature(secret, request.method, new URL(request.url), request.body, expires));
  const got = Buffer.from(fields.signature ?? '');
  return want.length === got.length && timingSafeEqual(want, got);
}

export default { sign, verify };
