package dev.portfolio.index.migration;

import static org.jooq.impl.DSL.inline;

import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.error.NonRetriableException;
import dev.portfolio.core.model.Distance;
import dev.portfolio.core.validation.Inputs;
import dev.portfolio.core.validation.StoreErrors;
import dev.portfolio.index.internal.AnnIndexBuilder;
import dev.portfolio.index.internal.AnnIndexSql;
import dev.portfolio.index.internal.Identifiers;
import dev.portfolio.index.internal.SqlErrors;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
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
 * collection's state, reserves the id of the new building set, and returns the SQL a team reviews
 * and applies (Flyway, Liquibase, by hand); {@link #apply} and {@link #revert} run the same steps.
 *
 * <pre>{@code
 * EmbeddingMigrations migrations = EmbeddingMigrations.on(dataSource, "portfolio");
 * EmbeddingMigration m = migrations.plan("docs", "openai:text-embedding-3-large", 3072);
 * Files.writeString(Path.of("V43__docs_to_te3_large.sql"), m.upSql());
 * Files.writeString(Path.of("U43__docs_to_te3_large.sql"), m.downSql());
 * }</pre>
 *
 * <p>Applying a migration needs the role that owns the schema's tables: it creates a partition and
 * an index. Values in the generated SQL are rendered by jOOQ as escaped literals, and every script
 * starts with {@code SET standard_conforming_strings = on}, so a backslash in a model name stays a
 * backslash even on a server configured otherwise; identifiers are validated and quoted.
 *
 * @since 0.1.0
 */
public final class EmbeddingMigrations {
  private static final Field<Long> ID = DSL.field(DSL.name("id"), SQLDataType.BIGINT);
  private static final Field<Long> COLLECTION_ID =
      DSL.field(DSL.name("collection_id"), SQLDataType.BIGINT);
  private static final Field<String> MODEL = DSL.field(DSL.name("model"), SQLDataType.CLOB);
  private static final Field<Integer> DIMENSION =
      DSL.field(DSL.name("dimension"), SQLDataType.INTEGER);
  private static final Field<String> STATE = DSL.field(DSL.name("state"), SQLDataType.CLOB);
  private static final Field<String> NAME = DSL.field(DSL.name("name"), SQLDataType.CLOB);
  private static final Field<String> DISTANCE = DSL.field(DSL.name("distance"), SQLDataType.CLOB);
  private static final Field<Long> ACTIVE_SET_ID =
      DSL.field(DSL.name("active_set_id"), SQLDataType.BIGINT);
  private static final String SAFE_STRINGS = "SET standard_conforming_strings = on;\n";

  private final DataSource dataSource;
  private final String schema;
  private final int hnswM;
  private final int hnswEfConstruction;

  private EmbeddingMigrations(DataSource dataSource, String schema, int m, int efConstruction) {
    this.dataSource = Inputs.requireNonNull("dataSource", dataSource);
    this.schema = Identifiers.schemaName("schema", schema);
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
    return new EmbeddingMigrations(dataSource, schema, m, efConstruction);
  }

  /**
   * Plans moving a collection to a new model: reads its active set, reserves the id of the new
   * building set, and returns the SQL that creates that set with its partition, builds its index,
   * and takes it all back. When the collection already has a building set for this model and
   * dimension, the plan describes that set (its prepare SQL then fails, as the set exists).
   *
   * @param collection the collection
   * @param model the new model reference
   * @param dimension the new model's dimension
   * @return the migration
   * @throws dev.portfolio.core.error.PortfolioException with {@link ErrorCode#NOT_FOUND} for an
   *     unknown collection; with {@link ErrorCode#CONFLICT} when a building set for another model
   *     exists, or when the collection already uses that model and dimension
   */
  public EmbeddingMigration plan(String collection, String model, int dimension) {
    Inputs.collectionName(collection);
    Inputs.requireKey("model", model);
    if (model.chars().anyMatch(Character::isISOControl)) {
      throw new InvalidInputException(
          "model",
          "model \""
              + Inputs.printable(model)
              + "\" contains control characters (line breaks, tabs); a migration script cannot"
              + " carry it safely. Use a model reference without them.");
    }
    Inputs.dimension("dimension", dimension);
    String what = "Planning an embedding migration of collection '" + collection + "'";
    try (Connection c = dataSource.getConnection()) {
      DSLContext dsl = DSL.using(c, SQLDialect.POSTGRES);
      Record coll =
          dsl.select(ID, DISTANCE, ACTIVE_SET_ID)
              .from(table("collections"))
              .where(NAME.eq(collection))
              .fetchOne();
      if (coll == null) {
        throw StoreErrors.collectionNotFound(collection);
      }
      long id = coll.get(ID);
      long activeId = coll.get(ACTIVE_SET_ID);
      Distance distance = Distance.valueOf(coll.get(DISTANCE).toUpperCase(Locale.ROOT));
      Record active = null;
      Record building = null;
      for (Record s :
          dsl.select(ID, MODEL, DIMENSION, STATE)
              .from(table("embedding_sets"))
              .where(COLLECTION_ID.eq(id))
              .fetch()) {
        if (s.get(ID) == activeId) {
          active = s;
        } else if ("building".equals(s.get(STATE))) {
          building = s;
        }
      }
      if (active == null) {
        throw new NonRetriableException(
            ErrorCode.STORE_FAILURE, what + " failed: its active set " + activeId + " is missing");
      }
      String fromModel = active.get(MODEL);
      int fromDimension = active.get(DIMENSION);
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
      long setId;
      if (building != null) {
        if (!(building.get(MODEL).equals(model) && building.get(DIMENSION) == dimension)) {
          throw new NonRetriableException(
              ErrorCode.CONFLICT,
              "Collection '"
                  + collection
                  + "' has a migration to model "
                  + building.get(MODEL)
                  + " ("
                  + building.get(DIMENSION)
                  + " dimensions) prepared in building set "
                  + building.get(ID)
                  + ". Finish it (activate the set) or revert it (its down SQL, or"
                  + " EmbeddingMigrations.revert) before planning another.");
        }
        setId = building.get(ID);
      } else {
        setId =
            dsl.fetchSingle(
                    "SELECT nextval(pg_get_serial_sequence({0}, 'id'))",
                    inline(Identifiers.quote(schema) + ".embedding_sets"))
                .get(0, Long.class);
      }
      return render(
          collection, id, activeId, setId, fromModel, fromDimension, model, dimension, distance);
    } catch (SQLException | RuntimeException e) {
      throw SqlErrors.translate(what, e);
    }
  }

  private EmbeddingMigration render(
      String collection,
      long id,
      long activeId,
      long setId,
      String fromModel,
      int fromDimension,
      String model,
      int dimension,
      Distance distance) {
    DSLContext render = DSL.using(SQLDialect.POSTGRES);
    StringBuilder prepare =
        new StringBuilder(
                String.format(
                    Locale.ROOT,
                    "-- Portfolio embedding migration for collection '%s' (id %d) in schema"
                        + " \"%s\":%n"
                        + "--   from %s (%d dimensions, set %d, searched now)%n"
                        + "--   to   %s (%d dimensions, building set %d, filled by the"
                        + " re-embed)%n"
                        + "-- Apply with the role that owns the schema's tables. Searches keep"
                        + " reading set %d until the new set is activated.%n",
                    collection,
                    id,
                    schema,
                    Inputs.printable(fromModel),
                    fromDimension,
                    activeId,
                    Inputs.printable(model),
                    dimension,
                    setId,
                    activeId))
            .append(SAFE_STRINGS)
            .append("BEGIN;\n");
    for (Query q : prepareQueries(id, setId, model, dimension)) {
      prepare.append(render.renderInlined(q)).append(";\n");
    }
    prepare.append("COMMIT;\n");
    String indexSql;
    if (AnnIndexSql.indexable(dimension)) {
      indexSql =
          "-- The building set's ANN index. Building it after the re-embed filled the set is"
              + " several times\n-- faster than maintaining it during the load. CONCURRENTLY:"
              + " run it outside a transaction.\n"
              + AnnIndexSql.render(indexBuilder().createQuery(setId, dimension, distance, true))
              + ";\n";
    } else {
      indexSql =
          "-- No ANN index: pgvector's HNSW holds at most "
              + AnnIndexSql.MAX_HALFVEC_DIMENSION
              + " dimensions; searches of set "
              + setId
              + " will be exact.\n";
    }
    String q = Identifiers.quote(schema);
    String down =
        String.format(
                Locale.ROOT,
                "-- Revert the embedding migration of collection '%s' to %s: drop building set %d"
                    + " with its partition.%n-- Changes nothing once the set is no longer"
                    + " building (activated or dropped).%n",
                collection,
                Inputs.printable(model),
                setId)
            + SAFE_STRINGS
            + "DO $portfolio_down$\nBEGIN\n"
            + "    IF EXISTS (SELECT 1 FROM "
            + q
            + ".embedding_sets WHERE id = "
            + setId
            + " AND state = 'building') THEN\n"
            + "        "
            + AnnIndexSql.render(AnnIndexSql.dropPartition(schema, setId))
            + ";\n        DELETE FROM "
            + q
            + ".embedding_sets WHERE id = "
            + setId
            + ";\n    END IF;\nEND\n$portfolio_down$;\n";
    return new EmbeddingMigration(
        schema,
        collection,
        id,
        activeId,
        setId,
        fromModel,
        fromDimension,
        model,
        dimension,
        prepare.toString(),
        indexSql,
        down);
  }

  /**
   * Applies a planned migration: the building set and its partition in one transaction, then, when
   * asked, the index ({@code CREATE INDEX CONCURRENTLY}).
   *
   * @param migration a migration from {@link #plan}
   * @param buildIndex whether to build the set's index now (false: build it after the re-embed with
   *     {@link #buildIndex}, or let activation build it)
   */
  public void apply(EmbeddingMigration migration, boolean buildIndex) {
    Inputs.requireNonNull("migration", migration);
    List<Query> prepare =
        prepareQueries(
            migration.collectionId(),
            migration.setId(),
            migration.toModel(),
            migration.toDimension());
    inTransaction(
        "Preparing the embedding migration of collection '" + migration.collection() + "'",
        dsl -> {
          prepare.forEach(dsl::execute);
          return null;
        });
    if (buildIndex) {
      buildIndex(migration);
    }
  }

  /**
   * Builds the building set's ANN index of a prepared migration (a no-op above 4000 dimensions).
   *
   * @param migration a migration from {@link #plan}
   */
  public void buildIndex(EmbeddingMigration migration) {
    Inputs.requireNonNull("migration", migration);
    if (!AnnIndexSql.indexable(migration.toDimension())) {
      return;
    }
    indexBuilder()
        .build(
            migration.collection(),
            migration.setId(),
            migration.toDimension(),
            distanceOf(migration));
  }

  /**
   * Reverts a migration whose set is still building: drops the set with its partition. Does nothing
   * once the set was activated or dropped.
   *
   * @param migration a migration from {@link #plan}
   * @return true when the set was dropped now
   */
  public boolean revert(EmbeddingMigration migration) {
    Inputs.requireNonNull("migration", migration);
    String what =
        "Reverting the embedding migration of collection '" + migration.collection() + "'";
    return inTransaction(
        what,
        dsl -> {
          Record set =
              dsl.select(STATE)
                  .from(table("embedding_sets"))
                  .where(ID.eq(migration.setId()))
                  .forUpdate()
                  .fetchOne();
          boolean dropped = set != null && "building".equals(set.get(STATE));
          if (dropped) {
            dsl.execute(AnnIndexSql.dropPartition(schema, migration.setId()));
            dsl.deleteFrom(table("embedding_sets")).where(ID.eq(migration.setId())).execute();
          }
          return dropped;
        });
  }

  private List<Query> prepareQueries(long collectionId, long setId, String model, int dimension) {
    List<Query> queries = new ArrayList<>();
    queries.add(
        DSL.insertInto(table("embedding_sets"), ID, COLLECTION_ID, MODEL, DIMENSION, STATE)
            .values(
                inline(setId),
                inline(collectionId),
                inline(model),
                inline(dimension),
                inline("building")));
    queries.addAll(AnnIndexSql.createPartition(schema, setId, dimension));
    return queries;
  }

  private AnnIndexBuilder indexBuilder() {
    return new AnnIndexBuilder(dataSource, schema, hnswM, hnswEfConstruction, 0);
  }

  private Distance distanceOf(EmbeddingMigration migration) {
    try (Connection c = dataSource.getConnection()) {
      String d =
          DSL.using(c, SQLDialect.POSTGRES)
              .select(DISTANCE)
              .from(table("collections"))
              .where(ID.eq(migration.collectionId()))
              .fetchOne(DISTANCE);
      if (d == null) {
        throw StoreErrors.collectionNotFound(migration.collection());
      }
      return Distance.valueOf(d.toUpperCase(Locale.ROOT));
    } catch (SQLException | RuntimeException e) {
      throw SqlErrors.translate("Reading collection '" + migration.collection() + "'", e);
    }
  }

  private <T> T inTransaction(String what, java.util.function.Function<DSLContext, T> work) {
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        T result = work.apply(DSL.using(c, SQLDialect.POSTGRES));
        c.commit();
        return result;
      } catch (RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        try {
          c.setAutoCommit(autoCommit);
        } catch (SQLException ignored) {
          // The connection is broken; the pool discards it.
        }
      }
    } catch (SQLException | RuntimeException e) {
      throw SqlErrors.translate(what, e);
    }
  }

  private org.jooq.Table<Record> table(String name) {
    return DSL.table(DSL.name(schema, name));
  }
}
