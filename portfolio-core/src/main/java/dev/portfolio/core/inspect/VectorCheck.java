package dev.portfolio.core.inspect;

import java.util.ArrayList;
import java.util.List;

/**
 * What a scan found wrong with one stored vector, judged against its embedding set.
 *
 * @param chunkId the chunk the vector belongs to
 * @param dimension the vector's dimension as stored
 * @param dimensionMismatch the dimension is not the set's
 * @param nonFinite a component is NaN or infinite
 * @param zero every component is 0 (no direction: cosine search can never find it)
 * @param model the model the vector was computed with, as stored
 * @param modelMismatch that model is not the set's
 * @param stale the vector was computed from text other than the chunk's current text
 * @param orphan the chunk the vector names does not exist
 * @since 0.1.0
 */
public record VectorCheck(
    long chunkId,
    int dimension,
    boolean dimensionMismatch,
    boolean nonFinite,
    boolean zero,
    String model,
    boolean modelMismatch,
    boolean stale,
    boolean orphan) {
  /**
   * Tells whether anything is wrong.
   *
   * @return true when at least one finding is set
   */
  public boolean hasProblem() {
    return dimensionMismatch || nonFinite || zero || modelMismatch || stale || orphan;
  }

  /**
   * Lists the findings by name.
   *
   * @return for example {@code [zero, stale]}
   */
  public List<String> problems() {
    List<String> out = new ArrayList<>();
    if (dimensionMismatch) {
      out.add("dimension");
    }
    if (nonFinite) {
      out.add("non-finite");
    }
    if (zero) {
      out.add("zero");
    }
    if (modelMismatch) {
      out.add("model");
    }
    if (stale) {
      out.add("stale");
    }
    if (orphan) {
      out.add("orphan");
    }
    return out;
  }
}
