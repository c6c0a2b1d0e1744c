package dev.portfolio.core.model;

import java.time.Instant;
import java.util.Objects;

/**
 * Who holds a collection's maintenance lock.
 *
 * @param collection the collection
 * @param operation what runs, for example {@code switch docs to onnx:all-minilm-l6-v2}
 * @param since when the lock was taken
 * @param host the host name of the process that holds it
 * @param processId that process's id
 * @param session where the lock lives: {@code backend pid 4711} on PostgreSQL, {@code in-process}
 *     in memory
 * @since 0.1.0
 */
public record LockHolder(
    String collection,
    String operation,
    Instant since,
    String host,
    long processId,
    String session) {
  /** Validates the components. */
  public LockHolder {
    Objects.requireNonNull(collection, "collection");
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(since, "since");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(session, "session");
  }

  /**
   * Describes the holder for an error message.
   *
   * @return for example {@code 'switch docs to m' (since 2026-11-30T20:01:02Z, host h, pid 42,
   *     backend pid 4711)}
   */
  public String describe() {
    return "'"
        + operation
        + "' (since "
        + since
        + ", host "
        + host
        + ", pid "
        + processId
        + ", "
        + session
        + ")";
  }
}
