package dev.portfolio.core.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One result of a document-level search: a document, ranked by its best chunk, with the chunks of
 * it that the search found.
 *
 * @param collection the collection name
 * @param documentKey the document's key
 * @param sourceId the document's source id
 * @param score the best chunk's score (higher is better, as in {@link SearchHit#score()})
 * @param metadata the document's metadata
 * @param chunks the document's chunks among the chunk hits the search examined, best first, never
 *     empty; the first is the best
 * @since 0.1.0
 */
public record DocumentHit(
    String collection,
    String documentKey,
    String sourceId,
    double score,
    Map<String, String> metadata,
    List<SearchHit> chunks) {
  /** Validates the components and copies the collections. */
  public DocumentHit {
    Objects.requireNonNull(collection, "collection");
    Objects.requireNonNull(documentKey, "documentKey");
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    chunks = List.copyOf(chunks);
    if (chunks.isEmpty()) {
      throw new IllegalArgumentException("A document hit needs at least one chunk");
    }
  }

  /**
   * Returns the best chunk of the document.
   *
   * @return {@code chunks().get(0)}
   */
  public SearchHit best() {
    return chunks.get(0);
  }
}
