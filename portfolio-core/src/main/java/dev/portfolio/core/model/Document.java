package dev.portfolio.core.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A stored document.
 *
 * @param id the store-assigned id, increasing in insertion order (the keyset cursor)
 * @param collection the collection name
 * @param key the host-supplied key, unique within the collection
 * @param sourceId the source it came from (a file, a URL, a table), never null
 * @param workspace the tenant or workspace, or null
 * @param status the life-cycle status
 * @param fingerprint SHA-256 of the normalised content and chosen metadata, or null
 * @param metadata string metadata, immutable
 * @param error the last error, or null
 * @param attempts how many times processing failed
 * @param createdAt when first stored
 * @param updatedAt when last changed
 * @param deletedAt when soft-deleted, or null
 * @since 0.1.0
 */
public record Document(
    long id,
    String collection,
    String key,
    String sourceId,
    String workspace,
    DocumentStatus status,
    String fingerprint,
    Map<String, String> metadata,
    String error,
    int attempts,
    Instant createdAt,
    Instant updatedAt,
    Instant deletedAt) {
  /** Validates the components and copies the metadata. */
  public Document {
    Objects.requireNonNull(collection, "collection");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(sourceId, "sourceId");
    Objects.requireNonNull(status, "status");
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }
}
