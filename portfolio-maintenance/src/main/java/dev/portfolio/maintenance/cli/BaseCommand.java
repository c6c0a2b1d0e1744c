package dev.portfolio.maintenance.cli;

import dev.portfolio.core.error.InvalidInputException;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What every command has: {@code --json}, {@code --verbose}, {@code --help}, the run's streams, and
 * the conversion of option values the library rejects into usage errors.
 */
abstract class BaseCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--json",
      description = "Print the result as JSON on standard output (schema in README.md).")
  boolean json;

  @Option(
      names = {"-v", "--verbose"},
      description = "Log more, list every reported error, and print stack traces on failure.")
  boolean verbose;

  @Override
  public final Integer call() throws Exception {
    return run();
  }

  /** Does the command's work and returns its exit code ({@link ExitCodes}). */
  abstract int run() throws Exception;

  CliIo io() {
    return ((PortfolioCli) spec.root().userObject()).io();
  }

  /** The command's name as typed, e.g. {@code portfolio switch-model start}. */
  String name() {
    return spec.qualifiedName();
  }

  /** Builds options of the library from option values; what it rejects is a usage error. */
  static <T> T usage(Supplier<T> build) {
    try {
      return build.get();
    } catch (InvalidInputException e) {
      throw CliException.usage(e.getMessage());
    }
  }

  /** Prints the result: JSON when {@code --json} was given, else the human text. */
  void print(Object jsonView, Runnable human) {
    if (json) {
      Json.print(io().out(), jsonView);
    } else {
      human.run();
      io().out().flush();
    }
  }
}
