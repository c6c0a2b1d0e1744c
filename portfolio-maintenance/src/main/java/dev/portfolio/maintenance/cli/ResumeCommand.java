package dev.portfolio.maintenance.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The command line an operator types to resume an interrupted command: the same arguments as given,
 * quoted for a POSIX shell, with a password given on the command line ({@code --password}, or a
 * {@code password=} parameter of a JDBC URL) shown as {@code ***}: the password is never printed.
 */
final class ResumeCommand {
  /** Arguments that a shell passes on unchanged without quotes. */
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

  /** A password in a JDBC URL's parameters. */
  private static final Pattern URL_PASSWORD = Pattern.compile("(?i)([?&;]password=)[^&;]*");

  private ResumeCommand() {}

  /**
   * Returns the command line of the running command.
   *
   * @param spec any command of the parsed command line
   * @return {@code portfolio} and the arguments as typed
   */
  static String of(CommandSpec spec) {
    List<String> args = spec.root().commandLine().getParseResult().originalArgs();
    return line(spec.root().name(), args);
  }

  /** Builds the line from a program name and its arguments; package-private for tests. */
  static String line(String program, List<String> args) {
    List<String> words = new ArrayList<>();
    words.add(program);
    boolean secret = false;
    for (String a : args) {
      if (secret && !a.startsWith("-")) {
        words.add("***");
        secret = false;
        continue;
      }
      secret = false;
      if (a.equals("--password")) {
        words.add(a);
        secret = true;
      } else if (a.startsWith("--password=")) {
        words.add("--password=***");
      } else {
        words.add(quote(URL_PASSWORD.matcher(a).replaceAll("$1***")));
      }
    }
    return String.join(" ", words);
  }

  private static String quote(String arg) {
    if (PLAIN.matcher(arg).matches()) {
      return arg;
    }
    return "'" + arg.replace("'", "'\\''") + "'";
  }
}
