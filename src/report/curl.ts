// A curl command that sends a recorded request again, as the suite sent it. Stored exchanges hold
// the run's secrets as "[redacted]" (wherever they appeared: a header, the URL, the body). In a
// header the run added with --header, that is the header's own shell variable
// ($SC_HEADER_X_GATEWAY_KEY for X-Gateway-Key); everywhere else it is the token, $SC_TOKEN. The
// reader sets them. A header the suite did not send (a request without a token) stays absent, and a
// value it sent on purpose (an invalid token) stays literally as sent, so the command replays
// exactly the case that was judged.
import type { StoredExchange } from '../findings/types.ts';
import { REDACTED } from '../http/redact.ts';

/** The placeholder as stored, plain or percent-encoded (a redacted query parameter). */
const PLACEHOLDER = new RegExp(`${escapeRegExp(REDACTED)}|${escapeRegExp(encodeURIComponent(REDACTED))}`, 'g');
export const TOKEN_VARIABLE = '$SC_TOKEN';

/** The shell variable that holds the value of a --header NAME: SC_HEADER_ and the name in capitals, "-" as "_". */
export const headerVariable = (name: string) => `SC_HEADER_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * One shell word for a text: single-quoted, with every "[redacted]" replaced by a variable (the
 * token's unless told) in double quotes (adjacent quoted strings make one word: 'X-Auth-Token: '"$SC_TOKEN").
 */
export function shellWord(text: string, variable = TOKEN_VARIABLE): string {
  const parts = text.split(PLACEHOLDER);
  if (parts.length === 1) return quote(text);
  return parts.map((p) => (p ? quote(p) : '')).join(`"${variable}"`);
}

/** `headers`: the names of the headers the run added (--header), each replayed from its own variable. */
export function curlCommand(ex: StoredExchange, headers: readonly string[] = []): string {
  const added = new Set(headers.map((h) => h.toLowerCase()));
  const parts = ['curl -i', `-X ${ex.request.method}`, shellWord(ex.request.url)];
  for (const [name, value] of Object.entries(ex.request.headers)) {
    parts.push(`-H ${shellWord(`${name}: ${value}`, added.has(name.toLowerCase()) ? `$${headerVariable(name)}` : TOKEN_VARIABLE)}`);
  }
  if (ex.request.body !== undefined) parts.push(`--data-raw ${shellWord(ex.request.body)}`);
  return parts.join(' \\\n  ');
}

/** The shell variables a command needs set: $SC_TOKEN where it carried the run's token, one per added header. */
export function variablesOf(command: string): string[] {
  return [...new Set(command.match(/\$SC_[A-Z0-9_]+/g) ?? [])].map((v) => v.slice(1));
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
