package dev.portfolio.maintenance.jobs;

/**
 * Why a running unit is asked to stop.
 *
 * @since 0.1.0
 */
public enum StopReason {
  /** The job was paused: the unit goes back to the queue and resumes from its checkpoint. */
  PAUSED,
  /** The job was cancelled, or failed in another unit. */
  CANCELLED,
  /** The worker is shutting down: the unit goes back to the queue for another worker. */
  SHUTDOWN,
  /**
   * The worker lost the unit's lease (it could not renew it in time, or another worker took the
   * unit over): the unit's work must stop at once.
   */
  LEASE_LOST
}
