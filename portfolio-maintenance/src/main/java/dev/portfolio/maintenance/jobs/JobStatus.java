package dev.portfolio.maintenance.jobs;

import dev.portfolio.core.error.InvalidInputException;
import java.util.Locale;

/**
 * Where a job stands. {@code QUEUED -> RUNNING -> COMPLETED | FAILED}; {@code PAUSED} from queued
 * or running and back with resume; {@code CANCELLED} from any state that is not finished.
 *
 * @since 0.1.0
 */
public enum JobStatus {
  /** Submitted; no worker has started it. */
  QUEUED,
  /** A worker has started it; its units are being worked on or wait for a worker. */
  RUNNING,
  /** Paused: running units finish their current batch and stop; none starts until resumed. */
  PAUSED,
  /** Every unit and the last step are done. */
  COMPLETED,
  /** A unit or step failed more often than the job's attempts allow, or failed permanently. */
  FAILED,
  /** Cancelled: never starts, or stopped at the next batch boundary. */
  CANCELLED;

  /**
   * Tells whether the job is over (completed, failed or cancelled).
   *
   * @return true when nothing more will happen to it
   */
  public boolean finished() {
    return this == COMPLETED || this == FAILED || this == CANCELLED;
  }

  /**
   * Returns the name stored in the database and shown to people.
   *
   * @return the lower-case name, e.g. {@code running}
   */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a status name, in any case.
   *
   * @param value the name, e.g. {@code running}
   * @return the status
   * @throws InvalidInputException naming the accepted values
   */
  public static JobStatus parse(String value) {
    if (value != null) {
      for (JobStatus s : values()) {
        if (s.name().equalsIgnoreCase(value.strip())) {
          return s;
        }
      }
    }
    throw new InvalidInputException(
        "status",
        "Unknown job status '"
            + value
            + "': use one of queued, running, paused, completed, failed, cancelled");
  }
}
