package dev.portfolio.core.inspect;

/**
 * What a {@link RelationStats} describes.
 *
 * @since 0.1.0
 */
public enum RelationKind {
  /** A table that holds rows (on PostgreSQL also a partition of a partitioned table). */
  TABLE,
  /** A partitioned table: its rows live in its partitions, it holds none itself. */
  PARTITIONED_TABLE,
  /** An index. */
  INDEX
}
