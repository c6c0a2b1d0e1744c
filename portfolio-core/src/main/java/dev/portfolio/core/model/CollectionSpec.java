package dev.portfolio.core.model;

import dev.portfolio.core.validation.Inputs;

/**
 * What a collection is: its name, the embedding model its vectors come from, their dimension and
 * the distance used to rank them.
 *
 * @param name the collection name, matching {@link Inputs#COLLECTION_NAME}
 * @param model the embedding model reference, for example {@code "onnx:all-minilm-l6-v2"}
 * @param dimension the vector dimension, 1 to {@link Inputs#MAX_DIMENSION}
 * @param distance the ranking distance, not null
 * @since 0.1.0
 */
public record CollectionSpec(String name, String model, int dimension, Distance distance) {
  /** Validates every component. */
  public CollectionSpec {
    Inputs.collectionName(name);
    Inputs.requireKey("model", model);
    Inputs.dimension("dimension", dimension);
    Inputs.requireNonNull("distance", distance);
  }

  /**
   * Creates a spec ranked by cosine distance.
   *
   * @param name the collection name
   * @param model the embedding model reference
   * @param dimension the vector dimension
   * @return the spec
   */
  public static CollectionSpec of(String name, String model, int dimension) {
    return new CollectionSpec(name, model, dimension, Distance.COSINE);
  }
}
