package dev.portfolio.index.pgvector;

import static dev.portfolio.index.internal.PgTables.C_COLLECTION_ID;
import static dev.portfolio.index.internal.PgTables.C_CONTENT_HASH;
import static dev.portfolio.index.internal.PgTables.D_COLLECTION_ID;
import static dev.portfolio.index.internal.PgTables.D_STATUS;
import static dev.portfolio.index.internal.PgTables.E_CHUNK_ID;
import static dev.portfolio.index.internal.PgTables.E_CONTENT_HASH;
import static dev.portfolio.index.internal.PgTables.E_MODEL;
import static org.jooq.impl.DSL.inline;

import dev.portfolio.core.model.CollectionStats;
import dev.portfolio.core.model.DocumentStatus;
import dev.portfolio.core.model.EmbeddingSet;
import dev.portfolio.index.internal.AnnIndexSql;
import dev.portfolio.index.internal.Identifiers;
import dev.portfolio.index.internal.PgTables;
import java.util.EnumMap;
import java.util.Map;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/** Counts and sizes of a collection: documents by status, chunks by their state in one set. */
final class Stats {
  private final Db db;
  private final PgTables t;
  private final Catalog catalog;
  private final Documents documents;

  Stats(Db db, Catalog catalog, Documents documents) {
    this.db = db;
    this.t = db.tables();
    this.catalog = catalog;
    this.documents = documents;
  }

  CollectionStats stats(String collection, long setId) {
    return db.read(
        "Counting collection '" + collection + "'",
        tx -> {
          CollectionRow coll = catalog.requireForQuery(tx, collection);
          EmbeddingSet set = catalog.requireSet(tx, coll, setId);
          Map<DocumentStatus, Long> byStatus = new EnumMap<>(DocumentStatus.class);
          for (DocumentStatus s : DocumentStatus.values()) {
            byStatus.put(s, 0L);
          }
          Field<Integer> count = DSL.count();
          for (Record r :
              tx.dsl()
                  .select(D_STATUS, count)
                  .from(t.documents)
                  .where(D_COLLECTION_ID.eq(inline(coll.id())))
                  .groupBy(D_STATUS)
                  .fetch()) {
            byStatus.put(Rows.status(r.get(D_STATUS)), (long) r.get(count));
          }
          Field<Integer> all = DSL.count().as("all");
          Field<Integer> embedded = DSL.count(E_CHUNK_ID).as("embedded");
          Field<Integer> stale =
              DSL.count()
                  .filterWhere(E_CHUNK_ID.isNotNull().and(E_CONTENT_HASH.ne(C_CONTENT_HASH)))
                  .as("stale");
          // A vector's model column is set only when it is not the set's model.
          Field<Integer> foreign = DSL.count(E_MODEL).as("foreign");
          Record r =
              tx.dsl()
                  .select(all, embedded, stale, foreign)
                  .from(documents.chunksWithVectors(set.id()))
                  .where(C_COLLECTION_ID.eq(inline(coll.id())))
                  .and(D_STATUS.ne(Rows.statusName(DocumentStatus.DELETED)))
                  .fetchSingle();
          return new CollectionStats(
              collection, byStatus, r.get(all), r.get(embedded), r.get(stale), r.get(foreign));
        });
  }

  /**
   * The bytes of a collection's rows: its documents and chunks (read row by row, they share their
   * tables with other collections) and its sets' partitions (heap and TOAST, not indexes).
   */
  long storageBytes(String collection) {
    return db.read(
        "Measuring collection '" + collection + "'",
        tx -> {
          CollectionRow coll = catalog.require(tx, collection);
          long bytes = 0;
          for (String table : new String[] {"chunks", "documents"}) {
            Long rows =
                tx.dsl()
                    .fetchSingle(
                        "SELECT coalesce(sum(pg_column_size(x)), 0)::bigint FROM {0} x"
                            + " WHERE x.collection_id = {1}",
                        t.table(table), inline(coll.id()))
                    .get(0, Long.class);
            bytes += rows == null ? 0 : rows;
          }
          for (EmbeddingSet s : catalog.sets(tx, coll)) {
            Long size =
                tx.dsl()
                    .fetchSingle(
                        "SELECT coalesce(pg_table_size(to_regclass({0})), 0)::bigint",
                        DSL.val(
                            Identifiers.quote(t.schema()) + "." + AnnIndexSql.partitionName(s.id()),
                            SQLDataType.CLOB))
                    .get(0, Long.class);
            bytes += size == null ? 0 : size;
          }
          return bytes;
        });
  }
}
