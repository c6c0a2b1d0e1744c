package dev.portfolio.index.pgvector;

import static org.jooq.impl.DSL.inline;

import dev.portfolio.core.model.DocumentChange;
import dev.portfolio.core.validation.Inputs;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import org.jooq.Field;
import org.jooq.InsertValuesStep6;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/** The {@code document_history} table (schema version 4): appends and reads by document key. */
final class DocumentHistory {
  private static final Field<Long> H_ID = DSL.field(DSL.name("h", "id"), SQLDataType.BIGINT);
  private static final Field<Long> H_COLLECTION_ID =
      DSL.field(DSL.name("h", "collection_id"), SQLDataType.BIGINT);
  private static final Field<String> H_KEY =
      DSL.field(DSL.name("h", "document_key"), SQLDataType.CLOB);
  private static final Field<String> H_KIND = DSL.field(DSL.name("h", "kind"), SQLDataType.CLOB);
  private static final Field<String> H_FINGERPRINT =
      DSL.field(DSL.name("h", "fingerprint"), SQLDataType.CLOB);
  private static final Field<String> H_JOB_ID =
      DSL.field(DSL.name("h", "job_id"), SQLDataType.CLOB);
  private static final Field<OffsetDateTime> H_CHANGED_AT =
      DSL.field(DSL.name("h", "changed_at"), SQLDataType.TIMESTAMPWITHTIMEZONE);

  private final Db db;
  private final Catalog catalog;
  private final Table<Record> history;

  DocumentHistory(Db db, Catalog catalog) {
    this.db = db;
    this.catalog = catalog;
    this.history = db.tables().table("document_history").as("h");
  }

  void record(String collection, List<DocumentChange> changes) {
    Inputs.collectionName(collection);
    Inputs.requireNoNullElements("changes", changes);
    if (changes.isEmpty()) {
      catalog.embeddingSets(collection);
      return;
    }
    db.write(
        "Recording " + changes.size() + " history entries of '" + collection + "'",
        "record_history",
        collection,
        false,
        tx -> {
          CollectionRow coll = catalog.lock(tx, collection);
          InsertValuesStep6<Record, Long, String, String, String, String, OffsetDateTime> insert =
              tx.dsl()
                  .insertInto(history)
                  .columns(
                      unqualified(H_COLLECTION_ID),
                      unqualified(H_KEY),
                      unqualified(H_KIND),
                      unqualified(H_FINGERPRINT),
                      unqualified(H_JOB_ID),
                      unqualified(H_CHANGED_AT));
          for (DocumentChange c : changes) {
            insert =
                insert.values(
                    coll.id(),
                    c.key(),
                    c.kind().name().toLowerCase(Locale.ROOT),
                    c.fingerprint(),
                    c.jobId(),
                    OffsetDateTime.ofInstant(c.changedAt(), ZoneOffset.UTC));
          }
          return insert.execute();
        },
        n -> n);
  }

  List<DocumentChange> history(String collection, String key) {
    Inputs.collectionName(collection);
    Inputs.requireNonNull("key", key);
    return db.read(
        "Reading the history of document '" + Inputs.printable(key) + "'",
        tx -> {
          CollectionRow coll = catalog.require(tx, collection);
          return tx.dsl()
              .select(H_KEY, H_KIND, H_FINGERPRINT, H_JOB_ID, H_CHANGED_AT)
              .from(history)
              .where(H_COLLECTION_ID.eq(inline(coll.id())))
              .and(H_KEY.eq(key))
              .orderBy(H_CHANGED_AT, H_ID)
              .fetch()
              .map(
                  r ->
                      new DocumentChange(
                          r.get(H_KEY),
                          DocumentChange.Kind.valueOf(r.get(H_KIND).toUpperCase(Locale.ROOT)),
                          r.get(H_FINGERPRINT),
                          r.get(H_JOB_ID),
                          r.get(H_CHANGED_AT).toInstant()));
        });
  }

  private static <T> Field<T> unqualified(Field<T> f) {
    return DSL.field(DSL.name(f.getUnqualifiedName().last()), f.getDataType());
  }
}
