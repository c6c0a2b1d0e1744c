package dev.portfolio.maintenance.verify;

/**
 * A kind of problem a stored vector can have.
 *
 * @since 0.1.0
 */
public enum FindingKind {
  /** The vector's dimension is not its set's: searches cannot compare it. */
  DIMENSION_MISMATCH("dimension differs from the set's"),
  /** A component is NaN or infinite: every distance to it is meaningless. */
  NON_FINITE("NaN or infinite component"),
  /** Every component is zero: it has no direction, and cosine search never finds it. */
  ZERO_VECTOR("all components zero"),
  /** The vector was computed by a model other than its set's: it lives in another space. */
  MODEL_MISMATCH("computed by another model than the set's"),
  /** The vector was computed from text other than the chunk's current text: re-embed it. */
  STALE("computed from older text of the chunk"),
  /** The chunk the vector belongs to does not exist. */
  ORPHAN("no such chunk");

  private final String description;

  FindingKind(String description) {
    this.description = description;
  }

  /**
   * Describes the problem for people.
   *
   * @return for example {@code NaN or infinite component}
   */
  public String description() {
    return description;
  }
}
