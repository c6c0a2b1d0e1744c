package dev.portfolio.core.model;

import java.util.Map;
import java.util.Objects;

/**
 * One search result: a chunk with its document's identity and a score where higher is better.
 *
 * @param collection the collection name
 * @param documentKey the document's key
 * @param sourceId the document's source id
 * @param chunkId the chunk's store id
 * @param ordinal the chunk's position within the document
 * @param text the chunk text
 * @param score higher is better: cosine similarity, negated L2 distance, inner product, keyword
 *     rank or RRF score depending on the search
 * @param metadata the document's metadata
 * @since 0.1.0
 */
public record SearchHit(
    String collection,
    String documentKey,
    String sourceId,
    long chunkId,
    int ordinal,
    String text,
    double score,
    Map<String, String> metadata) {
  /** Validates the components and copies the metadata. */
  public SearchHit {
    Objects.requireNonNull(collection, "collection");
    Objects.requireNonNull(documentKey, "documentKey");
    Objects.requireNonNull(text, "text");
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }

  /**
   * Returns a copy with another score.
   *
   * @param value the score
   * @return the new hit
   */
  public SearchHit withScore(double value) {
    return new SearchHit(
        collection, documentKey, sourceId, chunkId, ordinal, text, value, metadata);
  }
}
