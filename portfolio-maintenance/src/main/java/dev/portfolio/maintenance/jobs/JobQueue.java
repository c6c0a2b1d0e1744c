package dev.portfolio.maintenance.jobs;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A queue of durable jobs: submit, look at and control them. Workers ({@link JobWorker}) take the
 * work. {@link PgJobQueue} shares the queue between every application instance through PostgreSQL;
 * {@link InMemoryJobQueue} keeps it in one JVM and loses it with the JVM.
 *
 * <p>Every method is thread-safe and returns the job as it is after the call, so a command line can
 * print the result of {@code pause}, {@code resume} and {@code cancel} as it is.
 *
 * @since 0.1.0
 */
public interface JobQueue {
  /**
   * Submits a job; it is queued until a worker with a handler of its kind takes it.
   *
   * @param request the job, not null
   * @return the job as stored, with its id
   */
  Job submit(JobRequest request);

  /**
   * Looks a job up.
   *
   * @param id the job's id
   * @return the job, or empty when there is none (never submitted, or cleaned up)
   */
  Optional<Job> get(long id);

  /**
   * Returns a job that must exist.
   *
   * @param id the job's id
   * @return the job
   * @throws dev.portfolio.core.error.PortfolioException NOT_FOUND when there is none
   */
  default Job require(long id) {
    return get(id).orElseThrow(() -> Jobs.notFound(id));
  }

  /**
   * Returns a job's work units.
   *
   * @param id the job's id
   * @return the units in order; empty before the job is planned
   */
  List<JobUnit> units(long id);

  /**
   * Lists jobs, newest first, with the number of jobs in each state.
   *
   * @param query which jobs
   * @return a page and the counts
   */
  JobList list(JobQuery query);

  /**
   * Counts jobs by state.
   *
   * @return every status with its count
   */
  default Map<JobStatus, Long> counts() {
    return list(JobQuery.all().withLimit(1)).counts();
  }

  /**
   * Pauses a job: a queued one is not started, running units finish their current batch, commit a
   * checkpoint and go back to the queue. Pausing a paused job changes nothing.
   *
   * @param id the job's id
   * @return the job
   * @throws dev.portfolio.core.error.PortfolioException NOT_FOUND when there is none, CONFLICT when
   *     it is finished
   */
  Job pause(long id);

  /**
   * Resumes a paused job where it stopped. Resuming a job that is not paused changes nothing,
   * unless it is finished.
   *
   * @param id the job's id
   * @return the job
   * @throws dev.portfolio.core.error.PortfolioException NOT_FOUND when there is none, CONFLICT when
   *     it is finished
   */
  Job resume(long id);

  /**
   * Cancels a job: a queued or paused one never starts again, running units stop at their next
   * batch boundary. Work already done is kept. Cancelling a cancelled job changes nothing.
   *
   * @param id the job's id
   * @return the job
   * @throws dev.portfolio.core.error.PortfolioException NOT_FOUND when there is none, CONFLICT when
   *     it completed or failed
   */
  Job cancel(long id);

  /**
   * Deletes finished jobs (completed, failed, cancelled) with their units.
   *
   * @param olderThan jobs that finished at least this long ago, e.g. {@code Duration.ofDays(30)}
   * @return how many jobs were deleted
   */
  int cleanup(Duration olderThan);
}
