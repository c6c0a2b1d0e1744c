package dev.portfolio.core.model;

import java.util.Map;

/**
 * Counts that describe the state of one collection.
 *
 * @param collection the collection name
 * @param documentsByStatus document counts per status (every status present, zero when none)
 * @param chunks all chunks of non-deleted documents
 * @param embeddedChunks those with an embedding
 * @param staleChunks those whose embedding was computed from other text
 * @param foreignModelChunks those whose embedding came from a model other than the collection's
 * @since 0.1.0
 */
public record CollectionStats(
    String collection,
    Map<DocumentStatus, Long> documentsByStatus,
    long chunks,
    long embeddedChunks,
    long staleChunks,
    long foreignModelChunks) {
  /** Copies the map. */
  public CollectionStats {
    documentsByStatus = Map.copyOf(documentsByStatus);
  }

  /**
   * Returns the number of documents that are not soft-deleted.
   *
   * @return the live document count
   */
  public long liveDocuments() {
    return documentsByStatus.entrySet().stream()
        .filter(e -> e.getKey() != DocumentStatus.DELETED)
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  /**
   * Returns the number of chunks without an embedding.
   *
   * @return the missing count
   */
  public long missingChunks() {
    return chunks - embeddedChunks;
  }

  /**
   * Returns the fraction of chunks that have an embedding.
   *
   * @return coverage in [0, 1]; 1 for an empty collection
   */
  public double coverage() {
    return chunks == 0 ? 1.0 : (double) embeddedChunks / chunks;
  }
}
