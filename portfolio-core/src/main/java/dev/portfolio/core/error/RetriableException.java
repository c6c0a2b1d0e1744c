package dev.portfolio.core.error;

import java.time.Duration;
import java.util.Optional;

/**
 * A failure that may go away when the operation is repeated: rate limits, timeouts, connection
 * resets, serialization failures.
 *
 * @since 0.1.0
 */
public class RetriableException extends PortfolioException {
  private static final long serialVersionUID = 1L;

  /** How long the remote side asked us to wait, or null. */
  private final transient Duration retryAfter;

  /**
   * Creates a retriable failure.
   *
   * @param code the stable code, not null
   * @param message what happened and what to do, not null
   * @param cause the underlying failure, may be null
   */
  public RetriableException(ErrorCode code, String message, Throwable cause) {
    this(code, message, cause, null);
  }

  /**
   * Creates a retriable failure with a server-requested delay.
   *
   * @param code the stable code, not null
   * @param message what happened and what to do, not null
   * @param cause the underlying failure, may be null
   * @param retryAfter how long the remote side asked to wait before retrying, may be null
   */
  public RetriableException(ErrorCode code, String message, Throwable cause, Duration retryAfter) {
    super(code, message, cause);
    this.retryAfter = retryAfter;
  }

  /**
   * Returns the delay the remote side asked for (for example HTTP {@code Retry-After}).
   *
   * @return the delay, or empty when none was given
   */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  @Override
  public boolean isRetriable() {
    return true;
  }
}
