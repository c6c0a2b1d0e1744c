package dev.portfolio.maintenance.jobs;

/**
 * How {@link JobHandler#run} ended.
 *
 * @since 0.1.0
 */
public enum UnitOutcome {
  /** The unit's work is complete. */
  DONE,
  /** The unit stopped early because it was asked to; its last checkpoint says where to resume. */
  STOPPED
}
