package dev.portfolio.core.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A collection's vectors from one embedding model. A collection has exactly one {@link
 * SetState#ACTIVE} set, which searches read, at most one {@link SetState#BUILDING} set, which a
 * model switch fills while searches keep using the active one, and any number of {@link
 * SetState#RETIRED} sets, kept for a rollback until they are dropped.
 *
 * @param id the store-assigned id, unique within the store
 * @param collection the collection name
 * @param model the model reference its vectors come from
 * @param dimension the dimension of its vectors
 * @param state the life-cycle state
 * @param createdAt when it was created
 * @param activatedAt when it last became active, or null when it never was
 * @param retiredAt when it last stopped being active, or null
 * @since 0.1.0
 */
public record EmbeddingSet(
    long id,
    String collection,
    String model,
    int dimension,
    SetState state,
    Instant createdAt,
    Instant activatedAt,
    Instant retiredAt) {
  /** Validates the components. */
  public EmbeddingSet {
    Objects.requireNonNull(collection, "collection");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  /**
   * Returns a copy in another state.
   *
   * @param value the new state
   * @param activated when it became active (kept when null)
   * @param retired when it stopped being active (may be null)
   * @return the new set
   */
  public EmbeddingSet withState(SetState value, Instant activated, Instant retired) {
    return new EmbeddingSet(
        id,
        collection,
        model,
        dimension,
        value,
        createdAt,
        activated == null ? activatedAt : activated,
        retired);
  }
}
