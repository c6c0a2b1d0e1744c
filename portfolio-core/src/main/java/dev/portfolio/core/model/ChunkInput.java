package dev.portfolio.core.model;

import dev.portfolio.core.text.Fingerprints;
import dev.portfolio.core.validation.Inputs;
import java.util.Map;

/**
 * A chunk to store. The content hash is computed from the text; when an embedding is given, it is
 * recorded as computed from this text by {@code embeddingModel}.
 *
 * <p>Text is not validated here: a store validates each chunk of a batch and reports bad ones
 * without losing the good ones (see {@link Inputs#chunkTextProblem(String)}).
 *
 * @param ordinal its position within the document, from 0; unique within the document
 * @param text the chunk text
 * @param tokenCount the number of tokens (0 when unknown)
 * @param embedding the embedding, or null to store the chunk without one (it becomes "missing")
 * @param embeddingModel the model reference that produced the embedding; required with an
 *     embedding, ignored without
 * @param metadata string metadata, may be null
 * @since 0.1.0
 */
public record ChunkInput(
    int ordinal,
    String text,
    int tokenCount,
    Embedding embedding,
    String embeddingModel,
    Map<String, String> metadata) {
  /** Validates the components that do not depend on the store and copies the metadata. */
  public ChunkInput {
    if (ordinal < 0) {
      throw new dev.portfolio.core.error.InvalidInputException(
          "ordinal", "ordinal must be >= 0 (was " + ordinal + ")");
    }
    if (tokenCount < 0) {
      throw new dev.portfolio.core.error.InvalidInputException(
          "tokenCount", "tokenCount must be >= 0 (was " + tokenCount + ")");
    }
    if (embedding != null) {
      Inputs.requireKey("embeddingModel", embeddingModel);
    } else {
      embeddingModel = null;
    }
    metadata = metadata == null ? Map.of() : copyAllowingBadEntries(metadata);
  }

  /**
   * Creates a chunk without an embedding.
   *
   * @param ordinal its position within the document
   * @param text the chunk text
   * @return the chunk
   */
  public static ChunkInput of(int ordinal, String text) {
    return new ChunkInput(ordinal, text, 0, null, null, null);
  }

  /**
   * Creates a chunk with an embedding.
   *
   * @param ordinal its position within the document
   * @param text the chunk text
   * @param embedding the embedding, not null
   * @param embeddingModel the model reference that produced it, not null
   * @return the chunk
   */
  public static ChunkInput embedded(
      int ordinal, String text, Embedding embedding, String embeddingModel) {
    return new ChunkInput(
        ordinal, text, 0, Inputs.requireNonNull("embedding", embedding), embeddingModel, null);
  }

  /**
   * Returns the SHA-256 (hex) of the text.
   *
   * @return the content hash, or null when the text is null
   */
  public String contentHash() {
    return text == null ? null : Fingerprints.sha256Hex(text);
  }

  private static Map<String, String> copyAllowingBadEntries(Map<String, String> metadata) {
    // Map.copyOf rejects nulls with an unhelpful NPE; the store reports them per document instead.
    if (Inputs.metadataProblem(metadata).isPresent()) {
      return java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metadata));
    }
    return Map.copyOf(metadata);
  }
}
