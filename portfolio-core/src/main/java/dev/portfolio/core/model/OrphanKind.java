package dev.portfolio.core.model;

/**
 * Rows that no longer belong anywhere. The schema's foreign keys and triggers prevent them in
 * normal operation; they appear after bulk loads or restores that bypassed triggers ({@code
 * session_replication_role = replica}), hand-written SQL, or a set whose partition could not be
 * dropped.
 *
 * @since 0.1.0
 */
public enum OrphanKind {
  /** Chunks whose document no longer exists. */
  CHUNKS_WITHOUT_DOCUMENT,
  /** Documents marked {@link DocumentStatus#READY} that have no chunk at all. */
  READY_DOCUMENTS_WITHOUT_CHUNKS,
  /** Vectors whose chunk no longer exists. */
  VECTORS_WITHOUT_CHUNK,
  /**
   * Vectors of an embedding set that no longer exists (dropped while its partition stayed, for
   * example for want of the owner's rights). Vectors of a retired set are not orphans: they are
   * kept for a rollback until the set is dropped.
   */
  VECTORS_WITHOUT_SET
}
