package dev.portfolio.maintenance.cli;

import java.io.PrintStream;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a run of the command line writes and what it reads from its process: standard output (the
 * results), standard error (progress, warnings, errors), the environment, and whether a terminal is
 * attached. Also the secrets seen during the run, which every message printed has masked.
 */
final class CliIo {
  private static final String MASK = "***";

  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, String> env;
  private final boolean terminal;
  private final Set<String> secrets = ConcurrentHashMap.newKeySet();

  CliIo(PrintStream out, PrintStream err, Map<String, String> env, boolean terminal) {
    this.out = out;
    this.err = err;
    this.env = Map.copyOf(env);
    this.terminal = terminal;
  }

  PrintStream out() {
    return out;
  }

  PrintStream err() {
    return err;
  }

  /** Returns an environment variable, or null when it is unset or blank. */
  String env(String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? null : v;
  }

  /** Tells whether standard output and input are an interactive terminal. */
  boolean terminal() {
    return terminal;
  }

  /** Remembers a secret so that {@link #redact} masks it wherever it would appear. */
  void secret(String value) {
    if (value != null && value.length() >= 3) {
      secrets.add(value);
    }
  }

  /**
   * Masks secrets in text about to be printed: every remembered secret, and password or key
   * parameters of URLs.
   */
  String redact(String text) {
    if (text == null) {
      return "";
    }
    String s =
        text.replaceAll("(?i)((?:password|passwd|api[-_]?key|token|secret)=)[^&\\s]*", "$1" + MASK);
    for (String secret : secrets) {
      s = s.replace(secret, MASK);
    }
    return s;
  }

  /** Writes a warning line to standard error. */
  void warn(String message) {
    err.println("portfolio: warning: " + redact(message));
    err.flush();
  }
}
