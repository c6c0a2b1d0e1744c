package dev.portfolio.core.spi;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The state of a long operation at one moment.
 *
 * @param operation what is running, for example {@code "reembed docs"}
 * @param current units done so far
 * @param total units in all, or -1 when unknown
 * @param ratePerSecond units per second since the start (0 before any progress)
 * @param elapsed time since the start
 * @param message the latest detail, or an empty string
 * @param outcome null while running; on the final event {@link Outcome#SUCCEEDED} or {@link
 *     Outcome#FAILED}
 * @since 0.1.0
 */
public record ProgressEvent(
    String operation,
    long current,
    long total,
    double ratePerSecond,
    Duration elapsed,
    String message,
    Outcome outcome) {
  /** Validates the components. */
  public ProgressEvent {
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(elapsed, "elapsed");
    message = message == null ? "" : message;
  }

  /**
   * Returns the completed percentage.
   *
   * @return 0 to 100, or empty when the total is unknown
   */
  public Optional<Double> percentage() {
    if (total < 0) {
      return Optional.empty();
    }
    if (total == 0) {
      return Optional.of(100.0);
    }
    return Optional.of(Math.min(100.0, 100.0 * current / total));
  }

  /**
   * Returns the estimated time to completion at the current rate.
   *
   * @return the estimate, or empty when the total or rate is unknown
   */
  public Optional<Duration> eta() {
    if (total < 0 || ratePerSecond <= 0) {
      return Optional.empty();
    }
    long remaining = Math.max(0, total - current);
    return Optional.of(Duration.ofMillis((long) (remaining * 1000.0 / ratePerSecond)));
  }

  /**
   * Tells whether this is the final event of the operation.
   *
   * @return true when an outcome is set
   */
  public boolean isFinished() {
    return outcome != null;
  }

  /**
   * How an operation ended.
   *
   * @since 0.1.0
   */
  public enum Outcome {
    /** It completed. */
    SUCCEEDED,
    /** It stopped with an error (the message says which). */
    FAILED
  }
}
