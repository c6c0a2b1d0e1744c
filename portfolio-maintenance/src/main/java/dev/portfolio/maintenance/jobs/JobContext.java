package dev.portfolio.maintenance.jobs;

import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * What a {@link JobHandler} sees of the job or unit it works on, and how it reports back:
 * checkpoints, progress and the question whether to stop. Thread-safe: a handler may call it from
 * several threads.
 *
 * @since 0.1.0
 */
public interface JobContext {
  /**
   * Returns the job's id.
   *
   * @return the id
   */
  long jobId();

  /**
   * Returns the job's kind.
   *
   * @return the kind
   */
  String kind();

  /**
   * Returns the job's parameters.
   *
   * @return the parameters
   */
  JobParams params();

  /**
   * Returns the unit's number.
   *
   * @return from 0 for a unit; -1 in {@link JobHandler#plan} and {@link JobHandler#finish}
   */
  int unit();

  /**
   * Returns what the unit covers, as {@link JobHandler#plan} made it.
   *
   * @return the unit's parameters; empty in plan and finish
   */
  JobParams unitParams();

  /**
   * Returns the last committed checkpoint, where this run resumes.
   *
   * @return the checkpoint; empty the first time
   */
  JobParams checkpoint();

  /**
   * Returns the work done before this run started (from the last checkpoint).
   *
   * @return the progress committed with the checkpoint, 0 the first time
   */
  long progressAtStart();

  /**
   * Returns which attempt this is.
   *
   * @return 1 for the first
   */
  int attempt();

  /**
   * Records how far the work has come. It is committed to the queue at most once per the worker's
   * checkpoint interval (the last one is always committed when the unit ends or is released), so
   * calling it after every batch is fine. Never throws: a failed commit is retried with the next
   * one.
   *
   * @param checkpoint where to resume
   * @param current work done in this unit (including {@link #progressAtStart()})
   * @param total the unit's work in all, or -1 when unknown
   */
  void checkpoint(JobParams checkpoint, long current, long total);

  /**
   * Tells whether the work should stop at the next batch boundary.
   *
   * @return true when paused, cancelled, shutting down or the lease was lost
   */
  boolean stopRequested();

  /**
   * Returns why the work should stop.
   *
   * @return the reason, or empty while it should go on
   */
  Optional<StopReason> stopReason();

  /**
   * Returns {@link #stopRequested()} as a supplier, for options such as {@code
   * ReembedOptions.Builder.cancellation}.
   *
   * @return the check
   */
  default BooleanSupplier cancellation() {
    return this::stopRequested;
  }
}
