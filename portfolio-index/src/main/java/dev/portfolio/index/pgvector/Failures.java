package dev.portfolio.index.pgvector;

import static dev.portfolio.index.internal.PgTables.D_ATTEMPTS;
import static dev.portfolio.index.internal.PgTables.D_COLLECTION_ID;
import static dev.portfolio.index.internal.PgTables.D_DELETED_AT;
import static dev.portfolio.index.internal.PgTables.D_ERROR;
import static dev.portfolio.index.internal.PgTables.D_ID;
import static dev.portfolio.index.internal.PgTables.D_KEY;
import static dev.portfolio.index.internal.PgTables.D_STATUS;
import static dev.portfolio.index.internal.PgTables.D_UPDATED_AT;
import static org.jooq.impl.DSL.inline;

import dev.portfolio.core.model.DocumentQuery;
import dev.portfolio.core.model.DocumentStatus;
import dev.portfolio.core.model.FailedDocument;
import dev.portfolio.core.model.FailureKind;
import dev.portfolio.core.model.Page;
import dev.portfolio.core.model.SearchFilter;
import dev.portfolio.core.validation.Inputs;
import dev.portfolio.index.internal.PgTables;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SelectField;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/** Failed documents with the kind of their last failure ({@code documents.failure}, version 5). */
final class Failures {
  /** {@code documents.failure}: retriable, rejected, permanent, or NULL. */
  static final Field<String> D_FAILURE = DSL.field(DSL.name("d", "failure"), SQLDataType.CLOB);

  private final Db db;
  private final PgTables t;
  private final Catalog catalog;

  Failures(Db db, Catalog catalog) {
    this.db = db;
    this.t = db.tables();
    this.catalog = catalog;
  }

  Page<FailedDocument> listFailed(DocumentQuery query) {
    SearchFilter f = query.filter();
    SearchFilter failedOnly =
        new SearchFilter(f.sourceIds(), f.workspace(), Set.of(DocumentStatus.FAILED), f.metadata());
    return db.read(
        "Listing failed documents of collection '" + query.collection() + "'",
        tx -> {
          CollectionRow coll = catalog.requireForQuery(tx, query.collection());
          List<SelectField<?>> fields = new ArrayList<>(Rows.documentFields());
          fields.add(D_FAILURE);
          List<FailedDocument> items = new ArrayList<>(query.limit());
          for (Record r :
              tx.dsl()
                  .select(fields)
                  .from(t.documents)
                  .where(D_COLLECTION_ID.eq(inline(coll.id())))
                  .and(D_ID.gt(query.afterId()))
                  .and(Rows.filter(failedOnly))
                  .orderBy(D_ID)
                  .limit(inline(query.limit()))
                  .fetch()) {
            items.add(
                new FailedDocument(
                    Rows.document(coll.name(), r), FailureKind.fromStoredName(r.get(D_FAILURE))));
          }
          return Rows.page(items, query.limit(), d -> d.document().id());
        });
  }

  boolean recordFailure(String collection, String key, FailureKind kind, String error) {
    String clean = error.indexOf('\0') >= 0 ? error.replace('\0', '\uFFFD') : error;
    boolean counts = kind != FailureKind.PERMANENT;
    // Counting an attempt is not repeated blindly after a lost reply; a verdict may be.
    return db.call(
        "Recording a failure of document '" + Inputs.printable(key) + "'",
        !counts,
        () ->
            db.tx(
                tx -> {
                  CollectionRow coll = catalog.require(tx, collection);
                  return tx.dsl()
                          .update(t.documents)
                          .set(D_STATUS, Rows.statusName(DocumentStatus.FAILED))
                          .set(D_ERROR, clean)
                          .set(D_FAILURE, kind.storedName())
                          .set(D_ATTEMPTS, counts ? D_ATTEMPTS.plus(1) : D_ATTEMPTS)
                          .set(D_DELETED_AT, DSL.castNull(SQLDataType.TIMESTAMPWITHTIMEZONE))
                          .set(D_UPDATED_AT, DSL.currentOffsetDateTime())
                          .where(D_COLLECTION_ID.eq(inline(coll.id())))
                          .and(D_KEY.eq(key))
                          .execute()
                      > 0;
                }));
  }
}
