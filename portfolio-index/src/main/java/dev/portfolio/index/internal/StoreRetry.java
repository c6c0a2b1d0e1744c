package dev.portfolio.index.internal;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Repeats idempotent database operations that failed transiently (serialization failure, deadlock,
 * lost connection), with exponential backoff and jitter. Other failures pass through at once.
 */
public final class StoreRetry {
  private static final Logger LOG = LoggerFactory.getLogger(StoreRetry.class);

  private final Retry retry;
  private final int maxAttempts;

  /**
   * Creates a policy.
   *
   * @param maxAttempts attempts in total, at least 1 (1 disables retries)
   * @param initialBackoff the first wait, doubled on each further attempt with ±50% jitter
   * @param maxBackoff the longest wait
   */
  public StoreRetry(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
    this.maxAttempts = maxAttempts;
    RetryConfig config =
        RetryConfig.custom()
            .maxAttempts(maxAttempts)
            .intervalFunction(
                IntervalFunction.ofExponentialRandomBackoff(initialBackoff, 2.0, 0.5, maxBackoff))
            .retryOnException(SqlErrors::isTransient)
            .failAfterMaxAttempts(false)
            .build();
    this.retry = Retry.of("portfolio-pgvector", config);
    retry
        .getEventPublisher()
        .onRetry(
            e ->
                LOG.warn(
                    "Retrying after a transient database error (SQLState {}), attempt {} of {},"
                        + " waiting {} ms",
                    SqlErrors.sqlState(e.getLastThrowable()),
                    e.getNumberOfRetryAttempts() + 1,
                    this.maxAttempts,
                    e.getWaitInterval().toMillis()));
  }

  /**
   * Runs an idempotent operation, repeating it after transient failures.
   *
   * @param <T> the result type
   * @param operation the operation; it must be safe to run again after a failure
   * @return its result
   */
  public <T> T call(Supplier<T> operation) {
    return Retry.decorateSupplier(retry, operation).get();
  }

  /**
   * Returns the attempts in total.
   *
   * @return the maximum number of attempts
   */
  public int maxAttempts() {
    return maxAttempts;
  }
}
