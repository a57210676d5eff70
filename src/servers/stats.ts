// What a reference server counts of the traffic it gets (tests read it: a read-only run makes no writes).

export interface Stats {
  requests: number;
  writes: number;
  byMethod: Record<string, number>;
}

/** The methods that change something on a server. */
export const WRITE_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'];

export const newStats = (): Stats => ({ requests: 0, writes: 0, byMethod: {} });

/** Counts one request by its method. */
export function countRequest(stats: Stats, method: string): void {
  stats.requests++;
  stats.byMethod[method] = (stats.byMethod[method] ?? 0) + 1;
  if (WRITE_METHODS.includes(method)) stats.writes++;
}

/** A copy, so a reader never sees later counts. */
export const copyStats = (stats: Stats): Stats => ({ requests: stats.requests, writes: stats.writes, byMethod: { ...stats.byMethod } });
