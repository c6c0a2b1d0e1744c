package dev.portfolio.maintenance.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The exit codes of the {@code portfolio} command line. They are part of its interface: scripts and
 * schedulers branch on them.
 *
 * @since 0.1.0
 */
public final class ExitCodes {
  /** The command did what was asked: {@value}. */
  public static final int OK = 0;

  /**
   * The command failed: the database or the embedder failed, something was not found, a run ended
   * with chunks it could not embed, {@code retry-failed} left documents failing, or {@code verify}
   * found a problem: {@value}. The message says what to do.
   */
  public static final int FAILURE = 1;

  /** The command line was wrong (unknown option, bad value, missing confirmation): {@value}. */
  public static final int USAGE = 2;

  /** A health check reported FAIL: {@value}. */
  public static final int HEALTH_FAIL = 3;

  /**
   * The command was interrupted (Ctrl-C, SIGINT) and stopped at a batch boundary; the message says
   * how to resume: {@value} (128 + SIGINT, as shells report it).
   */
  public static final int INTERRUPTED = 130;

  private ExitCodes() {}

  /**
   * Returns the codes with their meaning, in the order the help lists them.
   *
   * @return code to description
   */
  static Map<String, String> descriptions() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(Integer.toString(OK), "ok");
    m.put(
        Integer.toString(FAILURE),
        "failure (database, embedder, not found, chunks or documents that failed, problems verify"
            + " found)");
    m.put(Integer.toString(USAGE), "usage: unknown option, bad value, missing --yes");
    m.put(Integer.toString(HEALTH_FAIL), "a health check reported FAIL");
    m.put(Integer.toString(INTERRUPTED), "interrupted (Ctrl-C); stopped at a batch boundary");
    return m;
  }
}
