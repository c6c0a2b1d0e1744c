package dev.portfolio.index.migration;

import java.util.Objects;

/**
 * The SQL that moves one collection to a new embedding model through its second ("next") embedding
 * slot, and the SQL that takes it back. Searches keep using the active slot throughout; the switch
 * to the next slot happens after the re-embed fills it.
 *
 * @param schema the Portfolio schema
 * @param collection the collection name
 * @param collectionId the collection id
 * @param activeSlot the slot searches use now, {@code a} or {@code b}
 * @param nextSlot the slot the new model's embeddings go to
 * @param fromModel the active model
 * @param fromDimension the active dimension
 * @param toModel the new model
 * @param toDimension the new dimension
 * @param prepareSql registers the new model and dimension on the next slot and clears what an
 *     abandoned migration left in it (one transaction)
 * @param indexSql builds the next slot's ANN index ({@code CREATE INDEX CONCURRENTLY}); best run
 *     after the re-embed filled the slot; a comment only above 4000 dimensions
 * @param downSql drops the next slot's index and clears the slot; refuses (changes nothing) once
 *     the collection has switched to it
 * @since 0.1.0
 */
public record EmbeddingMigration(
    String schema,
    String collection,
    long collectionId,
    String activeSlot,
    String nextSlot,
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
