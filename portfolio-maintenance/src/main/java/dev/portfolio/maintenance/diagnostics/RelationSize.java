package dev.portfolio.maintenance.diagnostics;

import dev.portfolio.core.inspect.RelationStats;
import java.util.Locale;
import java.util.Objects;

/**
 * The storage of one table or index.
 *
 * @param name the relation, for example {@code chunks} or {@code embeddings_7_ann}
 * @param kind {@code table}, {@code partitioned_table} or {@code index}
 * @param table for an index its table, for a partition its partitioned table, else null
 * @param bytes bytes on disk (a table with its TOAST, without its indexes)
 * @param valid for an index whether it is valid, else null
 * @since 0.1.0
 */
public record RelationSize(String name, String kind, String table, long bytes, Boolean valid) {
  /** Validates the components. */
  public RelationSize {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
  }

  /**
   * Describes a relation.
   *
   * @param r what the store reported
   * @return the size entry
   */
  public static RelationSize of(RelationStats r) {
    return new RelationSize(
        r.name(), r.kind().name().toLowerCase(Locale.ROOT), r.table(), r.bytes(), r.valid());
  }
}
