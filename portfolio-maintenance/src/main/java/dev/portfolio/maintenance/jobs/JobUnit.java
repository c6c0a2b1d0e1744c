package dev.portfolio.maintenance.jobs;

import java.time.Instant;
import java.util.Objects;

/**
 * One work unit of a job: a share of its work that one worker does under one lease.
 *
 * @param jobId the job
 * @param unit the unit's number within the job, from 0
 * @param params what the unit covers (for a re-embed: a chunk-id range)
 * @param status where it stands
 * @param progressCurrent work done
 * @param progressTotal work in all, or -1 when unknown
 * @param checkpoint where a worker that takes it over resumes
 * @param attempts how often it was started and did not end cleanly (a pause or a worker's shutdown
 *     does not count)
 * @param error the last error, or null
 * @param leaseOwner the worker holding it, or null
 * @param leaseExpiresAt when that lease runs out, or null
 * @param startedAt when it was first taken, or null
 * @param finishedAt when it ended, or null
 * @since 0.1.0
 */
public record JobUnit(
    long jobId,
    int unit,
    JobParams params,
    UnitStatus status,
    long progressCurrent,
    long progressTotal,
    JobParams checkpoint,
    int attempts,
    String error,
    String leaseOwner,
    Instant leaseExpiresAt,
    Instant startedAt,
    Instant finishedAt) {
  /** Validates the components. */
  public JobUnit {
    Objects.requireNonNull(params, "params");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(checkpoint, "checkpoint");
  }
}
