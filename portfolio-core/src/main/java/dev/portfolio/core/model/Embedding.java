package dev.portfolio.core.model;

import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.validation.Inputs;
import java.util.Arrays;

/**
 * An immutable embedding vector. Every component is finite: NaN and infinities are rejected on
 * construction, so a bad vector never reaches a store.
 *
 * @since 0.1.0
 */
public final class Embedding {
  private final float[] values;

  private Embedding(float[] values) {
    this.values = values;
  }

  /**
   * Creates an embedding from a copy of the given components.
   *
   * @param values the components; not null, not empty, at most {@link Inputs#MAX_DIMENSION}, all
   *     finite
   * @return the embedding
   * @throws InvalidInputException when the array is null, empty, too long or has a non-finite
   *     component (the message names the index)
   */
  public static Embedding of(float... values) {
    if (values == null) {
      throw new InvalidInputException("embedding", "embedding must not be null");
    }
    if (values.length == 0) {
      throw new InvalidInputException("embedding", "embedding must have at least one component");
    }
    Inputs.dimension("embedding dimension", values.length);
    for (int i = 0; i < values.length; i++) {
      if (!Float.isFinite(values[i])) {
        throw new InvalidInputException(
            "embedding",
            "embedding component "
                + i
                + " is "
                + values[i]
                + "; every component must be a finite number. Check the embedder's output.");
      }
    }
    return new Embedding(values.clone());
  }

  /**
   * Creates an embedding from doubles, narrowing each to float.
   *
   * @param values the components, with the same rules as {@link #of(float...)}
   * @return the embedding
   * @throws InvalidInputException as {@link #of(float...)}
   */
  public static Embedding ofDoubles(double... values) {
    if (values == null) {
      throw new InvalidInputException("embedding", "embedding must not be null");
    }
    float[] f = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      f[i] = (float) values[i];
    }
    return of(f);
  }

  /**
   * Returns the number of components.
   *
   * @return the dimension, at least 1
   */
  public int dimension() {
    return values.length;
  }

  /**
   * Returns one component.
   *
   * @param index the component index, from 0 to {@code dimension() - 1}
   * @return the component
   */
  public float get(int index) {
    return values[index];
  }

  /**
   * Returns a copy of the components.
   *
   * @return a new array
   */
  public float[] toArray() {
    return values.clone();
  }

  /**
   * Returns the Euclidean (L2) norm.
   *
   * @return the norm, 0 for the zero vector
   */
  public double norm() {
    double sum = 0;
    for (float v : values) {
      sum += (double) v * v;
    }
    return Math.sqrt(sum);
  }

  /**
   * Returns the dot product with another embedding of the same dimension.
   *
   * @param other the other embedding, not null
   * @return the inner product
   * @throws InvalidInputException when the dimensions differ
   */
  public double dot(Embedding other) {
    requireSameDimension(other);
    double sum = 0;
    for (int i = 0; i < values.length; i++) {
      sum += (double) values[i] * other.values[i];
    }
    return sum;
  }

  /**
   * Returns the cosine similarity with another embedding of the same dimension.
   *
   * @param other the other embedding, not null
   * @return the similarity in [-1, 1], or 0 when either vector is zero
   * @throws InvalidInputException when the dimensions differ
   */
  public double cosineSimilarity(Embedding other) {
    requireSameDimension(other);
    double denom = norm() * other.norm();
    return denom == 0 ? 0 : dot(other) / denom;
  }

  /**
   * Returns the Euclidean distance to another embedding of the same dimension.
   *
   * @param other the other embedding, not null
   * @return the L2 distance
   * @throws InvalidInputException when the dimensions differ
   */
  public double l2Distance(Embedding other) {
    requireSameDimension(other);
    double sum = 0;
    for (int i = 0; i < values.length; i++) {
      double d = (double) values[i] - other.values[i];
      sum += d * d;
    }
    return Math.sqrt(sum);
  }

  /**
   * Tells whether every component is zero.
   *
   * @return true for the zero vector
   */
  public boolean isZero() {
    for (float v : values) {
      if (v != 0f) {
        return false;
      }
    }
    return true;
  }

  private void requireSameDimension(Embedding other) {
    if (other.values.length != values.length) {
      throw new InvalidInputException(
          ErrorCode.DIMENSION_MISMATCH,
          "embedding",
          "Dimension mismatch: " + values.length + " vs " + other.values.length);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Embedding e && Arrays.equals(values, e.values);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Embedding[dim=").append(values.length).append(": ");
    for (int i = 0; i < Math.min(3, values.length); i++) {
      sb.append(i == 0 ? "" : ", ").append(values[i]);
    }
    return sb.append(values.length > 3 ? ", ...]" : "]").toString();
  }
}
