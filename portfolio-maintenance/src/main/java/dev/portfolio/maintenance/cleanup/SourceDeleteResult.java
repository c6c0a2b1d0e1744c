package dev.portfolio.maintenance.cleanup;

import dev.portfolio.maintenance.report.Fields;
import dev.portfolio.maintenance.report.Report;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link dev.portfolio.maintenance.Maintenance#deleteSource} removed:
 *
 * <pre>
 * delete-source docs 's3://bucket/handbook.md': 12 documents, 340 chunks removed in 1 batch in 0.1 s
 * </pre>
 *
 * @param collection the collection
 * @param sourceId the source
 * @param dryRun true when nothing was removed, only counted
 * @param cancelled true when the run stopped at a batch boundary because its cancellation check
 *     said so ({@link SourceDeleteOptions#cancellation()}): the counts are what the committed
 *     batches removed, every other document of the source is whole, and running the same delete
 *     again removes the rest
 * @param documents documents removed (soft-deleted ones included)
 * @param chunks their chunks (their vectors in every set went with them)
 * @param batches the transactions it took (0 in a dry run)
 * @param elapsed the wall time
 * @since 0.1.0
 */
public record SourceDeleteResult(
    String collection,
    String sourceId,
    boolean dryRun,
    boolean cancelled,
    long documents,
    long chunks,
    int batches,
    Duration elapsed)
    implements Report {
  /** Validates the components. */
  public SourceDeleteResult {
    Objects.requireNonNull(collection, "collection");
    Objects.requireNonNull(sourceId, "sourceId");
    Objects.requireNonNull(elapsed, "elapsed");
  }

  @Override
  public String operation() {
    return "delete-source";
  }

  @Override
  public String summary() {
    return "delete-source "
        + collection
        + " '"
        + sourceId
        + "'"
        + (dryRun ? " [dry run]: would remove " : ": ")
        + documents
        + " documents, "
        + chunks
        + " chunks"
        + (dryRun
            ? "; nothing was changed"
            : " removed in " + batches + (batches == 1 ? " batch" : " batches"))
        + (cancelled ? "; cancelled at a batch boundary (the rest is left to the next run)" : "")
        + " in "
        + Fields.seconds(elapsed);
  }

  @Override
  public Map<String, Object> fields() {
    return Fields.of(
        "operation",
        operation(),
        "collection",
        collection,
        "sourceId",
        sourceId,
        "dryRun",
        dryRun,
        "cancelled",
        cancelled,
        "documents",
        documents,
        "chunks",
        chunks,
        "batches",
        batches,
        "elapsedMs",
        elapsed.toMillis());
  }

  @Override
  public String toString() {
    return summary();
  }
}
