package dev.portfolio.maintenance.statistics;

import dev.portfolio.core.inspect.OperationLatency;
import dev.portfolio.core.inspect.RelationStats;
import java.util.List;
import java.util.Optional;

/**
 * Latency and cache figures over a recent window.
 *
 * @param windowSeconds the window the latencies cover, in seconds
 * @param operations per operation: count, mean and 95th percentile in milliseconds, and where the
 *     figures come from ({@code in-process}: measured by this store instance; {@code
 *     operation-log}: every process writing to the schema)
 * @param cacheHitRatio share of the store's table and index block reads served by the buffer cache
 *     since the server's statistics were last reset (not limited to the window), in [0, 1]; null
 *     when the store cannot tell or nothing was read yet
 * @since 0.1.0
 */
public record Performance(
    long windowSeconds, List<OperationLatency> operations, Double cacheHitRatio) {
  /** Copies the list. */
  public Performance {
    operations = List.copyOf(operations);
  }

  /**
   * Returns the figures of one operation.
   *
   * @param operation for example {@code search} or {@code upsert}
   * @return its latency, or empty when it did not run in the window
   */
  public Optional<OperationLatency> operation(String operation) {
    return operations.stream().filter(o -> o.operation().equals(operation)).findFirst();
  }

  /**
   * Computes the buffer cache hit ratio of relations.
   *
   * @param relations the store's tables and indexes
   * @return hits / (hits + reads), or null when nothing is known or nothing was read
   */
  public static Double cacheHitRatio(List<RelationStats> relations) {
    long hits = 0;
    long reads = 0;
    for (RelationStats r : relations) {
      hits += r.blocksHit().orElse(0);
      reads += r.blocksRead().orElse(0);
    }
    return hits + reads == 0 ? null : (double) hits / (hits + reads);
  }
}
