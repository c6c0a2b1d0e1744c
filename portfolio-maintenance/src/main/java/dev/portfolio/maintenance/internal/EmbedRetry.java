package dev.portfolio.maintenance.internal;

import dev.portfolio.core.error.RetriableException;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Retries embedder calls that fail with a {@link RetriableException} (rate limits, timeouts, 5xx),
 * with resilience4j, the library the remote embedders use too: up to {@code maxAttempts} attempts,
 * exponential backoff from {@code initialBackoff}, doubling, with +/-50% jitter, at most {@code
 * maxBackoff}; a delay the service asked for ({@code Retry-After}) is honoured up to {@code
 * maxBackoff}. Any other exception passes through at once. Thread-safe.
 *
 * @param maxAttempts attempts in total, the first included
 * @param initialBackoff the first wait
 * @param maxBackoff the longest wait
 */
public record EmbedRetry(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
  /** Validates the components. */
  public EmbedRetry {
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
  }

  /**
   * Calls a supplier, retrying transient failures.
   *
   * @param <T> the result type
   * @param name what is called, for resilience4j's events
   * @param call the call
   * @param retries counts the retries made (attempts after the first)
   * @return the call's result
   * @throws RetriableException the last failure when every attempt failed transiently
   */
  public <T> T call(String name, Supplier<T> call, AtomicInteger retries) {
    AtomicInteger attempts = new AtomicInteger();
    Supplier<T> counted =
        () -> {
          if (attempts.getAndIncrement() > 0) {
            retries.incrementAndGet();
          }
          return call.get();
        };
    return Retry.of(name, config()).executeSupplier(counted);
  }

  private RetryConfig config() {
    Duration max = maxBackoff.compareTo(initialBackoff) < 0 ? initialBackoff : maxBackoff;
    IntervalFunction backoff =
        initialBackoff.toMillis() < 1
            ? attempt -> 0L
            : IntervalFunction.ofExponentialRandomBackoff(initialBackoff, 2.0, 0.5, max);
    return RetryConfig.custom()
        .maxAttempts(maxAttempts)
        .retryOnException(RetriableException.class::isInstance)
        .intervalBiFunction(
            (attempt, outcome) -> {
              if (outcome.isLeft()
                  && outcome.getLeft() instanceof RetriableException r
                  && r.retryAfter().isPresent()) {
                return Math.max(0, Math.min(r.retryAfter().get().toMillis(), max.toMillis()));
              }
              return backoff.apply(attempt);
            })
        .build();
  }
}
