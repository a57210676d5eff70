// A recorded HTTP exchange: what was sent, what came back, how long it took. Checks judge these and
// nothing else, and the report shows them as evidence. Secrets are removed before one is stored.

export interface Exchange {
  id: string;
  /** The operationId it exercised, when it exercised one. */
  operation?: string;
  request: { method: string; url: string; headers: Record<string, string>; body?: string };
  response?: {
    status: number;
    headers: Record<string, string>;
    /** The body as text, cut at BODY_LIMIT characters (bodyBytes tells the real size). */
    body: string;
    bodyBytes: number;
    truncated: boolean;
    /** The body parsed as JSON, when it is JSON and at most PARSE_LIMIT bytes; undefined otherwise. */
    json?: unknown;
  };
  /** A transport failure (refused, reset, timed out) instead of a response. */
  error?: string;
  /** Which attempt this was, when the target answered "busy, try again" before (1 = first). */
  attempt?: number;
  /** How many attempts this request was allowed (fewer than the profile's bound once the target stayed busy through it). */
  attempts?: number;
  /** What the request was for, when it was not a request that should succeed (see Purpose). */
  purpose?: Purpose;
  startedAt: number;
  durationMs: number;
}

/**
 * Why a request was sent, when the target should not simply do it: `auth`, without the run's token
 * or with a wrong one (only the auth clauses judge the answer); `negative`, a request the target
 * must refuse (judged by the refusal and envelope clauses, never by the operation's contract).
 */
export type Purpose = 'auth' | 'negative';

export const BODY_LIMIT = 64 * 1024;
/** Bodies larger than this are not parsed (json stays undefined). */
export const PARSE_LIMIT = 8 * 1024 * 1024;

export const header = (ex: Exchange, name: string): string | undefined =>
  ex.response?.headers[name.toLowerCase()];

/** Parses a body as JSON; undefined when it is empty or not JSON. */
export function parseJson(text: string): unknown {
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
