// A curl command that sends a recorded request again, as the suite sent it. Stored exchanges hold
// the run's real token as "[redacted]" (wherever it appeared: a header, the URL, the body); only
// that becomes the shell variable $SC_TOKEN, which the reader sets. A header the suite did not send
// (a request without a token) stays absent, and a value it sent on purpose (an invalid token) stays
// literally as sent, so the command replays exactly the case that was judged.
import type { StoredExchange } from '../findings/types.ts';
import { REDACTED } from '../http/redact.ts';

/** The placeholder as stored, plain or percent-encoded (a redacted query parameter). */
const PLACEHOLDER = new RegExp(`${escapeRegExp(REDACTED)}|${escapeRegExp(encodeURIComponent(REDACTED))}`, 'g');
export const TOKEN_VARIABLE = '$SC_TOKEN';

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * One shell word for a text: single-quoted, with every "[redacted]" replaced by "$SC_TOKEN" in
 * double quotes (adjacent quoted strings make one word: 'X-Auth-Token: '"$SC_TOKEN").
 */
export function shellWord(text: string): string {
  const parts = text.split(PLACEHOLDER);
  if (parts.length === 1) return quote(text);
  return parts.map((p) => (p ? quote(p) : '')).join(`"${TOKEN_VARIABLE}"`);
}

export function curlCommand(ex: StoredExchange): string {
  const parts = ['curl -i', `-X ${ex.request.method}`, shellWord(ex.request.url)];
  for (const [name, value] of Object.entries(ex.request.headers)) parts.push(`-H ${shellWord(`${name}: ${value}`)}`);
  if (ex.request.body !== undefined) parts.push(`--data-raw ${shellWord(ex.request.body)}`);
  return parts.join(' \\\n  ');
}

/** Whether the command needs $SC_TOKEN set (the request carried the run's token). */
export const needsToken = (ex: StoredExchange): boolean => curlCommand(ex).includes(TOKEN_VARIABLE);

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
