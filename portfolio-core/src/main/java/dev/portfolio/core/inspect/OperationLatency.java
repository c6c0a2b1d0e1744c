package dev.portfolio.core.inspect;

import java.util.Objects;

/**
 * How long one kind of store operation took over a window.
 *
 * @param operation the operation, for example {@code search}, {@code keyword_search} or {@code
 *     upsert}
 * @param count how many ran in the window (at least 1)
 * @param averageMillis their mean duration in milliseconds
 * @param p95Millis the 95th percentile of their durations in milliseconds
 * @param source where the figures come from: {@value #IN_PROCESS} (measured by this store instance
 *     in this JVM) or {@value #OPERATION_LOG} (the operation log the store writes, covering every
 *     process that writes through the same schema)
 * @since 0.1.0
 */
public record OperationLatency(
    String operation, long count, double averageMillis, double p95Millis, String source) {
  /** Figures measured in this JVM by the store instance asked. */
  public static final String IN_PROCESS = "in-process";

  /** Figures read from the store's operation log. */
  public static final String OPERATION_LOG = "operation-log";

  /** Validates the components. */
  public OperationLatency {
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(source, "source");
  }
}
