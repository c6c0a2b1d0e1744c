package dev.portfolio.maintenance.internal;

import dev.portfolio.core.spi.ProgressReporter;
import dev.portfolio.core.spi.VectorStore;
import java.util.Objects;

/**
 * What every maintenance operation shares, validated by {@code Maintenance.Builder.build()}.
 *
 * @param store the store worked on
 * @param progress where progress goes
 * @param retry how transient embedder failures are retried
 * @param maxReportedErrors how many chunk errors a result lists at most
 */
public record Settings(
    VectorStore store, ProgressReporter progress, EmbedRetry retry, int maxReportedErrors) {
  /** Validates the components. */
  public Settings {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(progress, "progress");
    Objects.requireNonNull(retry, "retry");
  }
}
