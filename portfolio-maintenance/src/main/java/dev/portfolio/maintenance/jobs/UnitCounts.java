package dev.portfolio.maintenance.jobs;

/**
 * How many of a job's work units are in each state.
 *
 * @param total every unit (0 before the job is planned)
 * @param queued waiting for a worker
 * @param running leased by a worker
 * @param completed done
 * @param failed failed permanently
 * @param cancelled stopped by a cancellation or by the job's failure
 * @since 0.1.0
 */
public record UnitCounts(
    int total, int queued, int running, int completed, int failed, int cancelled) {
  /** No units. */
  public static final UnitCounts NONE = new UnitCounts(0, 0, 0, 0, 0, 0);
}
