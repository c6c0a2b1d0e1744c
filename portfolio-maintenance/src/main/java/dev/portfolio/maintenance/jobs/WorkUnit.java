package dev.portfolio.maintenance.jobs;

import java.util.Objects;

/**
 * A share of a job's work, as {@link JobHandler#plan} makes it.
 *
 * @param params what the unit covers, read back with {@link JobContext#unitParams()}
 * @param total the work it holds (for a re-embed: chunks), or -1 when unknown
 * @since 0.1.0
 */
public record WorkUnit(JobParams params, long total) {
  /** Validates the components. */
  public WorkUnit {
    Objects.requireNonNull(params, "params");
    if (total < -1) {
      throw new IllegalArgumentException("total must be >= -1 (was " + total + ")");
    }
  }

  /**
   * Returns the single unit of a job that is not split.
   *
   * @param total the work it holds, or -1 when unknown
   * @return the unit
   */
  public static WorkUnit whole(long total) {
    return new WorkUnit(JobParams.empty(), total);
  }
}
