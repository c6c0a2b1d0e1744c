package dev.portfolio.maintenance.jobs;

import java.util.Locale;

/**
 * Where a work unit stands.
 *
 * @since 0.1.0
 */
public enum UnitStatus {
  /** Waiting for a worker (new, released by a pause or shutdown, or waiting to be retried). */
  QUEUED,
  /** Leased by a worker (or by one that died, until the lease expires). */
  RUNNING,
  /** Done. */
  COMPLETED,
  /** Failed permanently; the job failed with it. */
  FAILED,
  /** Its job was cancelled or failed before it was done. */
  CANCELLED;

  /**
   * Returns the name stored in the database.
   *
   * @return the lower-case name
   */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  static UnitStatus parse(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
