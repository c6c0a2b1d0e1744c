package dev.portfolio.core.error;

import java.util.Objects;

/**
 * The root of every exception Portfolio throws. Unchecked; carries an {@link ErrorCode} and says
 * whether repeating the operation can help.
 *
 * @since 0.1.0
 */
public class PortfolioException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The stable code of this failure. */
  private final ErrorCode code;

  /**
   * Creates an exception.
   *
   * @param code the stable code of the failure, not null
   * @param message what happened, the state that matters and the next step, not null
   */
  public PortfolioException(ErrorCode code, String message) {
    this(code, message, null);
  }

  /**
   * Creates an exception with a cause.
   *
   * @param code the stable code of the failure, not null
   * @param message what happened, the state that matters and the next step, not null
   * @param cause the underlying failure, may be null
   */
  public PortfolioException(ErrorCode code, String message, Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause);
    this.code = Objects.requireNonNull(code, "code");
  }

  /**
   * Returns the stable code of this failure.
   *
   * @return the code, never null
   */
  public ErrorCode code() {
    return code;
  }

  /**
   * Tells whether repeating the same operation later may succeed.
   *
   * @return {@code false} unless this is a {@link RetriableException}
   */
  public boolean isRetriable() {
    return false;
  }

  @Override
  public String toString() {
    return getClass().getName() + " [" + code + "]: " + getMessage();
  }
}
