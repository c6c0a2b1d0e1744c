package dev.portfolio.index.migration;

import java.util.Objects;

/**
 * The SQL that moves one collection to a new embedding model through a building embedding set, and
 * the SQL that takes it back. Searches keep reading the active set throughout; the switch to the
 * new set happens after the re-embed fills it ({@code VectorStore.activateSet}).
 *
 * @param schema the Portfolio schema
 * @param collection the collection name
 * @param collectionId the collection id
 * @param activeSetId the set searches read now
 * @param setId the building set the new model's vectors go to (its id is reserved when planned)
 * @param fromModel the active model
 * @param fromDimension the active dimension
 * @param toModel the new model
 * @param toDimension the new dimension
 * @param prepareSql registers the building set and creates its partition (one transaction)
 * @param indexSql builds the building set's ANN index ({@code CREATE INDEX CONCURRENTLY}); best run
 *     after the re-embed filled it; a comment only above 4000 dimensions
 * @param downSql drops the building set with its partition; changes nothing once the set is no
 *     longer building (activated, or already dropped)
 * @since 0.1.0
 */
public record EmbeddingMigration(
    String schema,
    String collection,
    long collectionId,
    long activeSetId,
    long setId,
    String fromModel,
    int fromDimension,
    String toModel,
    int toDimension,
    String prepareSql,
    String indexSql,
    String downSql) {
  /** Validates the components. */
  public EmbeddingMigration {
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(collection, "collection");
    Objects.requireNonNull(prepareSql, "prepareSql");
    Objects.requireNonNull(indexSql, "indexSql");
    Objects.requireNonNull(downSql, "downSql");
  }

  /**
   * Returns the whole forward script: the preparation, then the index.
   *
   * @return the up SQL
   */
  public String upSql() {
    return prepareSql + "\n" + indexSql;
  }
}
