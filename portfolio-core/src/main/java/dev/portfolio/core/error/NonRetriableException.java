package dev.portfolio.core.error;

/**
 * A failure that repeating the same operation will not fix: invalid input, a rejected request, a
 * missing object, a permission the role lacks.
 *
 * @since 0.1.0
 */
public class NonRetriableException extends PortfolioException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates a permanent failure.
   *
   * @param code the stable code, not null
   * @param message what happened and what to do, not null
   */
  public NonRetriableException(ErrorCode code, String message) {
    super(code, message);
  }

  /**
   * Creates a permanent failure with a cause.
   *
   * @param code the stable code, not null
   * @param message what happened and what to do, not null
   * @param cause the underlying failure, may be null
   */
  public NonRetriableException(ErrorCode code, String message, Throwable cause) {
    super(code, message, cause);
  }
}
