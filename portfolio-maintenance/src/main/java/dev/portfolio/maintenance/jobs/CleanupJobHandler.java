package dev.portfolio.maintenance.jobs;

import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.validation.Inputs;
import dev.portfolio.maintenance.Maintenance;
import dev.portfolio.maintenance.cleanup.DeletedCleanupOptions;
import dev.portfolio.maintenance.cleanup.DeletedCleanupResult;
import dev.portfolio.maintenance.cleanup.OrphanCleanupOptions;
import dev.portfolio.maintenance.cleanup.OrphanCleanupResult;
import java.time.Duration;
import java.util.Locale;

/**
 * Runs {@link Maintenance#cleanupDeleted} or {@link Maintenance#cleanupOrphans} as a job, in one
 * unit: parameter {@code target} is {@code deleted} or {@code orphans}. Each is resumable by itself
 * (what was purged is gone; a run taken over after a crash purges the rest) and holds the
 * maintenance locks the inline call holds, so it is refused, naming the running operation or job,
 * while another one changes a collection it would touch (a re-embed job among them). A pause, a
 * cancellation or the worker's shutdown stops it at the next batch boundary ({@link
 * UnitOutcome#STOPPED}): what the committed batches removed stays removed, and the unit run again
 * removes the rest.
 *
 * @since 0.1.0
 */
public final class CleanupJobHandler implements JobHandler {
  private final Maintenance maintenance;

  private CleanupJobHandler(Maintenance maintenance) {
    this.maintenance = maintenance;
  }

  /**
   * Creates the handler.
   *
   * @param maintenance the facade
   * @return the handler
   */
  public static CleanupJobHandler of(Maintenance maintenance) {
    return new CleanupJobHandler(Inputs.requireNonNull("maintenance", maintenance));
  }

  @Override
  public String kind() {
    return JobKinds.CLEANUP;
  }

  /**
   * Describes a purge of soft-deleted documents as a job.
   *
   * @param options which collections and how old (a dry run is refused: run it inline)
   * @return a request builder
   * @throws InvalidInputException for a dry run
   */
  public static JobRequest.Builder deleted(DeletedCleanupOptions options) {
    Inputs.requireNonNull("options", options);
    noDryRun(options.dryRun());
    JobParams p =
        JobParams.empty()
            .with("target", "deleted")
            .with("batchSize", Integer.toString(options.batchSize()))
            .with("vacuum", Boolean.toString(options.vacuum()))
            .withList("collection", options.collections().stream().sorted().toList());
    if (options.olderThan().isPresent()) {
      p = p.with("olderThanSeconds", Long.toString(options.olderThan().get().toSeconds()));
    }
    return JobRequest.builder(JobKinds.CLEANUP).params(p);
  }

  /**
   * Describes a removal of orphaned rows as a job.
   *
   * @param options what to remove (a dry run is refused: run it inline)
   * @return a request builder
   * @throws InvalidInputException for a dry run
   */
  public static JobRequest.Builder orphans(OrphanCleanupOptions options) {
    Inputs.requireNonNull("options", options);
    noDryRun(options.dryRun());
    JobParams p =
        JobParams.empty()
            .with("target", "orphans")
            .with("batchSize", Integer.toString(options.batchSize()))
            .with("vacuum", Boolean.toString(options.vacuum()))
            .with("dropRetiredSets", Boolean.toString(options.dropRetiredSets()));
    return JobRequest.builder(JobKinds.CLEANUP).params(p);
  }

  @Override
  public UnitOutcome run(JobContext unit) {
    JobParams p = unit.params();
    String target = p.string("target", "deleted").strip().toLowerCase(Locale.ROOT);
    switch (target) {
      case "deleted" -> {
        DeletedCleanupOptions defaults = DeletedCleanupOptions.defaults();
        DeletedCleanupOptions.Builder b =
            DeletedCleanupOptions.builder()
                .batchSize(p.intValue("batchSize", defaults.batchSize()))
                .vacuum(p.bool("vacuum", defaults.vacuum()));
        p.list("collection").forEach(b::collection);
        if (p.get("olderThanSeconds").isPresent()) {
          b.olderThan(Duration.ofSeconds(p.longValue("olderThanSeconds", 0)));
        }
        DeletedCleanupResult r =
            maintenance.cleanupDeleted(b.cancellation(unit.cancellation()).build());
        long purged = unit.progressAtStart() + r.total().documents();
        unit.checkpoint(
            JobParams.empty().with("summary", r.summary()), purged, r.cancelled() ? -1 : purged);
        return r.cancelled() ? UnitOutcome.STOPPED : UnitOutcome.DONE;
      }
      case "orphans" -> {
        OrphanCleanupOptions defaults = OrphanCleanupOptions.builder().build();
        OrphanCleanupResult r =
            maintenance.cleanupOrphans(
                OrphanCleanupOptions.builder()
                    .batchSize(p.intValue("batchSize", defaults.batchSize()))
                    .vacuum(p.bool("vacuum", defaults.vacuum()))
                    .dropRetiredSets(p.bool("dropRetiredSets", false))
                    .cancellation(unit.cancellation())
                    .build());
        long removed = unit.progressAtStart() + r.removed();
        unit.checkpoint(
            JobParams.empty().with("summary", r.summary()), removed, r.cancelled() ? -1 : removed);
        return r.cancelled() ? UnitOutcome.STOPPED : UnitOutcome.DONE;
      }
      default ->
          throw new InvalidInputException(
              "target",
              "Job parameter 'target' of a cleanup job must be deleted or orphans (was '"
                  + target
                  + "')");
    }
  }

  private static void noDryRun(boolean dryRun) {
    if (dryRun) {
      throw new InvalidInputException(
          "cleanup.dryRun", "A dry run changes nothing and returns its counts: run it inline");
    }
  }

  @Override
  public String toString() {
    return "CleanupJobHandler[" + maintenance + "]";
  }
}
