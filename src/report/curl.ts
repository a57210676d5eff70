// A curl command that sends a recorded request again. The token is never in it: the auth header's
// value is a shell variable the reader sets ($SC_TOKEN).
import type { StoredExchange } from '../findings/types.ts';
import { isSecretName } from '../http/redact.ts';

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export function curlCommand(ex: StoredExchange): string {
  const parts = ['curl -i', `-X ${ex.request.method}`, quote(ex.request.url)];
  for (const [name, value] of Object.entries(ex.request.headers)) {
    parts.push(isSecretName(name) ? `-H "${name}: $SC_TOKEN"` : `-H ${quote(`${name}: ${value}`)}`);
  }
  if (ex.request.body !== undefined) parts.push(`--data-raw ${quote(ex.request.body)}`);
  return parts.join(' \\\n  ');
}
