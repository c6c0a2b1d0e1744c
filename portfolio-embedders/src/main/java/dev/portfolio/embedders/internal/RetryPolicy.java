package dev.portfolio.embedders.internal;

import dev.portfolio.core.error.RetriableException;
import dev.portfolio.core.spi.ProviderConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;

/**
 * How remote calls are retried: up to {@code maxAttempts} attempts for {@link RetriableException}s
 * only, waiting an exponential backoff with jitter ({@code initialBackoff}, doubling, +/-50%, at
 * most {@code maxBackoff}), or the delay the service asked for ({@code Retry-After}) when it gave
 * one, capped at {@code maxWait}.
 *
 * @param maxAttempts attempts in total, the first included (option {@code retry.maxAttempts},
 *     default 5)
 * @param initialBackoff the first backoff (option {@code retry.initialBackoff}, default 500ms)
 * @param maxBackoff the longest backoff (option {@code retry.maxBackoff}, default 20s)
 * @param maxWait the longest wait honoured for {@code Retry-After} (option {@code retry.maxWait},
 *     default 60s)
 */
public record RetryPolicy(
    int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxWait) {

  /**
   * Reads the {@code retry.*} options.
   *
   * @param c the configuration
   * @return the policy
   */
  public static RetryPolicy read(ProviderConfig c) {
    return new RetryPolicy(
        c.integer("retry.maxAttempts", 5, 1, 100),
        c.duration("retry.initialBackoff", Duration.ofMillis(500)),
        c.duration("retry.maxBackoff", Duration.ofSeconds(20)),
        c.duration("retry.maxWait", Duration.ofSeconds(60)));
  }

  /**
   * Creates a resilience4j retry following this policy.
   *
   * @param name the retry's name (the model reference), used in its events
   * @return the retry
   */
  public Retry toRetry(String name) {
    IntervalFunction backoff =
        IntervalFunction.ofExponentialRandomBackoff(
            initialBackoff,
            2.0,
            0.5,
            maxBackoff.compareTo(initialBackoff) < 0 ? initialBackoff : maxBackoff);
    RetryConfig config =
        RetryConfig.custom()
            .maxAttempts(maxAttempts)
            .retryOnException(RetriableException.class::isInstance)
            .intervalBiFunction(
                (attempt, outcome) -> {
                  if (outcome.isLeft()
                      && outcome.getLeft() instanceof RetriableException r
                      && r.retryAfter().isPresent()) {
                    return Math.max(
                        0, Math.min(r.retryAfter().get().toMillis(), maxWait.toMillis()));
                  }
                  return backoff.apply(attempt);
                })
            .build();
    return Retry.of(name, config);
  }
}
