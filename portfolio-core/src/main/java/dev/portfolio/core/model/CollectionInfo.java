package dev.portfolio.core.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A stored collection.
 *
 * @param id the store-assigned id
 * @param spec the collection's name, model, dimension and distance
 * @param createdAt when it was created
 * @since 0.1.0
 */
public record CollectionInfo(long id, CollectionSpec spec, Instant createdAt) {
  /** Validates the components. */
  public CollectionInfo {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  /**
   * Returns the collection name.
   *
   * @return the name
   */
  public String name() {
    return spec.name();
  }

  /**
   * Returns the embedding model reference.
   *
   * @return the model
   */
  public String model() {
    return spec.model();
  }

  /**
   * Returns the vector dimension.
   *
   * @return the dimension
   */
  public int dimension() {
    return spec.dimension();
  }

  /**
   * Returns the ranking distance.
   *
   * @return the distance
   */
  public Distance distance() {
    return spec.distance();
  }
}
