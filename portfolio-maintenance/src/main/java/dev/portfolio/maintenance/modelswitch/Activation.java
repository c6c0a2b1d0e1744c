package dev.portfolio.maintenance.modelswitch;

import dev.portfolio.core.model.EmbeddingSet;
import java.util.Objects;

/**
 * The result of activating a collection's building set.
 *
 * @param collection the collection
 * @param active the set now active, the one searches read
 * @param retired the set that was active before, now retired and kept for a rollback
 * @param coverage the coverage of the activated set checked just before the switch
 * @param forced true when it was activated although chunks were missing
 * @since 0.1.0
 */
public record Activation(
    String collection,
    EmbeddingSet active,
    EmbeddingSet retired,
    SetCoverage coverage,
    boolean forced) {
  /** Validates the components. */
  public Activation {
    Objects.requireNonNull(collection, "collection");
    Objects.requireNonNull(active, "active");
    Objects.requireNonNull(retired, "retired");
    Objects.requireNonNull(coverage, "coverage");
  }
}
