package dev.portfolio.core.model;

import java.util.Objects;

/**
 * What change detection needs to know about a stored document, without its chunks or metadata.
 *
 * @param key the document key
 * @param sourceId the source it came from
 * @param status its status ({@link DocumentStatus#DELETED} when soft-deleted)
 * @param fingerprint the stored content fingerprint, or null when none was stored
 * @since 0.1.0
 */
public record DocumentFingerprint(
    String key, String sourceId, DocumentStatus status, String fingerprint) {
  /** Validates the components. */
  public DocumentFingerprint {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(sourceId, "sourceId");
    Objects.requireNonNull(status, "status");
  }

  /**
   * Tells whether the stored document has this fingerprint and is live and complete: {@link
   * DocumentStatus#READY}. A soft-deleted, failed, pending or processing document never matches, so
   * ingesting it again repairs it.
   *
   * @param other the fingerprint of the new content, may be null
   * @return true when nothing needs to be written
   */
  public boolean unchangedBy(String other) {
    return status == DocumentStatus.READY && fingerprint != null && fingerprint.equals(other);
  }
}
