package dev.portfolio.core.model;

/**
 * Where a document is in its life cycle.
 *
 * @since 0.1.0
 */
public enum DocumentStatus {
  /** Stored, but not every chunk has an embedding yet. */
  PENDING,
  /** A worker is embedding it right now. */
  PROCESSING,
  /** Every chunk has an embedding of the collection's model; searchable. */
  READY,
  /** Processing failed; the error and attempt count are recorded for a later retry. */
  FAILED,
  /** Soft-deleted: hidden from search until restored or purged. */
  DELETED
}
