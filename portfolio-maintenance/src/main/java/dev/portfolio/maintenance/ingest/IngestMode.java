package dev.portfolio.maintenance.ingest;

/**
 * What an ingestion does with documents that are already stored, and with those that are not.
 *
 * @since 0.1.0
 */
public enum IngestMode {
  /** Adds new documents, updates changed ones, skips unchanged ones (the default). */
  UPSERT,
  /**
   * Adds new documents only; a document whose key is stored already fails with a reason that says
   * so (use {@link #SKIP_EXISTING} to pass over them silently).
   */
  ADD_ONLY,
  /**
   * Updates stored documents only (changed ones; unchanged ones are skipped); a document whose key
   * is not stored fails with a reason that says so.
   */
  UPDATE_ONLY,
  /** Adds new documents and leaves every stored one as it is, changed or not (counted skipped). */
  SKIP_EXISTING,
  /**
   * Makes one source match the input: as {@link #UPSERT}, then the documents of {@link
   * IngestOptions#sourceId()} that the input did not name are soft-deleted (hidden from search at
   * once) and then purged. Every input document must belong to that source.
   */
  FULL_SYNC
}
