package dev.portfolio.index.pgvector;

import static dev.portfolio.index.internal.PgTables.COL_ACTIVE_SET_ID;
import static dev.portfolio.index.internal.PgTables.COL_CREATED_AT;
import static dev.portfolio.index.internal.PgTables.COL_DISTANCE;
import static dev.portfolio.index.internal.PgTables.COL_ID;
import static dev.portfolio.index.internal.PgTables.COL_NAME;
import static dev.portfolio.index.internal.PgTables.COL_UPDATED_AT;
import static dev.portfolio.index.internal.PgTables.C_COLLECTION_ID;
import static dev.portfolio.index.internal.PgTables.D_COLLECTION_ID;
import static dev.portfolio.index.internal.PgTables.ES_ACTIVATED_AT;
import static dev.portfolio.index.internal.PgTables.ES_COLLECTION_ID;
import static dev.portfolio.index.internal.PgTables.ES_CREATED_AT;
import static dev.portfolio.index.internal.PgTables.ES_DIMENSION;
import static dev.portfolio.index.internal.PgTables.ES_ID;
import static dev.portfolio.index.internal.PgTables.ES_MODEL;
import static dev.portfolio.index.internal.PgTables.ES_RETIRED_AT;
import static dev.portfolio.index.internal.PgTables.ES_STATE;
import static org.jooq.impl.DSL.inline;

import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.NonRetriableException;
import dev.portfolio.core.model.CollectionInfo;
import dev.portfolio.core.model.CollectionSpec;
import dev.portfolio.core.model.EmbeddingSet;
import dev.portfolio.core.model.SetState;
import dev.portfolio.core.validation.StoreErrors;
import dev.portfolio.index.internal.AnnIndexBuilder;
import dev.portfolio.index.internal.AnnIndexSql;
import dev.portfolio.index.internal.Identifiers;
import dev.portfolio.index.internal.PgTables;
import dev.portfolio.index.internal.SqlErrors;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Query;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.SelectField;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collections and their embedding sets: creating, finding and dropping collections, and the set
 * life cycle (create a building set with its partition, activate, drop). Set changes of one
 * collection are serialised by locking its row; creating and dropping partitions needs ownership of
 * the {@code embeddings} table, and the error says which SQL an owner must run otherwise.
 */
final class Catalog {
  private static final Logger LOG = LoggerFactory.getLogger(Catalog.class);

  private final Db db;
  private final PgTables t;
  private final AnnIndexBuilder indexes;
  private final Duration lockTimeout;
  private final boolean indexOnCreate;

  Catalog(Db db, AnnIndexBuilder indexes, Duration lockTimeout, boolean indexOnCreate) {
    this.db = db;
    this.t = db.tables();
    this.indexes = indexes;
    this.lockTimeout = lockTimeout;
    this.indexOnCreate = indexOnCreate;
  }

  // ------------------------------------------------------------------------------ lookups

  static List<SelectField<?>> collectionFields() {
    return List.of(
        COL_ID, COL_NAME, COL_DISTANCE, COL_ACTIVE_SET_ID, ES_MODEL, ES_DIMENSION, COL_CREATED_AT);
  }

  static CollectionRow collectionRow(Record r) {
    return new CollectionRow(
        r.get(COL_ID),
        r.get(COL_NAME),
        CollectionRow.distance(r.get(COL_DISTANCE)),
        r.get(COL_ACTIVE_SET_ID),
        r.get(ES_MODEL),
        r.get(ES_DIMENSION),
        r.get(COL_CREATED_AT).toInstant());
  }

  /** Selects a collection joined with its active set. */
  org.jooq.SelectJoinStep<Record> selectCollection(Tx tx, List<SelectField<?>> fields) {
    return tx.dsl()
        .select(fields)
        .from(t.collections.join(t.embeddingSets).on(ES_ID.eq(COL_ACTIVE_SET_ID)));
  }

  /** How a read of a collection's row locks it. */
  enum RowLock {
    /** No lock. */
    NONE,
    /** Against a concurrent drop only. */
    KEY_SHARE,
    /** Set changes wait for the holders; holders after a set change see it. */
    SHARE,
    /** Serialises set changes of one collection. */
    NO_KEY_UPDATE,
    /** Exclusive, for dropping the collection. */
    UPDATE
  }

  Optional<CollectionRow> find(Tx tx, String name, RowLock lock) {
    var select = selectCollection(tx, collectionFields()).where(COL_NAME.eq(name));
    Record r =
        switch (lock) {
          case NONE -> select.fetchOne();
          case KEY_SHARE -> select.forKeyShare().of(t.collections).fetchOne();
          case SHARE -> select.forShare().of(t.collections).fetchOne();
          case NO_KEY_UPDATE -> select.forNoKeyUpdate().of(t.collections).fetchOne();
          case UPDATE -> select.forUpdate().of(t.collections).fetchOne();
        };
    return Optional.ofNullable(r).map(Catalog::collectionRow);
  }

  private CollectionRow require(Tx tx, String name, RowLock lock) {
    return find(tx, name, lock).orElseThrow(() -> StoreErrors.collectionNotFound(name));
  }

  CollectionRow require(Tx tx, String name) {
    return require(tx, name, RowLock.NONE);
  }

  /**
   * Reads the collection for a query and, in the same round trip, asks for custom plans for the
   * rest of the transaction. pgjdbc prepares a statement on the server after a few executions, and
   * PostgreSQL may then switch to a generic plan; for filters on skewed columns (every document
   * ready) that plan estimates one row and reads whole tables instead of using an index.
   */
  CollectionRow requireForQuery(Tx tx, String name) {
    List<SelectField<?>> fields = new ArrayList<>(collectionFields());
    fields.add(CUSTOM_PLANS);
    Record r = selectCollection(tx, fields).where(COL_NAME.eq(name)).fetchOne();
    if (r == null) {
      throw StoreErrors.collectionNotFound(name);
    }
    return collectionRow(r);
  }

  /** {@code set_config('plan_cache_mode', 'force_custom_plan', true)} as a select field. */
  static final SelectField<String> CUSTOM_PLANS =
      DSL.field("set_config('plan_cache_mode', 'force_custom_plan', true)", SQLDataType.CLOB);

  /** Reads the collection and locks it against a concurrent drop. */
  CollectionRow lock(Tx tx, String name) {
    return require(tx, name, RowLock.KEY_SHARE);
  }

  /**
   * Reads the collection and locks it in share mode: set changes (activation, drop) wait for the
   * writes that hold it, and writes that start later see their outcome.
   */
  CollectionRow lockShared(Tx tx, String name) {
    return require(tx, name, RowLock.SHARE);
  }

  /** Reads the collection and locks it against concurrent set changes. */
  private CollectionRow lockForSetChange(Tx tx, String name) {
    return require(tx, name, RowLock.NO_KEY_UPDATE);
  }

  Optional<CollectionInfo> findCollection(String name) {
    return db.read(
        "Reading collection '" + name + "'",
        tx -> find(tx, name, RowLock.NONE).map(CollectionRow::info));
  }

  List<CollectionInfo> listCollections() {
    return db.read(
        "Listing collections",
        tx ->
            selectCollection(tx, collectionFields())
                .orderBy(COL_NAME.collate("C"))
                .fetch()
                .map(r -> collectionRow(r).info()));
  }

  // ------------------------------------------------------------------------------ sets

  private static List<SelectField<?>> setFields() {
    return List.of(
        ES_ID,
        ES_COLLECTION_ID,
        ES_MODEL,
        ES_DIMENSION,
        ES_STATE,
        ES_CREATED_AT,
        ES_ACTIVATED_AT,
        ES_RETIRED_AT);
  }

  private static EmbeddingSet set(String collection, Record r) {
    return new EmbeddingSet(
        r.get(ES_ID),
        collection,
        r.get(ES_MODEL),
        r.get(ES_DIMENSION),
        SetState.valueOf(r.get(ES_STATE).toUpperCase(Locale.ROOT)),
        r.get(ES_CREATED_AT).toInstant(),
        instant(r.get(ES_ACTIVATED_AT)),
        instant(r.get(ES_RETIRED_AT)));
  }

  private static java.time.Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }

  private static String stateName(SetState s) {
    return s.name().toLowerCase(Locale.ROOT);
  }

  List<EmbeddingSet> sets(Tx tx, CollectionRow coll) {
    return tx.dsl()
        .select(setFields())
        .from(t.embeddingSets)
        .where(ES_COLLECTION_ID.eq(inline(coll.id())))
        .orderBy(ES_ID)
        .fetch()
        .map(r -> set(coll.name(), r));
  }

  /** Finds a set of the collection; id 0 is the active set. */
  Optional<EmbeddingSet> findSet(Tx tx, CollectionRow coll, long setId) {
    long id = setId == 0 ? coll.activeSetId() : setId;
    return tx.dsl()
        .select(setFields())
        .from(t.embeddingSets)
        .where(ES_ID.eq(id))
        .and(ES_COLLECTION_ID.eq(inline(coll.id())))
        .fetchOptional()
        .map(r -> set(coll.name(), r));
  }

  /** Finds a set of the collection, or fails with NOT_FOUND; id 0 is the active set. */
  EmbeddingSet requireSet(Tx tx, CollectionRow coll, long setId) {
    return findSet(tx, coll, setId).orElseThrow(() -> StoreErrors.setNotFound(coll.name(), setId));
  }

  List<EmbeddingSet> embeddingSets(String collection) {
    return db.read(
        "Listing the embedding sets of collection '" + collection + "'",
        tx -> sets(tx, require(tx, collection)));
  }

  // ------------------------------------------------------------------------------ create

  CollectionInfo createCollection(CollectionSpec spec) {
    String what = "Creating collection '" + spec.name() + "'";
    boolean[] created = new boolean[1];
    CollectionRow row =
        db.logged(
            "create_collection",
            spec.name(),
            () ->
                db.call(
                    what,
                    true,
                    () ->
                        db.tx(
                            tx -> {
                              Optional<CollectionRow> existing =
                                  find(tx, spec.name(), RowLock.NONE);
                              if (existing.isPresent()) {
                                return existing.get();
                              }
                              created[0] = true;
                              return insertCollection(tx, spec, what);
                            })),
            r -> created[0] ? 1 : 0);
    if (!created[0]) {
      CollectionSpec existing = row.info().spec();
      if (!existing.equals(spec)) {
        throw StoreErrors.collectionConflict(existing, spec);
      }
    }
    return row.info();
  }

  private CollectionRow insertCollection(Tx tx, CollectionSpec spec, String what)
      throws SQLException {
    long setId = nextSetId(tx);
    Record r =
        tx.dsl()
            .insertInto(t.collections, COL_NAME, COL_DISTANCE, COL_ACTIVE_SET_ID)
            .values(spec.name(), CollectionRow.distanceName(spec.distance()), setId)
            .onConflict(COL_NAME)
            .doNothing()
            .returningResult(COL_ID, COL_CREATED_AT)
            .fetchOne();
    if (r == null) {
      // Created concurrently since we looked: read that one instead.
      return require(tx, spec.name());
    }
    long id = r.get(COL_ID);
    List<Query> ddl = new ArrayList<>();
    ddl.add(insertSet(setId, id, spec.model(), spec.dimension(), SetState.ACTIVE));
    ddl.addAll(AnnIndexSql.createPartition(t.schema(), setId, spec.dimension()));
    if (indexOnCreate && AnnIndexSql.indexable(spec.dimension())) {
      // The partition is empty: a plain build is instant and needs no other transaction to end.
      ddl.add(indexes.createQuery(setId, spec.dimension(), spec.distance(), false));
    }
    runDdl(tx, what, ddl, ownerStatements(collectionInsert(spec, id, setId), ddl));
    return new CollectionRow(
        id,
        spec.name(),
        spec.distance(),
        setId,
        spec.model(),
        spec.dimension(),
        r.get(COL_CREATED_AT).toInstant());
  }

  private Query collectionInsert(CollectionSpec spec, long id, long setId) {
    return DSL.insertInto(
            t.table("collections"),
            DSL.field(DSL.name("id")),
            DSL.field(DSL.name("name")),
            DSL.field(DSL.name("distance")),
            DSL.field(DSL.name("active_set_id")))
        .values(
            inline(id),
            inline(spec.name()),
            inline(CollectionRow.distanceName(spec.distance())),
            inline(setId));
  }

  private Query insertSet(long setId, long collectionId, String model, int dim, SetState state) {
    return DSL.insertInto(
            t.table("embedding_sets"),
            DSL.field(DSL.name("id")),
            DSL.field(DSL.name("collection_id")),
            DSL.field(DSL.name("model")),
            DSL.field(DSL.name("dimension")),
            DSL.field(DSL.name("state")),
            DSL.field(DSL.name("activated_at")))
        .values(
            inline(setId),
            inline(collectionId),
            inline(model),
            inline(dim),
            inline(stateName(state)),
            state == SetState.ACTIVE
                ? DSL.currentOffsetDateTime()
                : DSL.castNull(SQLDataType.TIMESTAMPWITHTIMEZONE));
  }

  private long nextSetId(Tx tx) {
    return tx.dsl()
        .fetchSingle(
            "SELECT nextval(pg_get_serial_sequence({0}, 'id'))",
            inline(Identifiers.quote(t.schema()) + ".embedding_sets"))
        .get(0, Long.class);
  }

  /** Runs DDL in the transaction; without the right, names the statements an owner must run. */
  private void runDdl(Tx tx, String what, List<Query> ddl, String ownerSql) throws SQLException {
    Db.setLocal(tx.connection(), "lock_timeout", lockTimeout.toMillis() + "ms", true);
    try {
      for (Query q : ddl) {
        tx.dsl().execute(q);
      }
    } catch (RuntimeException e) {
      if (SqlErrors.INSUFFICIENT_PRIVILEGE.equals(SqlErrors.sqlState(e))) {
        throw new NonRetriableException(
            ErrorCode.PERMISSION_DENIED,
            what
                + " needs DDL: a partition of "
                + Identifiers.quote(t.schema())
                + ".embeddings holds each embedding set, and only the table's owner may create"
                + " one. Run it with the schema owner's DataSource, or have the owner execute:\n"
                + ownerSql,
            e);
      }
      throw e;
    }
    Db.setLocal(tx.connection(), "lock_timeout", "0", true);
  }

  private static String ownerStatements(Query first, List<Query> rest) {
    DSLContext render = DSL.using(SQLDialect.POSTGRES, new Settings().withRenderFormatted(false));
    StringBuilder sql = new StringBuilder("SET standard_conforming_strings = on;\nBEGIN;\n");
    if (first != null) {
      sql.append(render.renderInlined(first)).append(";\n");
    }
    for (Query q : rest) {
      sql.append(render.renderInlined(q)).append(";\n");
    }
    return sql.append("COMMIT;").toString();
  }

  EmbeddingSet createBuildingSet(String collection, String model, int dimension) {
    String what = "Creating a building set in collection '" + collection + "'";
    return db.write(
        what,
        "create_set",
        collection,
        true,
        tx -> {
          CollectionRow coll = lockForSetChange(tx, collection);
          for (EmbeddingSet s : sets(tx, coll)) {
            if (s.state() == SetState.BUILDING) {
              if (s.model().equals(model) && s.dimension() == dimension) {
                return s;
              }
              throw StoreErrors.buildingSetExists(s, model, dimension);
            }
            if (s.state() == SetState.ACTIVE
                && s.model().equals(model)
                && s.dimension() == dimension) {
              throw StoreErrors.sameModelAsActive(s);
            }
          }
          long setId = nextSetId(tx);
          List<Query> ddl = new ArrayList<>();
          ddl.add(insertSet(setId, coll.id(), model, dimension, SetState.BUILDING));
          ddl.addAll(AnnIndexSql.createPartition(t.schema(), setId, dimension));
          runDdl(tx, what, ddl, ownerStatements(null, ddl));
          return requireSet(tx, coll, setId);
        },
        s -> 1);
  }

  // ------------------------------------------------------------------------------ activate

  EmbeddingSet activateSet(String collection, long setId) {
    String what = "Activating embedding set " + setId + " of collection '" + collection + "'";
    EmbeddingSet target = db.read(what, tx -> requireSet(tx, require(tx, collection), setId));
    if (target.state() != SetState.ACTIVE && AnnIndexSql.indexable(target.dimension())) {
      // Searches must find the index the moment the set becomes active.
      CollectionRow coll = db.read(what, tx -> require(tx, collection));
      indexes.build(collection, target.id(), target.dimension(), coll.distance());
    }
    return db.write(
        what,
        "activate_set",
        collection,
        true,
        tx -> {
          CollectionRow coll = lockForSetChange(tx, collection);
          EmbeddingSet set = requireSet(tx, coll, setId);
          if (set.state() == SetState.ACTIVE) {
            return set;
          }
          if (set.state() == SetState.BUILDING) {
            deleteOrphanVectors(tx, set.id());
          }
          tx.dsl()
              .update(t.embeddingSets)
              .set(ES_STATE, inline(stateName(SetState.RETIRED)))
              .set(ES_RETIRED_AT, DSL.currentOffsetDateTime())
              .where(ES_ID.eq(coll.activeSetId()))
              .execute();
          tx.dsl()
              .update(t.embeddingSets)
              .set(ES_STATE, inline(stateName(SetState.ACTIVE)))
              .set(ES_ACTIVATED_AT, DSL.currentOffsetDateTime())
              .set(ES_RETIRED_AT, DSL.castNull(SQLDataType.TIMESTAMPWITHTIMEZONE))
              .where(ES_ID.eq(set.id()))
              .execute();
          tx.dsl()
              .update(t.collections)
              .set(COL_ACTIVE_SET_ID, set.id())
              .set(COL_UPDATED_AT, DSL.currentOffsetDateTime())
              .where(COL_ID.eq(coll.id()))
              .execute();
          return requireSet(tx, coll, set.id());
        },
        s -> 1);
  }

  /**
   * Deletes the vectors of a building set whose chunks are gone. Writes into a building set take no
   * document locks (see {@link VectorWriter}), so a chunk deleted while its vector was being
   * written can leave that vector behind; activation calls this once no writer of the set is left
   * (it holds the collection's row lock, which writers share), so searches never see such a vector.
   */
  private void deleteOrphanVectors(Tx tx, long setId) {
    int deleted =
        tx.dsl()
            .execute(
                "DELETE FROM {0} e WHERE e.set_id = {1} AND NOT EXISTS (SELECT FROM {2} c WHERE"
                    + " c.id = e.chunk_id)",
                t.table("embeddings"), inline(setId), t.table("chunks"));
    if (deleted > 0) {
      LOG.info(
          "Deleted {} vector(s) of embedding set {} whose chunks were deleted while it was built",
          deleted,
          setId);
    }
  }

  // ------------------------------------------------------------------------------ drop

  /**
   * Drops a set: its row in one transaction (so no writer or reader finds it any more), then its
   * partition with {@code DETACH PARTITION CONCURRENTLY} and {@code DROP TABLE}, which never holds
   * a lock that blocks searches of the other sets.
   */
  boolean dropSet(String collection, long setId) {
    String what = "Dropping embedding set " + setId + " of collection '" + collection + "'";
    long dropped =
        db.write(
            what,
            "drop_set",
            collection,
            true,
            tx -> {
              CollectionRow coll = lockForSetChange(tx, collection);
              Optional<EmbeddingSet> found = findSet(tx, coll, setId);
              if (found.isEmpty()) {
                return 0L;
              }
              EmbeddingSet set = found.get();
              long id = set.id();
              if (set.state() == SetState.ACTIVE) {
                throw StoreErrors.wrongSetState(
                    set,
                    "dropped",
                    "Activate another set first (activateSet or rollback), then drop this one.");
              }
              Query deleteRow =
                  DSL.deleteFrom(t.table("embedding_sets"))
                      .where(DSL.field(DSL.name("id")).eq(inline(id)));
              if (!indexes.ownsPartition(tx.connection(), id)) {
                throw new NonRetriableException(
                    ErrorCode.PERMISSION_DENIED,
                    what
                        + " needs DDL: only the owner of "
                        + Identifiers.quote(t.schema())
                        + ".embeddings may drop a set's partition. Run it with the schema owner's"
                        + " DataSource, or have the owner execute:\n"
                        + ownerStatements(
                            deleteRow, List.of(AnnIndexSql.dropPartition(t.schema(), id))));
              }
              tx.dsl().execute(deleteRow);
              return id;
            },
            id -> id == 0 ? 0 : 1);
    if (dropped == 0) {
      return false;
    }
    dropPartition(collection, dropped);
    return true;
  }

  /**
   * Drops the partitions whose set row is gone: what a {@link #dropSet} killed between deleting the
   * row and dropping the partition left. A set's row and partition are created in one transaction,
   * so a partition without a committed row is never a set being created.
   */
  int finishInterruptedDrops() {
    List<Long> leftovers =
        db.read(
            "Looking for partitions of dropped embedding sets",
            tx ->
                tx.dsl()
                    .fetch(
                        "SELECT substr(c.relname, 12)::bigint FROM pg_catalog.pg_class c"
                            + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                            + " WHERE n.nspname = {0} AND c.relkind = 'r'"
                            + " AND c.relname ~ '^embeddings_[0-9]+$'"
                            + " AND NOT EXISTS (SELECT 1 FROM {1} s"
                            + " WHERE s.id = substr(c.relname, 12)::bigint)"
                            + " ORDER BY 1",
                        DSL.val(t.schema()), t.table("embedding_sets"))
                    .getValues(0, Long.class));
    int dropped = 0;
    for (long setId : leftovers) {
      LOG.info(
          "Dropping the partition of embedding set {}, whose drop was interrupted after the set"
              + " was removed",
          setId);
      if (dropPartition("(set " + setId + " was already removed)", setId)) {
        dropped++;
      }
    }
    return dropped;
  }

  private boolean dropPartition(String collection, long setId) {
    String what =
        "Dropping the partition of embedding set " + setId + " of collection '" + collection + "'";
    try {
      db.session(
          what,
          (c, dsl) -> {
            Db.setLocal(c, "statement_timeout", "0", false);
            try {
              Boolean pending =
                  dsl.fetchOptional(
                          "SELECT i.inhdetachpending FROM pg_catalog.pg_inherits i"
                              + " WHERE i.inhrelid = to_regclass({0})",
                          DSL.val(
                              Identifiers.quote(t.schema())
                                  + "."
                                  + AnnIndexSql.partitionName(setId)))
                      .map(r -> r.get(0, Boolean.class))
                      .orElse(null);
              if (pending != null) {
                dsl.execute(AnnIndexSql.detachPartition(t.schema(), setId, pending));
              }
              dsl.execute(AnnIndexSql.dropPartition(t.schema(), setId));
            } finally {
              dsl.execute("RESET statement_timeout");
            }
            return null;
          });
      return true;
    } catch (RuntimeException e) {
      LOG.warn(
          "Embedding set {} of collection '{}' was dropped, but dropping its partition failed"
              + " ({}); it holds no reachable data. Drop it as the schema owner: {};",
          setId,
          collection,
          e.getMessage(),
          AnnIndexSql.render(AnnIndexSql.dropPartition(t.schema(), setId)));
      return false;
    }
  }

  boolean dropCollection(String name) {
    String what = "Dropping collection '" + name + "'";
    return db.write(
        what,
        "drop_collection",
        name,
        true,
        tx -> {
          Optional<CollectionRow> found = find(tx, name, RowLock.UPDATE);
          if (found.isEmpty()) {
            return false;
          }
          dropLocked(tx, found.get());
          return true;
        },
        dropped -> dropped ? 1 : 0);
  }

  /**
   * Drops {@code target} (when it exists) and renames {@code replacement} to it, in one
   * transaction: readers see the old collection or the new one, never neither.
   */
  CollectionInfo replaceCollection(String target, String replacement) {
    String what = "Putting collection '" + replacement + "' in the place of '" + target + "'";
    return db.write(
        what,
        "replace_collection",
        target,
        true,
        tx -> {
          CollectionRow repl = require(tx, replacement, RowLock.UPDATE);
          Optional<CollectionRow> old = find(tx, target, RowLock.UPDATE);
          if (old.isPresent()) {
            dropLocked(tx, old.get());
          }
          tx.dsl()
              .update(t.collections)
              .set(COL_NAME, target)
              .where(COL_ID.eq(repl.id()))
              .execute();
          return require(tx, target, RowLock.NONE).info();
        },
        info -> 1);
  }

  /** Deletes a locked collection with its documents, chunks, sets and their partitions. */
  private void dropLocked(Tx tx, CollectionRow coll) throws SQLException {
    List<EmbeddingSet> sets = sets(tx, coll);
    boolean owner = indexes.ownsPartition(tx.connection(), coll.activeSetId());
    if (owner) {
      // Dropping the partitions first spares deleting their rows one by one.
      Db.setLocal(tx.connection(), "lock_timeout", lockTimeout.toMillis() + "ms", true);
      for (EmbeddingSet s : sets) {
        tx.dsl().execute(AnnIndexSql.dropPartition(t.schema(), s.id()));
      }
      Db.setLocal(tx.connection(), "lock_timeout", "0", true);
    }
    tx.dsl().deleteFrom(t.chunks).where(C_COLLECTION_ID.eq(inline(coll.id()))).execute();
    tx.dsl().deleteFrom(t.documents).where(D_COLLECTION_ID.eq(inline(coll.id()))).execute();
    tx.dsl().deleteFrom(t.collections).where(COL_ID.eq(coll.id())).execute();
    if (!owner) {
      LOG.info(
          "Collection '{}' was dropped; its empty set partitions {} stay until the schema"
              + " owner drops them",
          coll.name(),
          sets.stream().map(s -> AnnIndexSql.partitionName(s.id())).toList());
    }
  }
}
