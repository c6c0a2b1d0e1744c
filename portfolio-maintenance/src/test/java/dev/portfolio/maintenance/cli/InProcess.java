package dev.portfolio.maintenance.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Runs the command line in this JVM with captured streams and a given environment. */
record InProcess(int exitCode, String out, String err) {
  static InProcess run(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CliIo io =
        new CliIo(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            env,
            false);
    int code = PortfolioCli.execute(io, args);
    return new InProcess(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static InProcess run(String... args) {
    return run(Map.of(), args);
  }

  /** Parses without running, for the option tests; returns the command object of the last one. */
  @SuppressWarnings("unchecked")
  static <T> T parse(Map<String, String> env, String... args) {
    CliIo io =
        new CliIo(
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            env,
            false);
    var parsed = PortfolioCli.commandLine(io).parseArgs(args);
    var last = parsed;
    while (last.hasSubcommand()) {
      last = last.subcommand();
    }
    return (T) last.commandSpec().userObject();
  }

  static <T> T parse(String... args) {
    return parse(Map.of(), args);
  }
}
