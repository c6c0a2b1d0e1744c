package dev.portfolio.core.model;

/**
 * Where an {@link EmbeddingSet} is in its life cycle.
 *
 * @since 0.1.0
 */
public enum SetState {
  /**
   * Being filled with a new model's vectors; searches never read it. At most one per collection.
   */
  BUILDING,
  /** The set searches read. Exactly one per collection. */
  ACTIVE,
  /** A former active set, kept so that a model switch can be rolled back until it is dropped. */
  RETIRED
}
