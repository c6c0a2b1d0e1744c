package dev.portfolio.index.pgvector;

import static dev.portfolio.index.internal.PgTables.C_COLLECTION_ID;
import static dev.portfolio.index.internal.PgTables.C_CONTENT_HASH;
import static dev.portfolio.index.internal.PgTables.C_DOCUMENT_ID;
import static dev.portfolio.index.internal.PgTables.C_ID;
import static dev.portfolio.index.internal.PgTables.C_ORDINAL;
import static dev.portfolio.index.internal.PgTables.D_ATTEMPTS;
import static dev.portfolio.index.internal.PgTables.D_COLLECTION_ID;
import static dev.portfolio.index.internal.PgTables.D_DELETED_AT;
import static dev.portfolio.index.internal.PgTables.D_ERROR;
import static dev.portfolio.index.internal.PgTables.D_ID;
import static dev.portfolio.index.internal.PgTables.D_KEY;
import static dev.portfolio.index.internal.PgTables.D_SOURCE_ID;
import static dev.portfolio.index.internal.PgTables.D_STATUS;
import static dev.portfolio.index.internal.PgTables.D_UPDATED_AT;
import static dev.portfolio.index.internal.PgTables.E_CHUNK_ID;
import static dev.portfolio.index.internal.PgTables.E_CONTENT_HASH;
import static dev.portfolio.index.internal.PgTables.E_SET_ID;
import static org.jooq.impl.DSL.inline;

import dev.portfolio.core.model.Chunk;
import dev.portfolio.core.model.ChunkQuery;
import dev.portfolio.core.model.DeleteResult;
import dev.portfolio.core.model.Document;
import dev.portfolio.core.model.DocumentQuery;
import dev.portfolio.core.model.DocumentStatus;
import dev.portfolio.core.model.EmbeddingSet;
import dev.portfolio.core.model.Page;
import dev.portfolio.core.validation.Inputs;
import dev.portfolio.index.internal.PgTables;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * Documents and chunks: reads (by key, keyset pages of documents and of chunks with the vectors of
 * one set) and the document life cycle (status, soft delete, restore, delete).
 */
final class Documents {
  private final Db db;
  private final PgTables t;
  private final Catalog catalog;

  Documents(Db db, Catalog catalog) {
    this.db = db;
    this.t = db.tables();
    this.catalog = catalog;
  }

  /** Chunks with their documents and the vectors of one set, left-joined. */
  Table<Record> chunksWithVectors(long setId) {
    return chunksWithVectors(setId, 0);
  }

  /**
   * Chunks with their documents and the vectors of one set, left-joined, for a keyset page after a
   * chunk id. The cursor is repeated in the join so that the set's primary key is read from the
   * cursor on: without it, the anti-join of "missing in the set" rereads the set from its start on
   * every page, and a re-embed slows down as the set fills.
   */
  Table<Record> chunksWithVectors(long setId, long afterId) {
    return t.chunks
        .join(t.documents)
        .on(D_ID.eq(C_DOCUMENT_ID))
        .leftJoin(t.embeddings)
        .on(
            E_CHUNK_ID
                .eq(C_ID)
                .and(E_SET_ID.eq(inline(setId)))
                .and(afterId > 0 ? E_CHUNK_ID.gt(inline(afterId)) : DSL.noCondition()));
  }

  Optional<Document> findDocument(String collection, String key) {
    return db.read(
        "Reading document '" + Inputs.printable(key) + "' of collection '" + collection + "'",
        tx -> {
          CollectionRow coll = catalog.require(tx, collection);
          return tx.dsl()
              .select(Rows.documentFields())
              .from(t.documents)
              .where(D_COLLECTION_ID.eq(inline(coll.id())))
              .and(D_KEY.eq(key))
              .fetchOptional()
              .map(r -> Rows.document(collection, r));
        });
  }

  List<Chunk> chunks(String collection, String key) {
    return db.read(
        "Reading the chunks of document '"
            + Inputs.printable(key)
            + "' of collection '"
            + collection
            + "'",
        tx -> {
          CollectionRow coll = catalog.require(tx, collection);
          EmbeddingSet active = catalog.requireSet(tx, coll, 0);
          return tx.dsl()
              .select(Rows.chunkFields())
              .from(chunksWithVectors(active.id()))
              .where(D_COLLECTION_ID.eq(inline(coll.id())))
              .and(D_KEY.eq(key))
              .orderBy(C_ORDINAL)
              .fetch()
              .map(r -> Rows.chunk(collection, active, r));
        });
  }

  Page<Document> listDocuments(DocumentQuery query) {
    return db.read(
        "Listing documents of collection '" + query.collection() + "'",
        tx -> {
          CollectionRow coll = catalog.requireForQuery(tx, query.collection());
          List<Document> items =
              tx.dsl()
                  .select(Rows.documentFields())
                  .from(t.documents)
                  .where(D_COLLECTION_ID.eq(inline(coll.id())))
                  .and(D_ID.gt(query.afterId()))
                  .and(Rows.filter(query.filter()))
                  .orderBy(D_ID)
                  .limit(inline(query.limit()))
                  .fetch()
                  .map(r -> Rows.document(coll.name(), r));
          return Rows.page(items, query.limit(), Document::id);
        });
  }

  Page<Chunk> listChunks(ChunkQuery query) {
    return db.read(
        "Listing chunks of collection '" + query.collection() + "'",
        tx -> {
          CollectionRow coll = catalog.requireForQuery(tx, query.collection());
          EmbeddingSet set = catalog.requireSet(tx, coll, query.setId());
          Condition state =
              switch (query.embeddingState()) {
                case ANY -> DSL.noCondition();
                case MISSING -> E_CHUNK_ID.isNull();
                case PRESENT -> E_CHUNK_ID.isNotNull();
                case STALE -> E_CHUNK_ID.isNotNull().and(E_CONTENT_HASH.ne(C_CONTENT_HASH));
              };
          List<Chunk> items = new ArrayList<>(query.limit());
          for (Record r :
              tx.dsl()
                  .select(Rows.chunkFields())
                  .from(chunksWithVectors(set.id(), query.afterId()))
                  .where(C_COLLECTION_ID.eq(inline(coll.id())))
                  .and(C_ID.gt(inline(query.afterId())))
                  .and(state)
                  .and(Rows.filter(query.filter()))
                  .and(byDocumentIds(coll, query.filter()))
                  .orderBy(C_ID)
                  .limit(inline(query.limit()))
                  .fetch()) {
            items.add(Rows.chunk(coll.name(), set, r));
          }
          return Rows.page(items, query.limit(), Chunk::id);
        });
  }

  /**
   * With a document-key filter, restricts the chunks by their document ids too, found in an
   * InitPlan: the planner then reads the few chunks of those documents by index instead of walking
   * the whole collection in id order until it has a page (measured: a backup reading 500 documents
   * at a time slowed down quadratically).
   */
  private Condition byDocumentIds(CollectionRow coll, dev.portfolio.core.model.SearchFilter f) {
    if (f.documentKeys().isEmpty()) {
      return DSL.noCondition();
    }
    return DSL.condition(
        "{0} = ANY(ARRAY(SELECT dk.id FROM {1} dk WHERE dk.collection_id = {2} AND dk.key ="
            + " ANY({3})))",
        C_DOCUMENT_ID,
        DSL.table(DSL.name(t.schema(), "documents")),
        inline(coll.id()),
        DSL.val(f.documentKeys().toArray(new String[0])));
  }

  boolean updateStatus(String collection, String key, DocumentStatus status, String error) {
    String stored = status == DocumentStatus.FAILED && error != null ? error : null;
    if (stored != null && stored.indexOf('\0') >= 0) {
      stored = stored.replace('\0', '\uFFFD');
    }
    String errorText = stored;
    // Recording a failure increments the attempt count: not repeated blindly after a lost reply.
    return db.call(
        "Updating the status of document '" + Inputs.printable(key) + "'",
        status != DocumentStatus.FAILED,
        () ->
            db.tx(
                tx -> {
                  CollectionRow coll = catalog.require(tx, collection);
                  return tx.dsl()
                          .update(t.documents)
                          .set(D_STATUS, Rows.statusName(status))
                          .set(D_ERROR, errorText)
                          .set(Failures.D_FAILURE, DSL.castNull(SQLDataType.CLOB))
                          .set(
                              D_ATTEMPTS,
                              status == DocumentStatus.FAILED ? D_ATTEMPTS.plus(1) : D_ATTEMPTS)
                          .set(D_DELETED_AT, DSL.castNull(SQLDataType.TIMESTAMPWITHTIMEZONE))
                          .set(D_UPDATED_AT, DSL.currentOffsetDateTime())
                          .where(D_COLLECTION_ID.eq(inline(coll.id())))
                          .and(D_KEY.eq(key))
                          .execute()
                      > 0;
                }));
  }

  DeleteResult deleteDocument(String collection, String key) {
    return delete("delete_document", collection, D_KEY.eq(key), 0);
  }

  DeleteResult deleteBySource(String collection, String sourceId) {
    return delete("delete_by_source", collection, D_SOURCE_ID.eq(sourceId), 0);
  }

  /** Deletes the first {@code limit} documents of a source in id order: one batch of many. */
  DeleteResult deleteBySource(String collection, String sourceId, int limit) {
    return delete("delete_by_source", collection, D_SOURCE_ID.eq(sourceId), limit);
  }

  /** Deletes the matching documents, or the first {@code limit} in id order (0: all of them). */
  private DeleteResult delete(String operation, String collection, Condition which, int limit) {
    return db.write(
        "Deleting documents of collection '" + collection + "'",
        operation,
        collection,
        true,
        tx -> {
          CollectionRow coll = catalog.lock(tx, collection);
          List<Long> ids =
              limit > 0
                  ? tx.dsl()
                      .select(D_ID)
                      .from(t.documents)
                      .where(D_COLLECTION_ID.eq(inline(coll.id())))
                      .and(which)
                      .orderBy(D_ID)
                      .limit(limit)
                      .forUpdate()
                      .fetch(D_ID)
                  : tx.dsl()
                      .select(D_ID)
                      .from(t.documents)
                      .where(D_COLLECTION_ID.eq(inline(coll.id())))
                      .and(which)
                      .orderBy(D_KEY)
                      .forUpdate()
                      .fetch(D_ID);
          if (ids.isEmpty()) {
            return DeleteResult.NONE;
          }
          Long[] idArray = ids.toArray(new Long[0]);
          // Their vectors go with the chunks (trigger chunks_delete_embeddings).
          int chunks =
              tx.dsl().deleteFrom(t.chunks).where(C_DOCUMENT_ID.eq(DSL.any(idArray))).execute();
          int docs = tx.dsl().deleteFrom(t.documents).where(D_ID.eq(DSL.any(idArray))).execute();
          return new DeleteResult(docs, chunks);
        },
        r -> r.documents() + r.chunks());
  }

  boolean softDelete(String collection, String key) {
    return db.read(
        "Soft-deleting document '" + Inputs.printable(key) + "'",
        tx -> {
          CollectionRow coll = catalog.require(tx, collection);
          return tx.dsl()
                  .update(t.documents)
                  .set(D_STATUS, Rows.statusName(DocumentStatus.DELETED))
                  .set(D_DELETED_AT, DSL.currentOffsetDateTime())
                  .set(D_UPDATED_AT, DSL.currentOffsetDateTime())
                  .where(D_COLLECTION_ID.eq(inline(coll.id())))
                  .and(D_KEY.eq(key))
                  .and(D_STATUS.ne(Rows.statusName(DocumentStatus.DELETED)))
                  .execute()
              > 0;
        });
  }

  boolean restore(String collection, String key) {
    return db.read(
        "Restoring document '" + Inputs.printable(key) + "'",
        tx -> {
          CollectionRow coll = catalog.require(tx, collection);
          var status =
              DSL.when(
                      DSL.notExists(
                          DSL.selectOne()
                              .from(
                                  t.chunks
                                      .leftJoin(t.embeddings)
                                      .on(E_CHUNK_ID.eq(C_ID))
                                      .and(E_SET_ID.eq(inline(coll.activeSetId()))))
                              .where(C_DOCUMENT_ID.eq(D_ID))
                              .and(E_CHUNK_ID.isNull())),
                      inline(Rows.statusName(DocumentStatus.READY)))
                  .otherwise(inline(Rows.statusName(DocumentStatus.PENDING)));
          return tx.dsl()
                  .update(t.documents)
                  .set(D_STATUS, status)
                  .set(D_DELETED_AT, DSL.castNull(SQLDataType.TIMESTAMPWITHTIMEZONE))
                  .set(D_UPDATED_AT, DSL.currentOffsetDateTime())
                  .where(D_COLLECTION_ID.eq(inline(coll.id())))
                  .and(D_KEY.eq(key))
                  .and(D_STATUS.eq(Rows.statusName(DocumentStatus.DELETED)))
                  .execute()
              > 0;
        });
  }
}
