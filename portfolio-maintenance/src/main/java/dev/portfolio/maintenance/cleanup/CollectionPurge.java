package dev.portfolio.maintenance.cleanup;

import dev.portfolio.core.model.PurgeResult;
import java.util.Objects;

/**
 * What a purge of soft-deleted documents removed (or would remove) in one collection.
 *
 * @param collection the collection
 * @param removed documents, chunks and vectors
 * @param batches the transactions it took (0 in a dry run)
 * @since 0.1.0
 */
public record CollectionPurge(String collection, PurgeResult removed, int batches) {
  /** Validates the components. */
  public CollectionPurge {
    Objects.requireNonNull(collection, "collection");
    Objects.requireNonNull(removed, "removed");
  }
}
