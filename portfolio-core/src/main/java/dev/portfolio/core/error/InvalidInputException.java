package dev.portfolio.core.error;

import java.util.Objects;

/**
 * Bad input from the caller: names the argument and says how to fix it.
 *
 * @since 0.1.0
 */
public class InvalidInputException extends NonRetriableException {
  private static final long serialVersionUID = 1L;

  /** The name of the offending argument. */
  private final String argument;

  /**
   * Creates an invalid-input failure with code {@link ErrorCode#INVALID_ARGUMENT}.
   *
   * @param argument the name of the offending argument (for example {@code "collection"}), not null
   * @param message the full message, which names the argument and the fix, not null
   */
  public InvalidInputException(String argument, String message) {
    this(ErrorCode.INVALID_ARGUMENT, argument, message);
  }

  /**
   * Creates an invalid-input failure with a specific code.
   *
   * @param code the code, for example {@link ErrorCode#DIMENSION_MISMATCH}, not null
   * @param argument the name of the offending argument, not null
   * @param message the full message, which names the argument and the fix, not null
   */
  public InvalidInputException(ErrorCode code, String argument, String message) {
    super(code, message);
    this.argument = Objects.requireNonNull(argument, "argument");
  }

  /**
   * Returns the name of the offending argument.
   *
   * @return the argument name, never null
   */
  public String argument() {
    return argument;
  }
}
