package dev.portfolio.core.model;

import dev.portfolio.core.validation.Inputs;
import java.time.Instant;
import java.util.Objects;

/**
 * One entry of a document's history: its content fingerprint after a change, when, and which job
 * made it.
 *
 * @param key the document key
 * @param kind what happened
 * @param fingerprint the fingerprint after the change (for {@link Kind#REMOVED} the last one), or
 *     null when unknown
 * @param jobId the id of the job that made the change, or null when none
 * @param changedAt when it happened
 * @since 0.1.0
 */
public record DocumentChange(
    String key, Kind kind, String fingerprint, String jobId, Instant changedAt) {
  /** Validates the components. */
  public DocumentChange {
    Inputs.requireKey("key", key);
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(changedAt, "changedAt");
    if (jobId != null) {
      Inputs.requireKey("jobId", jobId);
    }
  }

  /**
   * What happened to the document.
   *
   * @since 0.1.0
   */
  public enum Kind {
    /** First stored. */
    ADDED,
    /** Stored again with other content. */
    UPDATED,
    /** Soft-deleted or deleted. */
    REMOVED,
    /** Brought back after a soft delete. */
    RESTORED
  }
}
