package dev.portfolio.core.inspect;

/**
 * The state of an embedding set's approximate nearest-neighbour index.
 *
 * @since 0.1.0
 */
public enum AnnIndexState {
  /** The index exists and is valid: searches can use it. */
  VALID,
  /**
   * The index exists but is invalid (on PostgreSQL {@code pg_index.indisvalid} is false, left by an
   * interrupted {@code CREATE INDEX CONCURRENTLY}): writes maintain it, searches never use it.
   */
  INVALID,
  /** The set could have an index but has none: searches scan every vector. */
  MISSING,
  /**
   * The set has no ANN index by design: the store searches exactly (in memory), or the dimension is
   * beyond what the index type supports.
   */
  NOT_APPLICABLE
}
