package dev.portfolio.maintenance.jobs;

import java.util.List;

/**
 * Does the work of one kind of job. A worker calls {@link #plan} once per job to split it into work
 * units, {@link #run} once per unit (on any worker, possibly again on another one after a crash,
 * from the unit's last checkpoint), and {@link #finish} once when every unit is done.
 *
 * <p>{@code run} must stop soon after {@link JobContext#stopRequested()} turns true (a pause, a
 * cancellation, the worker's shutdown, a lost lease): finish the current batch, commit a
 * checkpoint, and return {@link UnitOutcome#STOPPED}. It must be resumable from its last
 * checkpoint, and work redone after a crash must be harmless (the work since the last checkpoint is
 * redone).
 *
 * <p>Exceptions: a {@link dev.portfolio.core.error.NonRetriableException} fails the job at once;
 * any other exception makes the unit wait and try again, until the job's {@code maxAttempts} are
 * used up.
 *
 * @since 0.1.0
 */
public interface JobHandler {
  /**
   * Returns the kind of job this handler runs.
   *
   * @return the kind, see {@link JobKinds}
   */
  String kind();

  /**
   * Splits a job into work units. Runs once per job, under the job's lease (again on another worker
   * when this one dies before the plan is committed).
   *
   * @param job the job; {@link JobContext#unit()} is -1
   * @return at least one unit (default: one unit for the whole job, total unknown)
   */
  default List<WorkUnit> plan(JobContext job) {
    return List.of(WorkUnit.whole(-1));
  }

  /**
   * Does one unit's work, from {@link JobContext#checkpoint()} when it was started before.
   *
   * @param unit the unit
   * @return {@link UnitOutcome#DONE} when the unit's work is complete, {@link UnitOutcome#STOPPED}
   *     when it stopped because {@link JobContext#stopRequested()} said so
   */
  UnitOutcome run(JobContext unit);

  /**
   * Runs the job's last step, once every unit is done (default: nothing).
   *
   * @param job the job; {@link JobContext#unit()} is -1
   */
  default void finish(JobContext job) {}
}
