/**
 * Durable jobs shared by any number of application instances, with PostgreSQL as the coordinator.
 *
 * <p>A {@link dev.portfolio.maintenance.jobs.JobQueue} holds jobs (kind, parameters, status,
 * priority, progress, checkpoint); {@link dev.portfolio.maintenance.jobs.PgJobQueue} keeps them in
 * the Portfolio schema, {@link dev.portfolio.maintenance.jobs.InMemoryJobQueue} in memory (not
 * durable). {@link dev.portfolio.maintenance.jobs.JobWorker}s in any number of JVMs claim jobs and
 * their work units with {@code FOR UPDATE SKIP LOCKED}, renew their leases with heartbeats and
 * commit checkpoints; a worker that dies loses its lease when it expires and another resumes from
 * the last checkpoint. {@link dev.portfolio.maintenance.jobs.JobHandler}s do the work of a kind:
 * {@link dev.portfolio.maintenance.jobs.ReembedJobHandler}, {@link
 * dev.portfolio.maintenance.jobs.IngestJobHandler}, {@link
 * dev.portfolio.maintenance.jobs.RetryJobHandler}, {@link
 * dev.portfolio.maintenance.jobs.SwitchJobHandler}, {@link
 * dev.portfolio.maintenance.jobs.CleanupJobHandler} and {@link
 * dev.portfolio.maintenance.jobs.BackupJobHandler} run the {@link
 * dev.portfolio.maintenance.Maintenance} operations, the same code that runs inline. The units of a
 * re-embed job hold the collection's maintenance lock shared, so that an operation that needs it
 * alone (a switch, a cleanup) is refused while the job runs, with a message naming the job.
 */
package dev.portfolio.maintenance.jobs;
