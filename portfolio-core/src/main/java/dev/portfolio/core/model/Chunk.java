package dev.portfolio.core.model;

import java.util.Map;
import java.util.Objects;

/**
 * A stored chunk of a document.
 *
 * @param id the store-assigned id, increasing in insertion order (the keyset cursor)
 * @param collection the collection name
 * @param documentKey the key of the document it belongs to
 * @param ordinal its position within the document, from 0
 * @param text the chunk text
 * @param contentHash SHA-256 (hex) of the text
 * @param tokenCount the number of tokens, as counted when chunked
 * @param embedding the embedding, or null when missing
 * @param embeddingModel the model reference that produced the embedding, or null
 * @param embeddedTextHash the content hash of the text the embedding was computed from, or null
 * @param metadata string metadata, immutable
 * @since 0.1.0
 */
public record Chunk(
    long id,
    String collection,
    String documentKey,
    int ordinal,
    String text,
    String contentHash,
    int tokenCount,
    Embedding embedding,
    String embeddingModel,
    String embeddedTextHash,
    Map<String, String> metadata) {
  /** Validates the components and copies the metadata. */
  public Chunk {
    Objects.requireNonNull(collection, "collection");
    Objects.requireNonNull(documentKey, "documentKey");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(contentHash, "contentHash");
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }

  /**
   * Tells whether the chunk has an embedding.
   *
   * @return true when an embedding is stored
   */
  public boolean hasEmbedding() {
    return embedding != null;
  }

  /**
   * Tells whether the stored embedding was computed from text other than the current text.
   *
   * @return true when an embedding exists and its text hash differs from the content hash
   */
  public boolean isStale() {
    return embedding != null && !contentHash.equals(embeddedTextHash);
  }
}
