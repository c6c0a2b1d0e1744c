package dev.portfolio.index.migration;

import static org.jooq.impl.DSL.inline;

import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.NonRetriableException;
import dev.portfolio.core.model.Distance;
import dev.portfolio.core.validation.Inputs;
import dev.portfolio.core.validation.StoreErrors;
import dev.portfolio.index.internal.AnnIndexSql;
import dev.portfolio.index.internal.Identifiers;
import dev.portfolio.index.internal.PgTables;
import dev.portfolio.index.internal.SqlErrors;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Query;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * Generates and applies embedding migrations: the Java counterpart of a "generate embedding
 * migration" task. Given a collection and a new model and dimension, {@link #plan} reads the
 * collection's state and returns the SQL a team reviews and applies (Flyway, Liquibase, by hand);
 * {@link #apply} and {@link #revert} run the very same statements.
 *
 * <pre>{@code
 * EmbeddingMigrations migrations = EmbeddingMigrations.on(dataSource, "portfolio");
 * EmbeddingMigration m = migrations.plan("docs", "openai:text-embedding-3-large", 3072);
 * Files.writeString(Path.of("V43__docs_to_te3_large.sql"), m.upSql());
 * Files.writeString(Path.of("U43__docs_to_te3_large.sql"), m.downSql());
 * }</pre>
 *
 * <p>Applying a migration needs the role that owns the schema's tables: it builds an index. Values
 * in the generated SQL are rendered by jOOQ as escaped literals; identifiers are validated and
 * quoted.
 *
 * @since 0.1.0
 */
public final class EmbeddingMigrations {
  private static final Field<String> SLOT_A_MODEL = field("slot_a_model");
  private static final Field<Integer> SLOT_A_DIMENSION =
      DSL.field(DSL.name("slot_a_dimension"), SQLDataType.INTEGER);
  private static final Field<String> SLOT_B_MODEL = field("slot_b_model");
  private static final Field<Integer> SLOT_B_DIMENSION =
      DSL.field(DSL.name("slot_b_dimension"), SQLDataType.INTEGER);

  private final DataSource dataSource;
  private final PgTables t;
  private final int hnswM;
  private final int hnswEfConstruction;

  private EmbeddingMigrations(DataSource dataSource, String schema, int m, int efConstruction) {
    this.dataSource = Inputs.requireNonNull("dataSource", dataSource);
    this.t = new PgTables(Identifiers.schemaName("schema", schema));
    this.hnswM = Inputs.between("hnswM", m, 2, 100);
    this.hnswEfConstruction = Inputs.between("hnswEfConstruction", efConstruction, 4, 1000);
  }

  /**
   * Creates a generator for a schema with the default HNSW parameters ({@code m = 16}, {@code
   * ef_construction = 64}).
   *
   * @param dataSource a data source that may read the schema (and, to apply, owns it)
   * @param schema the Portfolio schema
   * @return the generator
   */
  public static EmbeddingMigrations on(DataSource dataSource, String schema) {
    return new EmbeddingMigrations(dataSource, schema, 16, 64);
  }

  /**
   * Returns a generator that builds indexes with other HNSW parameters.
   *
   * @param m HNSW {@code m}, 2 to 100
   * @param efConstruction HNSW {@code ef_construction}, 4 to 1000
   * @return a new generator
   */
  public EmbeddingMigrations withHnsw(int m, int efConstruction) {
    return new EmbeddingMigrations(dataSource, t.schema(), m, efConstruction);
  }

  /**
   * Plans moving a collection to a new model: reads its active slot and returns the SQL to prepare
   * the other slot for the new model, build its index, and take it all back.
   *
   * @param collection the collection
   * @param model the new model reference
   * @param dimension the new model's dimension
   * @return the migration
   * @throws dev.portfolio.core.error.PortfolioException with {@link ErrorCode#NOT_FOUND} for an
   *     unknown collection; with {@link ErrorCode#CONFLICT} when another migration of the
   *     collection is prepared, or when the collection already uses that model and dimension
   */
  public EmbeddingMigration plan(String collection, String model, int dimension) {
    Inputs.collectionName(collection);
    Inputs.requireKey("model", model);
    if (model.chars().anyMatch(Character::isISOControl)) {
      throw new dev.portfolio.core.error.InvalidInputException(
          "model",
          "model \""
              + Inputs.printable(model)
              + "\" contains control characters (line breaks, tabs); a migration script cannot"
              + " carry it safely. Use a model reference without them.");
    }
    Inputs.dimension("dimension", dimension);
    Record r;
    try (Connection c = dataSource.getConnection()) {
      r =
          DSL.using(c, SQLDialect.POSTGRES)
              .select(
                  PgTables.COL_ID,
                  PgTables.COL_DISTANCE,
                  PgTables.COL_ACTIVE_SLOT,
                  PgTables.COL_SLOT_A_MODEL,
                  PgTables.COL_SLOT_A_DIMENSION,
                  PgTables.COL_SLOT_B_MODEL,
                  PgTables.COL_SLOT_B_DIMENSION)
              .from(t.collections)
              .where(PgTables.COL_NAME.eq(collection))
              .fetchOne();
    } catch (SQLException | RuntimeException e) {
      throw SqlErrors.translate("Reading collection '" + collection + "'", e);
    }
    if (r == null) {
      throw StoreErrors.collectionNotFound(collection);
    }
    long id = r.get(PgTables.COL_ID);
    String active = r.get(PgTables.COL_ACTIVE_SLOT);
    String next = "a".equals(active) ? "b" : "a";
    boolean a = "a".equals(active);
    String fromModel = a ? r.get(PgTables.COL_SLOT_A_MODEL) : r.get(PgTables.COL_SLOT_B_MODEL);
    int fromDimension =
        a ? r.get(PgTables.COL_SLOT_A_DIMENSION) : r.get(PgTables.COL_SLOT_B_DIMENSION);
    String preparedModel = a ? r.get(PgTables.COL_SLOT_B_MODEL) : r.get(PgTables.COL_SLOT_A_MODEL);
    Integer preparedDimension =
        a ? r.get(PgTables.COL_SLOT_B_DIMENSION) : r.get(PgTables.COL_SLOT_A_DIMENSION);
    if (fromModel.equals(model) && fromDimension == dimension) {
      throw new NonRetriableException(
          ErrorCode.CONFLICT,
          "Collection '"
              + collection
              + "' already uses model "
              + model
              + " with "
              + dimension
              + " dimensions; there is nothing to migrate.");
    }
    if (preparedModel != null && !(preparedModel.equals(model) && preparedDimension == dimension)) {
      throw new NonRetriableException(
          ErrorCode.CONFLICT,
          "Collection '"
              + collection
              + "' has a migration to model "
              + preparedModel
              + " ("
              + preparedDimension
              + " dimensions) prepared in slot "
              + next
              + ". Finish or revert it (its down SQL, or EmbeddingMigrations.revert) before"
              + " planning another.");
    }
    Distance distance = Distance.valueOf(r.get(PgTables.COL_DISTANCE).toUpperCase(Locale.ROOT));
    DSLContext render = DSL.using(SQLDialect.POSTGRES);
    String header =
        String.format(
            Locale.ROOT,
            "-- Portfolio embedding migration for collection '%s' (id %d) in schema \"%s\":%n"
                + "--   from %s (%d dimensions, slot %s, searched now)%n"
                + "--   to   %s (%d dimensions, slot %s, filled by the re-embed)%n"
                + "-- Apply with the role that owns the schema's tables. Searches keep using slot %s"
                + " until the switch.%n",
            collection,
            id,
            t.schema(),
            sanitize(fromModel),
            fromDimension,
            active,
            sanitize(model),
            dimension,
            next,
            active);
    StringBuilder prepare = new StringBuilder(header).append("BEGIN;\n");
    for (Query q : prepareQueries(id, active, next, model, dimension)) {
      prepare.append(render.renderInlined(q)).append(";\n");
    }
    prepare.append("COMMIT;\n");
    String indexSql;
    if (AnnIndexSql.indexable(dimension)) {
      indexSql =
          "-- The next slot's ANN index. Building it after the re-embed filled the slot is about"
              + " three times\n-- faster than maintaining it during the load. CONCURRENTLY: run"
              + " it outside a transaction.\n"
              + AnnIndexSql.render(indexQuery(id, next, dimension, distance))
              + ";\n";
    } else {
      indexSql =
          "-- No ANN index: pgvector's HNSW holds at most "
              + AnnIndexSql.MAX_HALFVEC_DIMENSION
              + " dimensions; searches of slot "
              + next
              + " will be exact.\n";
    }
    StringBuilder down =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "-- Revert the embedding migration of collection '%s' to %s: drop slot %s's index"
                    + " and clear the slot.%n-- Changes nothing once the collection has switched"
                    + " to slot %s.%n",
                collection,
                sanitize(model),
                next,
                next));
    if (AnnIndexSql.indexable(dimension)) {
      down.append(AnnIndexSql.render(dropIndexQuery(id, next, dimension))).append(";\n");
    }
    down.append("BEGIN;\n");
    for (Query q : downQueries(id, active, next)) {
      down.append(render.renderInlined(q)).append(";\n");
    }
    down.append("COMMIT;\n");
    return new EmbeddingMigration(
        t.schema(),
        collection,
        id,
        active,
        next,
        fromModel,
        fromDimension,
        model,
        dimension,
        prepare.toString(),
        indexSql,
        down.toString());
  }

  /**
   * Applies a planned migration: the preparation in one transaction, then, when asked, the index
   * ({@code CREATE INDEX CONCURRENTLY}).
   *
   * @param migration a migration from {@link #plan}
   * @param buildIndex whether to build the next slot's index now (false: build it after the
   *     re-embed with {@link #buildIndex})
   */
  public void apply(EmbeddingMigration migration, boolean buildIndex) {
    Inputs.requireNonNull("migration", migration);
    inTransaction(
        "Preparing the embedding migration of collection '" + migration.collection() + "'",
        prepareQueries(
            migration.collectionId(),
            migration.activeSlot(),
            migration.nextSlot(),
            migration.toModel(),
            migration.toDimension()));
    if (buildIndex) {
      buildIndex(migration);
    }
  }

  /**
   * Builds the next slot's ANN index of a prepared migration (a no-op above 4000 dimensions).
   *
   * @param migration a migration from {@link #plan}
   */
  public void buildIndex(EmbeddingMigration migration) {
    Inputs.requireNonNull("migration", migration);
    if (!AnnIndexSql.indexable(migration.toDimension())) {
      return;
    }
    Distance distance = distanceOf(migration);
    String what = "Building the next-slot index of collection '" + migration.collection() + "'";
    String index =
        AnnIndexSql.indexName(
            migration.collectionId(), migration.nextSlot(), migration.toDimension());
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(true);
      DSLContext dsl = DSL.using(c, SQLDialect.POSTGRES);
      try {
        // IF NOT EXISTS would keep the invalid index an interrupted build left: drop it first.
        if (Boolean.FALSE.equals(AnnIndexSql.validity(c, t.schema(), index))) {
          dsl.execute(AnnIndexSql.dropIndex(t.schema(), index, true));
        }
        // A pool's statement_timeout must not cancel a long build.
        dsl.execute("SET statement_timeout = 0");
        try {
          dsl.execute(
              indexQuery(
                  migration.collectionId(),
                  migration.nextSlot(),
                  migration.toDimension(),
                  distance));
        } catch (RuntimeException e) {
          if (Boolean.FALSE.equals(AnnIndexSql.validity(c, t.schema(), index))) {
            dsl.execute(AnnIndexSql.dropIndex(t.schema(), index, true));
          }
          throw e;
        } finally {
          dsl.execute("RESET statement_timeout");
        }
      } finally {
        c.setAutoCommit(autoCommit);
      }
    } catch (SQLException | RuntimeException e) {
      throw SqlErrors.translate(what, e);
    }
  }

  /**
   * Reverts a migration that has not been switched to: drops the next slot's index and clears the
   * slot.
   *
   * @param migration a migration from {@link #plan}
   */
  public void revert(EmbeddingMigration migration) {
    Inputs.requireNonNull("migration", migration);
    String what =
        "Reverting the embedding migration of collection '" + migration.collection() + "'";
    if (AnnIndexSql.indexable(migration.toDimension())) {
      autoCommit(
          what,
          dropIndexQuery(migration.collectionId(), migration.nextSlot(), migration.toDimension()));
    }
    inTransaction(
        what, downQueries(migration.collectionId(), migration.activeSlot(), migration.nextSlot()));
  }

  private List<Query> prepareQueries(
      long id, String active, String next, String model, int dimension) {
    Field<String> nextModel = "b".equals(next) ? SLOT_B_MODEL : SLOT_A_MODEL;
    Field<Integer> nextDimension = "b".equals(next) ? SLOT_B_DIMENSION : SLOT_A_DIMENSION;
    return List.of(
        DSL.update(t.table("collections"))
            .set(nextModel, model)
            .set(nextDimension, dimension)
            .set(
                field("updated_at", SQLDataType.TIMESTAMPWITHTIMEZONE), DSL.currentOffsetDateTime())
            .where(field("id", SQLDataType.BIGINT).eq(inline(id)))
            .and(field("active_slot").eq(inline(active))),
        clearSlot(id, active, next));
  }

  private List<Query> downQueries(long id, String active, String next) {
    Field<String> nextModel = "b".equals(next) ? SLOT_B_MODEL : SLOT_A_MODEL;
    Field<Integer> nextDimension = "b".equals(next) ? SLOT_B_DIMENSION : SLOT_A_DIMENSION;
    return List.of(
        clearSlot(id, active, next),
        DSL.update(t.table("collections"))
            .setNull(nextModel)
            .setNull(nextDimension)
            .set(
                field("updated_at", SQLDataType.TIMESTAMPWITHTIMEZONE), DSL.currentOffsetDateTime())
            .where(field("id", SQLDataType.BIGINT).eq(inline(id)))
            .and(field("active_slot").eq(inline(active))));
  }

  /** Empties a slot's columns, only while the other slot is the active one. */
  private Query clearSlot(long id, String active, String slot) {
    Field<Object> embedding = DSL.field(DSL.name("embedding_" + slot));
    return DSL.update(t.table("chunks"))
        .setNull(embedding)
        .setNull(field("model_" + slot))
        .setNull(field("text_hash_" + slot))
        .where(field("collection_id", SQLDataType.BIGINT).eq(inline(id)))
        .and(
            embedding
                .isNotNull()
                .or(field("model_" + slot).isNotNull())
                .or(field("text_hash_" + slot).isNotNull()))
        .and(
            DSL.exists(
                DSL.selectOne()
                    .from(t.table("collections"))
                    .where(field("id", SQLDataType.BIGINT).eq(inline(id)))
                    .and(field("active_slot").eq(inline(active)))));
  }

  private Query indexQuery(long id, String slot, int dimension, Distance distance) {
    return AnnIndexSql.createIndex(
        t.schema(), id, slot, dimension, distance, hnswM, hnswEfConstruction, true);
  }

  private Query dropIndexQuery(long id, String slot, int dimension) {
    return AnnIndexSql.dropIndex(t.schema(), AnnIndexSql.indexName(id, slot, dimension), true);
  }

  private Distance distanceOf(EmbeddingMigration migration) {
    try (Connection c = dataSource.getConnection()) {
      String d =
          DSL.using(c, SQLDialect.POSTGRES)
              .select(PgTables.COL_DISTANCE)
              .from(t.collections)
              .where(PgTables.COL_ID.eq(migration.collectionId()))
              .fetchOne(PgTables.COL_DISTANCE);
      if (d == null) {
        throw StoreErrors.collectionNotFound(migration.collection());
      }
      return Distance.valueOf(d.toUpperCase(Locale.ROOT));
    } catch (SQLException | RuntimeException e) {
      throw SqlErrors.translate("Reading collection '" + migration.collection() + "'", e);
    }
  }

  private void inTransaction(String what, List<Query> queries) {
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        DSLContext dsl = DSL.using(c, SQLDialect.POSTGRES);
        for (Query q : queries) {
          dsl.execute(q);
        }
        c.commit();
      } catch (RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(autoCommit);
      }
    } catch (SQLException | RuntimeException e) {
      throw SqlErrors.translate(what, e);
    }
  }

  private void autoCommit(String what, Query query) {
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(true);
      try {
        DSL.using(c, SQLDialect.POSTGRES).execute(query);
      } finally {
        c.setAutoCommit(autoCommit);
      }
    } catch (SQLException | RuntimeException e) {
      throw SqlErrors.translate(what, e);
    }
  }

  private static Field<String> field(String name) {
    return DSL.field(DSL.name(name), SQLDataType.CLOB);
  }

  private static <T> Field<T> field(String name, org.jooq.DataType<T> type) {
    return DSL.field(DSL.name(name), type);
  }

  /** A model name inside a line comment: control characters escaped, so it cannot end it. */
  private static String sanitize(String s) {
    return Inputs.printable(s);
  }
}
