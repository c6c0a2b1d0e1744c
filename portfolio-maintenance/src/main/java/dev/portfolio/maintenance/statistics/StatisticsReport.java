package dev.portfolio.maintenance.statistics;

import dev.portfolio.core.inspect.CollectionSnapshot;
import dev.portfolio.core.inspect.OperationLatency;
import dev.portfolio.core.inspect.StoreSnapshot;
import dev.portfolio.core.model.DocumentStatus;
import dev.portfolio.maintenance.internal.Text;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Figures of a store, or of one workspace in it: counts, storage, index health and performance.
 * {@link #toString()} prints them as text; the components serialise to JSON as they are.
 *
 * @param takenAt when the store was read
 * @param workspace the workspace counted, or null for every document
 * @param documents documents that are not soft-deleted
 * @param failedDocuments of those, the failed ones
 * @param chunks chunks of those documents
 * @param sources distinct source ids of those documents, summed over collections
 * @param dataBytes bytes of their stored values (texts, keyword vectors, metadata, vectors), or
 *     null when the store cannot tell
 * @param storeBytes bytes of every table and index of the store (all workspaces), or null when the
 *     store cannot tell
 * @param indexHealth health of the indexes and tables (always for the whole store)
 * @param performance latencies over the window and the cache hit ratio (always for the whole store)
 * @since 0.1.0
 */
public record StatisticsReport(
    Instant takenAt,
    String workspace,
    long documents,
    long failedDocuments,
    long chunks,
    long sources,
    Long dataBytes,
    Long storeBytes,
    IndexHealth indexHealth,
    Performance performance) {
  /** Validates the components. */
  public StatisticsReport {
    Objects.requireNonNull(takenAt, "takenAt");
    Objects.requireNonNull(indexHealth, "indexHealth");
    Objects.requireNonNull(performance, "performance");
  }

  /**
   * Builds the report.
   *
   * @param snapshot what the store reported, restricted to the workspace
   * @param latencies what the store measured over the window
   * @param options the window and thresholds
   * @return the report
   */
  public static StatisticsReport of(
      StoreSnapshot snapshot, List<OperationLatency> latencies, StatisticsOptions options) {
    long documents = 0;
    long failed = 0;
    long chunks = 0;
    long sources = 0;
    Long data = 0L;
    for (CollectionSnapshot c : snapshot.collections()) {
      documents += c.liveDocuments();
      failed += c.documents(DocumentStatus.FAILED);
      chunks += c.chunks();
      sources += c.sources();
      data = data == null || c.dataBytes().isEmpty() ? null : data + c.dataBytes().getAsLong();
    }
    if (snapshot.collections().isEmpty() && snapshot.relations().isEmpty()) {
      data = null;
    }
    return new StatisticsReport(
        snapshot.takenAt(),
        snapshot.workspace(),
        documents,
        failed,
        chunks,
        sources,
        data,
        snapshot.relationBytes().isPresent() ? snapshot.relationBytes().getAsLong() : null,
        IndexHealthRules.assess(snapshot, options.thresholds()),
        new Performance(
            options.window().toSeconds(),
            latencies,
            Performance.cacheHitRatio(snapshot.relations())));
  }

  /**
   * Prints the report as text.
   *
   * @return several lines
   */
  @Override
  public String toString() {
    StringBuilder out =
        new StringBuilder("Statistics at ")
            .append(takenAt)
            .append(workspace == null ? "" : " for workspace " + workspace)
            .append('\n');
    out.append(
        Text.table(
            "  ",
            List.of(
                List.of("documents", Long.toString(documents)),
                List.of("failed documents", Long.toString(failedDocuments)),
                List.of("chunks", Long.toString(chunks)),
                List.of("sources", Long.toString(sources)),
                List.of("data", Text.bytes(dataBytes)),
                List.of("store (tables and indexes)", Text.bytes(storeBytes)))));
    out.append("Index health: ").append(indexHealth.level()).append('\n');
    for (HealthFinding f : indexHealth.findings()) {
      out.append("  ").append(f).append('\n');
    }
    for (String u : indexHealth.unchecked()) {
      out.append("  not checked: ").append(u).append('\n');
    }
    out.append("Performance over the last ")
        .append(performance.windowSeconds())
        .append(" s; buffer cache hit ratio ")
        .append(
            performance.cacheHitRatio() == null
                ? "unknown"
                : Text.percent(100 * performance.cacheHitRatio()))
        .append('\n');
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("operation", "count", "avg", "p95", "source"));
    for (OperationLatency l : performance.operations()) {
      rows.add(
          List.of(
              l.operation(),
              Long.toString(l.count()),
              Text.millis(l.averageMillis()),
              Text.millis(l.p95Millis()),
              l.source().toLowerCase(Locale.ROOT)));
    }
    if (rows.size() > 1) {
      out.append(Text.table("  ", rows));
    } else {
      out.append("  no operation ran in the window\n");
    }
    return out.toString();
  }
}
