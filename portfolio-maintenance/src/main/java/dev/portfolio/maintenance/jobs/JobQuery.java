package dev.portfolio.maintenance.jobs;

import dev.portfolio.core.validation.Inputs;
import java.util.EnumSet;
import java.util.Set;

/**
 * Which jobs {@link JobQueue#list} returns: newest first, optionally by status and kind, one page
 * at a time ({@code beforeId} is the last id of the previous page).
 *
 * @param statuses the statuses wanted; empty for all
 * @param kind the kind wanted, or null for all
 * @param beforeId only jobs with a smaller id (0 for the newest)
 * @param limit at most this many, 1 to 1000
 * @since 0.1.0
 */
public record JobQuery(Set<JobStatus> statuses, String kind, long beforeId, int limit) {
  /** The default page size: {@value}. */
  public static final int DEFAULT_LIMIT = 100;

  /** Validates the components. */
  public JobQuery {
    statuses = statuses == null || statuses.isEmpty() ? Set.of() : Set.copyOf(statuses);
    if (kind != null) {
      JobRequest.requireKind(kind);
    }
    Inputs.between("jobs.limit", limit, 1, 1000);
    if (beforeId < 0) {
      throw new dev.portfolio.core.error.InvalidInputException(
          "jobs.beforeId",
          "jobs.beforeId must be >= 0, 0 meaning the newest (was " + beforeId + ")");
    }
  }

  /**
   * Returns the newest {@value #DEFAULT_LIMIT} jobs of every status and kind.
   *
   * @return the query
   */
  public static JobQuery all() {
    return new JobQuery(Set.of(), null, 0, DEFAULT_LIMIT);
  }

  /**
   * Returns a copy limited to some statuses.
   *
   * @param first a status
   * @param more more statuses
   * @return the query
   */
  public JobQuery withStatus(JobStatus first, JobStatus... more) {
    return new JobQuery(EnumSet.of(first, more), kind, beforeId, limit);
  }

  /**
   * Returns a copy limited to one kind.
   *
   * @param value the kind, or null for all
   * @return the query
   */
  public JobQuery withKind(String value) {
    return new JobQuery(statuses, value, beforeId, limit);
  }

  /**
   * Returns the next page's query.
   *
   * @param id the last id of the previous page
   * @return the query
   */
  public JobQuery before(long id) {
    return new JobQuery(statuses, kind, id, limit);
  }

  /**
   * Returns a copy with another page size.
   *
   * @param value 1 to 1000
   * @return the query
   */
  public JobQuery withLimit(int value) {
    return new JobQuery(statuses, kind, beforeId, value);
  }

  boolean matches(Job job) {
    return (statuses.isEmpty() || statuses.contains(job.status()))
        && (kind == null || kind.equals(job.kind()))
        && (beforeId == 0 || job.id() < beforeId);
  }
}
