package dev.portfolio.core.model;

/**
 * The distance a collection ranks vectors by. Search hits carry a score where higher is better
 * ({@link #score(double)}).
 *
 * @since 0.1.0
 */
public enum Distance {
  /** Cosine distance (1 - cosine similarity); score is the cosine similarity. */
  COSINE,
  /** Euclidean distance; score is the negated distance. */
  L2,
  /** Inner product; distance is the negated inner product and score the inner product. */
  INNER_PRODUCT;

  /**
   * Computes the distance between two embeddings as this metric defines it.
   *
   * @param a the first embedding
   * @param b the second embedding, of the same dimension
   * @return the distance; smaller is closer
   */
  public double distance(Embedding a, Embedding b) {
    return switch (this) {
      case COSINE -> 1.0 - a.cosineSimilarity(b);
      case L2 -> a.l2Distance(b);
      case INNER_PRODUCT -> -a.dot(b);
    };
  }

  /**
   * Converts a distance of this metric to a score where higher is better.
   *
   * @param distance a distance computed by this metric
   * @return the score
   */
  public double score(double distance) {
    return switch (this) {
      case COSINE -> 1.0 - distance;
      case L2, INNER_PRODUCT -> -distance;
    };
  }
}
