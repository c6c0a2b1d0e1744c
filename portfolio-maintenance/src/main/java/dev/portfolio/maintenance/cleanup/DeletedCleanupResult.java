package dev.portfolio.maintenance.cleanup;

import dev.portfolio.core.model.PurgeResult;
import dev.portfolio.core.model.VacuumOutcome;
import dev.portfolio.maintenance.report.Fields;
import dev.portfolio.maintenance.report.Report;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link dev.portfolio.maintenance.Maintenance#cleanupDeleted} removed, per collection:
 *
 * <pre>
 * cleanup-deleted (deleted before 2026-10-31T20:00:00Z): 120 documents, 1450 chunks, 2900 vectors
 * removed in 3 batches from 2 collections; vacuumed documents, chunks, embeddings in 0.4 s
 * </pre>
 *
 * @param deletedBefore the cut-off, or null when every soft-deleted document counted
 * @param dryRun true when nothing was removed, only counted
 * @param cancelled true when the run stopped at a batch boundary because its cancellation check
 *     said so ({@link DeletedCleanupOptions#cancellation()}): the counts are what the committed
 *     batches removed, and running the same cleanup again removes the rest
 * @param collections one entry per collection examined, in name order
 * @param vacuum what reclaiming space did; empty when nothing was removed, vacuum was off or the
 *     run was cancelled
 * @param elapsed the wall time
 * @since 0.1.0
 */
public record DeletedCleanupResult(
    Instant deletedBefore,
    boolean dryRun,
    boolean cancelled,
    List<CollectionPurge> collections,
    List<VacuumOutcome> vacuum,
    Duration elapsed)
    implements Report {
  /** Validates the components and copies the lists. */
  public DeletedCleanupResult {
    collections = List.copyOf(collections);
    vacuum = List.copyOf(vacuum);
    Objects.requireNonNull(elapsed, "elapsed");
  }

  /**
   * Returns the sums over every collection.
   *
   * @return documents, chunks and vectors removed (or that would be)
   */
  public PurgeResult total() {
    return collections.stream()
        .map(CollectionPurge::removed)
        .reduce(PurgeResult.NONE, PurgeResult::plus);
  }

  @Override
  public String operation() {
    return "cleanup-deleted";
  }

  @Override
  public String summary() {
    PurgeResult t = total();
    int batches = collections.stream().mapToInt(CollectionPurge::batches).sum();
    return "cleanup-deleted ("
        + (deletedBefore == null
            ? "every soft-deleted document"
            : "deleted before " + deletedBefore)
        + ")"
        + (dryRun ? " [dry run]: would remove " : ": ")
        + t.documents()
        + " documents, "
        + t.chunks()
        + " chunks, "
        + t.vectors()
        + " vectors"
        + (dryRun ? "" : " removed in " + batches + " batches")
        + " from "
        + collections.size()
        + " collections; "
        + (dryRun
            ? "nothing was changed"
            : cancelled
                ? "cancelled at a batch boundary (the rest and the vacuum are left to the next run)"
                : Fields.vacuumSummary(vacuum))
        + " in "
        + Fields.seconds(elapsed);
  }

  @Override
  public Map<String, Object> fields() {
    PurgeResult t = total();
    return Fields.of(
        "operation",
        operation(),
        "deletedBefore",
        deletedBefore,
        "dryRun",
        dryRun,
        "cancelled",
        cancelled,
        "documents",
        t.documents(),
        "chunks",
        t.chunks(),
        "vectors",
        t.vectors(),
        "elapsedMs",
        elapsed.toMillis(),
        "collections",
        collections.stream()
            .map(
                c ->
                    Fields.of(
                        "collection",
                        c.collection(),
                        "documents",
                        c.removed().documents(),
                        "chunks",
                        c.removed().chunks(),
                        "vectors",
                        c.removed().vectors(),
                        "batches",
                        c.batches()))
            .toList(),
        "vacuum",
        Fields.vacuum(vacuum));
  }

  @Override
  public String toString() {
    return summary();
  }
}
