package dev.portfolio.maintenance.health;

/**
 * What became of one repair of a health check run with {@code fix}.
 *
 * @since 0.1.0
 */
public enum RepairOutcome {
  /** The repair ran to its end: the second check shows its effect. */
  DONE,
  /** A job was submitted to the job queue; a worker carries it out later. */
  QUEUED,
  /** The repair was not attempted; the detail says why (no embedder, nothing to do, ...). */
  SKIPPED,
  /** The repair was attempted and failed; the detail names the error. */
  FAILED
}
