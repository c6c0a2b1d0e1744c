package dev.portfolio.maintenance.cli;

import java.io.Serial;

/** An error the command line reports as one line with its exit code, without a stack trace. */
final class CliException extends RuntimeException {
  @Serial private static final long serialVersionUID = 1L;

  private final int exitCode;

  private CliException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  /** A mistake on the command line: exit code {@link ExitCodes#USAGE}, followed by a help hint. */
  static CliException usage(String message) {
    return new CliException(ExitCodes.USAGE, message, null);
  }

  /** A failure of the work: exit code {@link ExitCodes#FAILURE}. */
  static CliException failure(String message, Throwable cause) {
    return new CliException(ExitCodes.FAILURE, message, cause);
  }

  int exitCode() {
    return exitCode;
  }
}
