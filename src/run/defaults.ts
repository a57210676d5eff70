// The defaults of everything a user may leave out of a run, written once: the run's settings, the
// CLI's help and the README use these. (No imports: `--help` reads it without loading the suite.)
export const DEFAULTS = {
  examples: 20,
  concurrency: 2,
  /** Processes that run the tests: against the embedded servers the run is bound by this machine's CPU (2). */
  workers: 2,
  /** Against a target of its own the run mostly waits on it: more tests at once (the quota allowing). */
  workersRemote: 4,
  requestTimeoutSeconds: 30,
  /** Long enough for a slow cloud, short enough for a CI job. */
  budgetSeconds: 3600,
  /** Tens of seconds: the first failing case is already known; shrinking only makes it smaller. */
  shrinkBudgetSeconds: 30,
} as const;
