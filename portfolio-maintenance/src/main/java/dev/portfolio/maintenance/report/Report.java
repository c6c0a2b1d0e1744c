package dev.portfolio.maintenance.report;

import java.util.Map;

/**
 * A maintenance result a command line can print: a one-line summary, and its fields as ordered
 * name-value pairs, printable as a two-column table or serialisable as a JSON object by any JSON
 * library.
 *
 * <p>Field values are {@link String}, {@link Long}, {@link Integer}, {@link Boolean}, null, a
 * {@link java.util.List} of such values or of nested maps (one map per table row, all with the same
 * keys), or a nested {@link Map}. Durations are given in milliseconds under a name ending in {@code
 * Ms}, instants as ISO-8601 strings.
 *
 * @since 0.1.0
 */
public interface Report {
  /**
   * Returns the operation's name, as a command line would name it.
   *
   * @return for example {@code cleanup-orphans}
   */
  String operation();

  /**
   * Returns a one-line summary.
   *
   * @return the summary
   */
  String summary();

  /**
   * Returns the result's fields in a stable order.
   *
   * @return an unmodifiable ordered map
   */
  Map<String, Object> fields();
}
