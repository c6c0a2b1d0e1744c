package dev.portfolio.index.pgvector;

import static dev.portfolio.index.internal.PgTables.C_CONTENT_HASH;
import static dev.portfolio.index.internal.PgTables.C_DOCUMENT_ID;
import static dev.portfolio.index.internal.PgTables.C_ID;
import static dev.portfolio.index.internal.PgTables.D_COLLECTION_ID;
import static dev.portfolio.index.internal.PgTables.D_FINGERPRINT;
import static dev.portfolio.index.internal.PgTables.D_ID;
import static dev.portfolio.index.internal.PgTables.D_KEY;
import static dev.portfolio.index.internal.PgTables.D_SOURCE_ID;
import static dev.portfolio.index.internal.PgTables.D_STATUS;
import static dev.portfolio.index.internal.PgTables.E_CHUNK_ID;
import static dev.portfolio.index.internal.PgTables.E_CONTENT_HASH;
import static dev.portfolio.index.internal.PgTables.E_EMBEDDING;
import static dev.portfolio.index.internal.PgTables.E_MODEL;
import static dev.portfolio.index.internal.PgTables.E_SET_ID;
import static org.jooq.impl.DSL.inline;

import dev.portfolio.core.model.ChunkQuery;
import dev.portfolio.core.model.DocumentFingerprint;
import dev.portfolio.core.model.Embedding;
import dev.portfolio.core.validation.Inputs;
import dev.portfolio.index.internal.PgTables;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.jooq.Record;
import org.jooq.impl.DSL;

/**
 * The bulk reads of change detection: stored fingerprints of a batch of keys, and the reusable
 * vectors of a batch of documents in the active set. Each is one statement through the unique index
 * on {@code (collection_id, key)}.
 */
final class ChangeDetection {
  private final Db db;
  private final PgTables t;
  private final Catalog catalog;

  ChangeDetection(Db db, Catalog catalog) {
    this.db = db;
    this.t = db.tables();
    this.catalog = catalog;
  }

  Map<String, DocumentFingerprint> fingerprints(String collection, Collection<String> keys) {
    String[] distinct = distinct(collection, keys);
    if (distinct.length == 0) {
      catalog.embeddingSets(collection); // NOT_FOUND for an unknown collection
      return Map.of();
    }
    return db.read(
        "Reading the fingerprints of " + distinct.length + " documents of '" + collection + "'",
        tx -> {
          CollectionRow coll = catalog.requireForQuery(tx, collection);
          Map<String, DocumentFingerprint> found = new HashMap<>();
          for (Record r :
              tx.dsl()
                  .select(D_KEY, D_SOURCE_ID, D_STATUS, D_FINGERPRINT)
                  .from(t.documents)
                  .where(D_COLLECTION_ID.eq(inline(coll.id())))
                  .and(D_KEY.eq(DSL.any(distinct)))
                  .fetch()) {
            found.put(
                r.get(D_KEY),
                new DocumentFingerprint(
                    r.get(D_KEY),
                    r.get(D_SOURCE_ID),
                    Rows.status(r.get(D_STATUS)),
                    r.get(D_FINGERPRINT)));
          }
          return found;
        });
  }

  Map<String, Map<String, Embedding>> reusableVectors(String collection, Collection<String> keys) {
    String[] distinct = distinct(collection, keys);
    if (distinct.length == 0) {
      catalog.embeddingSets(collection);
      return Map.of();
    }
    return db.read(
        "Reading the vectors of " + distinct.length + " documents of '" + collection + "'",
        tx -> {
          CollectionRow coll = catalog.requireForQuery(tx, collection);
          Map<String, Map<String, Embedding>> found = new HashMap<>();
          for (Record r :
              tx.dsl()
                  .select(D_KEY, C_CONTENT_HASH, E_EMBEDDING)
                  .from(t.documents)
                  .join(t.chunks)
                  .on(C_DOCUMENT_ID.eq(D_ID))
                  .join(t.embeddings)
                  .on(E_CHUNK_ID.eq(C_ID))
                  .and(E_SET_ID.eq(inline(coll.activeSetId())))
                  .where(D_COLLECTION_ID.eq(inline(coll.id())))
                  .and(D_KEY.eq(DSL.any(distinct)))
                  .and(E_CONTENT_HASH.eq(C_CONTENT_HASH))
                  .and(E_MODEL.isNull().or(E_MODEL.eq(coll.model())))
                  .fetch()) {
            found
                .computeIfAbsent(r.get(D_KEY), k -> new HashMap<>())
                .put(r.get(C_CONTENT_HASH), r.get(E_EMBEDDING));
          }
          return found;
        });
  }

  private static String[] distinct(String collection, Collection<String> keys) {
    Inputs.collectionName(collection);
    Inputs.requireNonNull("keys", keys);
    List<String> list = new ArrayList<>(new LinkedHashSet<>(keys));
    Inputs.requireNoNullElements("keys", list);
    Inputs.between("keys.size", list.size(), 0, ChunkQuery.MAX_LIMIT);
    return list.toArray(new String[0]);
  }
}
