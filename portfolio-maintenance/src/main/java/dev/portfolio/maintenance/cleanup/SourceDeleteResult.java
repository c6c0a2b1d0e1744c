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
 * delete-source docs 's3://bucket/handbook.md': 12 documents, 340 chunks removed in 0.1 s
 * </pre>
 *
 * @param collection the collection
 * @param sourceId the source
 * @param dryRun true when nothing was removed, only counted
 * @param documents documents removed (soft-deleted ones included)
 * @param chunks their chunks (their vectors in every set went with them)
 * @param elapsed the wall time
 * @since 0.1.0
 */
public record SourceDeleteResult(
    String collection,
    String sourceId,
    boolean dryRun,
    long documents,
    long chunks,
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
        + (dryRun ? "; nothing was changed" : " removed")
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
        "documents",
        documents,
        "chunks",
        chunks,
        "elapsedMs",
        elapsed.toMillis());
  }

  @Override
  public String toString() {
    return summary();
  }
}
