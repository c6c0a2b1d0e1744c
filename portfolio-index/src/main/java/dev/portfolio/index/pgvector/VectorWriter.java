package dev.portfolio.index.pgvector;

import static dev.portfolio.index.internal.PgTables.C_COLLECTION_ID;
import static dev.portfolio.index.internal.PgTables.C_DOCUMENT_ID;
import static dev.portfolio.index.internal.PgTables.C_ID;
import static dev.portfolio.index.internal.PgTables.D_ID;
import static dev.portfolio.index.internal.PgTables.D_KEY;
import static org.jooq.impl.DSL.inline;

import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.model.EmbeddingSet;
import dev.portfolio.core.model.EmbeddingUpdate;
import dev.portfolio.core.model.SetState;
import dev.portfolio.core.validation.StoreErrors;
import dev.portfolio.index.internal.BinaryCopyWriter;
import dev.portfolio.index.internal.Identifiers;
import dev.portfolio.index.internal.PgTables;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jooq.impl.DSL;

/**
 * Writes vectors into an embedding set. One transaction per call: for the active set the documents
 * of the chunks are locked in key order (so a concurrent delete cannot leave a vector without its
 * chunk, and writers never deadlock with upserts); the chunks that still exist are kept, their old
 * vectors in the set are deleted, and the new ones are COPYed (binary) into {@code embeddings},
 * which routes them to the set's partition. A building set has no index while it is filled and
 * takes no document locks (activation removes the vectors of chunks deleted meanwhile), so this
 * costs about what a raw COPY does.
 */
final class VectorWriter {
  private final Db db;
  private final PgTables t;
  private final Catalog catalog;
  private final String copySql;
  private final String checkAndClear;
  private final String checkAndClearActive;

  VectorWriter(Db db, Catalog catalog) {
    this.db = db;
    this.t = db.tables();
    this.catalog = catalog;
    this.copySql = copySql(t.schema());
    String schema = Identifiers.quote(t.schema());
    String deleteOld =
        "WITH old_vectors AS (DELETE FROM "
            + schema
            + ".embeddings WHERE set_id = ? AND chunk_id = ANY (?))";
    String existing =
        " SELECT id FROM " + schema + ".chunks WHERE id = ANY (?) AND collection_id = ?";
    this.checkAndClear = deleteOld + existing;
    this.checkAndClearActive =
        deleteOld
            + ", digests AS (UPDATE "
            + schema
            + ".documents SET chunks_digest = NULL, updated_at = now() WHERE id = ANY (?)"
            + " AND EXISTS (SELECT FROM "
            + schema
            + ".chunks WHERE id = ANY (?) AND collection_id = ?))"
            + existing;
  }

  static String copySql(String schema) {
    return "COPY "
        + Identifiers.quote(schema)
        + ".embeddings (set_id, chunk_id, collection_id, content_hash, model, embedding)"
        + " FROM STDIN (FORMAT binary)";
  }

  /**
   * Writes vectors into a set.
   *
   * @param collection the collection
   * @param setId the set, 0 for the active one
   * @param updates the vectors
   * @param setModelOnly whether every vector must come from the set's model ({@code writeVectors})
   *     or may come from another one ({@code updateEmbeddings}, counted as foreign)
   * @return how many chunks received a vector
   */
  int write(String collection, long setId, List<EmbeddingUpdate> updates, boolean setModelOnly) {
    // The last update of a chunk wins, as if they were applied in order.
    Map<Long, EmbeddingUpdate> byId = new LinkedHashMap<>();
    for (EmbeddingUpdate u : updates) {
      byId.put(u.chunkId(), u);
    }
    return db.write(
        "Writing vectors into collection '" + collection + "'",
        setModelOnly ? "write_vectors" : "update_embeddings",
        collection,
        true,
        tx -> {
          CollectionRow coll = catalog.lockShared(tx, collection);
          EmbeddingSet set = catalog.requireSet(tx, coll, setId);
          check(set, byId.values(), setModelOnly);
          return byId.isEmpty() ? 0 : write(tx, coll, set, byId);
        },
        n -> n);
  }

  /** Deletes the vectors of chunks in a set (a health repair); returns how many. */
  int delete(String collection, long setId, Collection<Long> chunkIds) {
    return db.write(
        "Deleting vectors of collection '" + collection + "'",
        "delete_vectors",
        collection,
        true,
        tx -> {
          CollectionRow coll = catalog.lockShared(tx, collection);
          EmbeddingSet set = catalog.requireSet(tx, coll, setId);
          if (set.state() == SetState.RETIRED) {
            throw StoreErrors.wrongSetState(
                set,
                "changed",
                "Delete vectors of the active or the building set; activate this one first.");
          }
          if (chunkIds.isEmpty()) {
            return 0;
          }
          return tx.dsl()
              .execute(
                  "DELETE FROM {0} WHERE set_id = {1} AND collection_id = {2} AND chunk_id = ANY"
                      + " ({3})",
                  db.tables().table("embeddings"),
                  org.jooq.impl.DSL.inline(set.id()),
                  org.jooq.impl.DSL.val(coll.id()),
                  org.jooq.impl.DSL.val(chunkIds.toArray(new Long[0])));
        },
        n -> n);
  }

  private static void check(
      EmbeddingSet set, Collection<EmbeddingUpdate> updates, boolean setModelOnly) {
    if (set.state() == SetState.RETIRED) {
      throw StoreErrors.wrongSetState(
          set,
          "written to",
          "Write into the active or the building set; activate this one first to use it again.");
    }
    for (EmbeddingUpdate u : updates) {
      if (u.embedding().dimension() != set.dimension()) {
        throw dimensionMismatch(set, u, setModelOnly);
      }
      if (setModelOnly && !u.model().equals(set.model())) {
        throw StoreErrors.setModelMismatch(set, u.chunkId(), u.model());
      }
    }
  }

  private static InvalidInputException dimensionMismatch(
      EmbeddingSet set, EmbeddingUpdate u, boolean setModelOnly) {
    if (setModelOnly) {
      return StoreErrors.setDimensionMismatch(set, u.chunkId(), u.embedding().dimension());
    }
    return StoreErrors.dimensionMismatch(
        "updates",
        "the embedding for chunk " + u.chunkId(),
        new dev.portfolio.core.model.CollectionSpec(
            set.collection(),
            set.model(),
            set.dimension(),
            dev.portfolio.core.model.Distance.COSINE),
        u.embedding().dimension(),
        "Nothing was written. Embed the chunks with a model of "
            + set.dimension()
            + " dimensions.");
  }

  private int write(Tx tx, CollectionRow coll, EmbeddingSet set, Map<Long, EmbeddingUpdate> byId)
      throws SQLException {
    Long[] ids = byId.keySet().toArray(new Long[0]);
    boolean active = set.id() == coll.activeSetId();
    List<Long> docs = List.of();
    if (active) {
      // Lock the chunks' documents in key order, as upserts and deletes do: no deadlock, and no
      // chunk deleted under our feet (its vector would outlive it, and searches read this set).
      docs =
          tx.dsl()
              .select(D_ID)
              .from(t.documents)
              .where(
                  D_ID.in(
                      DSL.select(C_DOCUMENT_ID)
                          .from(t.chunks)
                          .where(C_ID.eq(DSL.any(ids)))
                          .and(C_COLLECTION_ID.eq(inline(coll.id())))))
              .orderBy(D_KEY)
              .forNoKeyUpdate()
              .fetch(D_ID);
      if (docs.isEmpty()) {
        return 0;
      }
    }
    // A building set takes no document locks (a tenth of a model switch's write time): a chunk
    // deleted between the check below and our commit may leave its vector behind in the set, where
    // no search reads it, and activateSet deletes such vectors in the transaction that makes the
    // set
    // active (Catalog.activateSet), when no writer of the set is left.
    // One round trip (there were three), a new statement, so it sees what committed while we waited
    // for the locks: the chunks that still exist, the set's old vectors of these chunks deleted (a
    // chunk that is gone has none left: the delete trigger took them), and for the active set the
    // upsert's digests of the documents cleared (they no longer describe what is stored).
    Set<Long> existing = new HashSet<>();
    try (PreparedStatement ps =
        tx.connection().prepareStatement(active ? checkAndClearActive : checkAndClear)) {
      java.sql.Array idArray = tx.connection().createArrayOf("int8", ids);
      ps.setLong(1, set.id());
      ps.setArray(2, idArray);
      int next = 3;
      if (active) {
        // Cleared when any of the chunks still exists, as the vectors are then written.
        ps.setArray(next++, tx.connection().createArrayOf("int8", docs.toArray(new Long[0])));
        ps.setArray(next++, idArray);
        ps.setLong(next++, coll.id());
      }
      ps.setArray(next++, idArray);
      ps.setLong(next, coll.id());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          existing.add(rs.getLong(1));
        }
      }
    }
    if (existing.isEmpty()) {
      return 0;
    }
    int written = 0;
    try (BinaryCopyWriter w = BinaryCopyWriter.start(tx.connection(), copySql)) {
      for (EmbeddingUpdate u : byId.values()) {
        if (!existing.contains(u.chunkId())) {
          continue;
        }
        w.startRow(6);
        w.writeLong(set.id());
        w.writeLong(u.chunkId());
        w.writeLong(coll.id());
        w.writeText(u.embeddedTextHash());
        w.writeText(u.model().equals(set.model()) ? null : u.model());
        w.writeVector(u.embedding());
        written++;
      }
      w.finish();
    }
    return written;
  }
}
