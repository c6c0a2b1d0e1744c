package dev.portfolio.maintenance.jobs;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a {@link JobWorker} needs from a queue: claims, leases, checkpoints and endings. Every
 * change is guarded by the lease owner, so a worker that lost a lease changes nothing. Both queues
 * implement it with the same semantics.
 */
interface Coordination {
  /** A job's plan or finish step ({@code unit == -1}), or one of its units. */
  record TaskKey(long jobId, int unit) {
    boolean jobLevel() {
      return unit < 0;
    }

    @Override
    public String toString() {
      return jobLevel() ? "job " + jobId : "job " + jobId + " unit " + unit;
    }
  }

  /** What a worker got with a claim. */
  record Claim(
      TaskKey key,
      JobPhase phase,
      String kind,
      JobParams params,
      JobParams unitParams,
      JobParams checkpoint,
      long progressCurrent,
      long progressTotal,
      int attempt,
      int maxAttempts) {}

  /**
   * Claims the most urgent piece of work of the given kinds: a job to plan or finish (queued, or
   * whose step's lease expired), else a unit (queued, or whose lease expired) of a running job.
   */
  Optional<Claim> claim(String owner, Set<String> kinds, Duration lease);

  /** Stores the plan's units and moves the job to its work phase; false when the lease was lost. */
  boolean commitPlan(long jobId, String owner, java.util.List<WorkUnit> units);

  /**
   * Renews the leases of the tasks the worker holds; returns, for each one it still holds, the
   * status of its job (cancelled for a unit that its job's cancellation or failure ended). A task
   * missing from the answer was lost.
   */
  Map<TaskKey, JobStatus> heartbeat(String owner, Collection<TaskKey> held, Duration lease);

  /**
   * Commits a checkpoint and progress; returns the job's status, or empty when the lease was lost
   * (or the unit was ended by a cancellation).
   */
  Optional<JobStatus> checkpoint(
      TaskKey key, String owner, JobParams checkpoint, long current, long total);

  /** Marks a unit completed (idempotent for its owner); false when the lease was lost. */
  boolean completeUnit(TaskKey key, String owner, JobParams checkpoint, long current, long total);

  /** Puts a unit back in the queue without counting an attempt (pause, shutdown). */
  void releaseUnit(TaskKey key, String owner, JobParams checkpoint, long current, long total);

  /**
   * Records a failed attempt: the task waits {@code retryDelay} and is tried again while attempts
   * remain and {@code retriable}; otherwise the job fails.
   */
  void fail(TaskKey key, String owner, String error, boolean retriable, Duration retryDelay);

  /** Completes the job after its finish step (unless it was cancelled meanwhile). */
  boolean completeJob(long jobId, String owner);

  /** Gives a job's plan or finish step back without counting an attempt (shutdown). */
  void releaseJob(long jobId, String owner);

  /**
   * Releases everything the owner holds that is not in {@code held}: claims whose answer never
   * reached the worker (a connection lost after the commit). Returns how many were released.
   */
  int releaseUnknown(String owner, Collection<TaskKey> held);
}
