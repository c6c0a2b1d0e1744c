package dev.portfolio.core.model;

import dev.portfolio.core.validation.Inputs;

/**
 * Sets the embedding of one stored chunk.
 *
 * @param chunkId the chunk's store id
 * @param embedding the new embedding, of the collection's dimension
 * @param model the model reference that produced it
 * @param embeddedTextHash the content hash of the text it was computed from
 * @since 0.1.0
 */
public record EmbeddingUpdate(
    long chunkId, Embedding embedding, String model, String embeddedTextHash) {
  /** Validates the components. */
  public EmbeddingUpdate {
    Inputs.requireNonNull("embedding", embedding);
    Inputs.requireKey("model", model);
    Inputs.requireKey("embeddedTextHash", embeddedTextHash);
  }
}
