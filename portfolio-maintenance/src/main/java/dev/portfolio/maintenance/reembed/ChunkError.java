package dev.portfolio.maintenance.reembed;

import java.util.Objects;

/**
 * A chunk that could not be embedded, and why.
 *
 * @param chunkId the chunk's store id
 * @param documentKey the key of its document
 * @param reason the embedder's message
 * @since 0.1.0
 */
public record ChunkError(long chunkId, String documentKey, String reason) {
  /** Validates the components. */
  public ChunkError {
    Objects.requireNonNull(documentKey, "documentKey");
    Objects.requireNonNull(reason, "reason");
  }

  @Override
  public String toString() {
    return "chunk " + chunkId + " of '" + documentKey + "': " + reason;
  }
}
