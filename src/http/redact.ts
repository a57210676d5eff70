// Secrets never leave the process: every exchange, message and artifact goes through a Redactor.
// It removes the values it was told about wherever they appear, and the value of any header or
// query parameter whose name says it holds a secret.

// "key" alone is too wide (sort_key is not a secret): only names that say what kind of key.
const SECRET_NAME =
  /auth|token|pass(word|wd)?|secret|cookie|session|credential|signature|(api|access|private|secret|x-[a-z]+)[-_]?key|^key$/i;
export const REDACTED = '[redacted]';

export class Redactor {
  private readonly secrets: string[];

  constructor(secrets: Array<string | undefined>) {
    // Longest first, so a secret that contains another is removed whole.
    this.secrets = [...new Set(secrets.filter((s): s is string => Boolean(s && s.length >= 4)))].sort(
      (a, b) => b.length - a.length,
    );
  }

  text(value: string): string {
    let out = value;
    for (const secret of this.secrets) out = out.split(secret).join(REDACTED);
    return out;
  }

  /** Headers with secrets removed; `plain` names headers whose values are known to be no secret. */
  headers(headers: Record<string, string>, plain: string[] = []): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
      out[name] = SECRET_NAME.test(name) && !plain.includes(name) ? REDACTED : this.text(value);
    }
    return out;
  }

  url(url: string): string {
    // Nothing but the path to look at: no query, no credentials.
    if (!url.includes('?') && !url.includes('@')) return this.text(url);
    try {
      const u = new URL(url);
      for (const name of [...u.searchParams.keys()]) {
        if (SECRET_NAME.test(name)) u.searchParams.set(name, REDACTED);
      }
      if (u.password) u.password = REDACTED;
      return this.text(u.toString());
    } catch {
      return this.text(url);
    }
  }
}

export const isSecretName = (name: string) => SECRET_NAME.test(name);
