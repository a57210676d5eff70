// The defaults of everything a user may leave out of a run, written once: the run's settings, the
// CLI's help and the README use these. (No imports: `--help` reads it without loading the suite.)
export const DEFAULTS = {
  examples: 20,
  concurrency: 2,
  workers: 2,
  requestTimeoutSeconds: 30,
  /** Long enough for a slow cloud, short enough for a CI job. */
  budgetSeconds: 3600,
  /** Tens of seconds: the first failing case is already known; shrinking only makes it smaller. */
  shrinkBudgetSeconds: 30,
} as const;
