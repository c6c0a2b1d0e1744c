package dev.portfolio.index.pgvector;

import static dev.portfolio.index.internal.PgTables.C_CONTENT_HASH;
import static dev.portfolio.index.internal.PgTables.C_ID;
import static dev.portfolio.index.internal.PgTables.C_METADATA;
import static dev.portfolio.index.internal.PgTables.C_ORDINAL;
import static dev.portfolio.index.internal.PgTables.C_TEXT;
import static dev.portfolio.index.internal.PgTables.C_TOKEN_COUNT;
import static dev.portfolio.index.internal.PgTables.D_ATTEMPTS;
import static dev.portfolio.index.internal.PgTables.D_COLLECTION_ID;
import static dev.portfolio.index.internal.PgTables.D_CREATED_AT;
import static dev.portfolio.index.internal.PgTables.D_DELETED_AT;
import static dev.portfolio.index.internal.PgTables.D_ERROR;
import static dev.portfolio.index.internal.PgTables.D_FINGERPRINT;
import static dev.portfolio.index.internal.PgTables.D_ID;
import static dev.portfolio.index.internal.PgTables.D_KEY;
import static dev.portfolio.index.internal.PgTables.D_METADATA;
import static dev.portfolio.index.internal.PgTables.D_SOURCE_ID;
import static dev.portfolio.index.internal.PgTables.D_STATUS;
import static dev.portfolio.index.internal.PgTables.D_UPDATED_AT;
import static dev.portfolio.index.internal.PgTables.D_WORKSPACE;
import static dev.portfolio.index.internal.PgTables.E_CONTENT_HASH;
import static dev.portfolio.index.internal.PgTables.E_EMBEDDING;
import static dev.portfolio.index.internal.PgTables.E_MODEL;

import dev.portfolio.core.model.Chunk;
import dev.portfolio.core.model.Document;
import dev.portfolio.core.model.DocumentStatus;
import dev.portfolio.core.model.EmbeddingSet;
import dev.portfolio.core.model.Page;
import dev.portfolio.core.model.SearchFilter;
import dev.portfolio.core.model.SearchHit;
import dev.portfolio.index.internal.Json;
import dev.portfolio.index.internal.PgTables;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.ToLongFunction;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.JSONB;
import org.jooq.Record;
import org.jooq.SelectField;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/** Row mapping and filter translation shared by the store's parts. */
final class Rows {
  private Rows() {}

  static List<SelectField<?>> documentFields() {
    return List.of(
        D_ID,
        D_KEY,
        D_SOURCE_ID,
        D_WORKSPACE,
        D_STATUS,
        D_FINGERPRINT,
        D_METADATA,
        D_ERROR,
        D_ATTEMPTS,
        D_CREATED_AT,
        D_UPDATED_AT,
        D_DELETED_AT);
  }

  static Document document(String collection, Record r) {
    OffsetDateTime deleted = r.get(D_DELETED_AT);
    return new Document(
        r.get(D_ID),
        collection,
        r.get(D_KEY),
        r.get(D_SOURCE_ID),
        r.get(D_WORKSPACE),
        status(r.get(D_STATUS)),
        r.get(D_FINGERPRINT),
        metadata(r.get(D_METADATA)),
        r.get(D_ERROR),
        r.get(D_ATTEMPTS),
        r.get(D_CREATED_AT).toInstant(),
        r.get(D_UPDATED_AT).toInstant(),
        deleted == null ? null : deleted.toInstant());
  }

  /** Chunk columns plus the vector columns of {@code e} (left-joined: null when missing). */
  static List<SelectField<?>> chunkFields() {
    return List.of(
        C_ID,
        D_KEY,
        C_ORDINAL,
        C_TEXT,
        C_CONTENT_HASH,
        C_TOKEN_COUNT,
        E_EMBEDDING,
        E_MODEL,
        E_CONTENT_HASH,
        C_METADATA);
  }

  static Chunk chunk(String collection, EmbeddingSet set, Record r) {
    var embedding = r.get(E_EMBEDDING);
    String model = r.get(E_MODEL);
    return new Chunk(
        r.get(C_ID),
        collection,
        r.get(D_KEY),
        r.get(C_ORDINAL),
        r.get(C_TEXT),
        r.get(C_CONTENT_HASH),
        r.get(C_TOKEN_COUNT),
        embedding,
        embedding == null ? null : model == null ? set.model() : model,
        r.get(E_CONTENT_HASH),
        metadata(r.get(C_METADATA)));
  }

  static List<SelectField<?>> hitFields(Field<?>... extra) {
    List<SelectField<?>> fields =
        new ArrayList<>(List.of(C_ID, C_ORDINAL, C_TEXT, D_KEY, D_SOURCE_ID, D_METADATA));
    fields.addAll(List.of(extra));
    return fields;
  }

  static SearchHit hit(String collection, Record r, double score) {
    return new SearchHit(
        collection,
        r.get(D_KEY),
        r.get(D_SOURCE_ID),
        r.get(C_ID),
        r.get(C_ORDINAL),
        r.get(C_TEXT),
        score,
        metadata(r.get(D_METADATA)));
  }

  static Map<String, String> metadata(JSONB json) {
    return json == null ? Map.of() : Json.parseObject(json.data());
  }

  /** A page carries the cursor of its last item exactly when it is full. */
  static <T> Page<T> page(List<T> items, int limit, ToLongFunction<T> id) {
    return new Page<>(
        items,
        items.size() == limit
            ? OptionalLong.of(id.applyAsLong(items.get(items.size() - 1)))
            : OptionalLong.empty());
  }

  /** Translates a filter into a condition on {@code d}. */
  static Condition filter(SearchFilter f) {
    Condition c = DSL.noCondition();
    if (!f.sourceIds().isEmpty()) {
      c = c.and(D_SOURCE_ID.eq(DSL.any(f.sourceIds().toArray(new String[0]))));
    }
    if (f.workspace() != null) {
      c = c.and(D_WORKSPACE.eq(f.workspace()));
    }
    if (!f.documentKeys().isEmpty()) {
      c = c.and(D_KEY.eq(DSL.any(f.documentKeys().toArray(new String[0]))));
    }
    Set<DocumentStatus> statuses = f.effectiveStatuses();
    if (statuses.size() == DocumentStatus.values().length - 1
        && !statuses.contains(DocumentStatus.DELETED)) {
      c = c.and(D_STATUS.ne(DSL.inline(statusName(DocumentStatus.DELETED))));
    } else if (statuses.size() < DocumentStatus.values().length) {
      c =
          c.and(
              D_STATUS.eq(DSL.any(statuses.stream().map(Rows::statusName).toArray(String[]::new))));
    }
    if (!f.metadata().isEmpty()) {
      c =
          c.and(
              DSL.condition(
                  "{0} @> {1}",
                  D_METADATA,
                  DSL.val(JSONB.valueOf(Json.object(f.metadata())), SQLDataType.JSONB)));
    }
    return c;
  }

  /**
   * The documents a filter admits, as a condition on a chunk's document id that needs no join of
   * the chunk's row with its document: nothing for a filter that admits every document; for the
   * default filter (every document but the deleted ones) an anti-join on the few deleted documents
   * of the collection, which the partial index {@code documents_deleted_idx} finds; otherwise a
   * semi-join on the documents the filter admits. Keyword search ranks its candidates with this
   * before it reads any text, so the filter costs nothing per matching chunk.
   *
   * @param f the filter
   * @param tables the schema's tables
   * @param collectionId the collection the chunks belong to
   * @param documentId the chunk's document id
   * @return the condition
   */
  static Condition documentFilter(
      SearchFilter f, PgTables tables, long collectionId, Field<Long> documentId) {
    Set<DocumentStatus> statuses = f.effectiveStatuses();
    boolean onlyStatus =
        f.sourceIds().isEmpty()
            && f.workspace() == null
            && f.documentKeys().isEmpty()
            && f.metadata().isEmpty();
    if (onlyStatus && statuses.size() == DocumentStatus.values().length) {
      return DSL.noCondition();
    }
    if (onlyStatus
        && statuses.size() == DocumentStatus.values().length - 1
        && !statuses.contains(DocumentStatus.DELETED)) {
      // status = 'deleted' exactly when deleted_at is set (a check constraint says so).
      return DSL.notExists(
          DSL.selectOne()
              .from(tables.documents)
              .where(D_COLLECTION_ID.eq(DSL.inline(collectionId)))
              .and(D_DELETED_AT.isNotNull())
              .and(D_ID.eq(documentId)));
    }
    return documentId.in(
        DSL.select(D_ID)
            .from(tables.documents)
            .where(D_COLLECTION_ID.eq(DSL.inline(collectionId)))
            .and(filter(f)));
  }

  static String statusName(DocumentStatus status) {
    return status.name().toLowerCase(Locale.ROOT);
  }

  static DocumentStatus status(String stored) {
    return DocumentStatus.valueOf(stored.toUpperCase(Locale.ROOT));
  }
}
