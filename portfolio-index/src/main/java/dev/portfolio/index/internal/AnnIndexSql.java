package dev.portfolio.index.internal;

import dev.portfolio.core.model.Distance;
import dev.portfolio.core.model.Embedding;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.jooq.Field;
import org.jooq.Query;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * The SQL of embedding-set partitions, their ANN indexes, and the distance expressions that use
 * them. Each set's vectors live in partition {@code embeddings_<set id>} of the {@code embeddings}
 * table, with a CHECK on the dimension; its index is HNSW on {@code (embedding::vector(N))}, or
 * {@code halfvec(N)} above {@value #MAX_VECTOR_DIMENSION} dimensions. Queries use the very same
 * cast so the planner can pick the index. Set ids and dimensions are rendered as literals on
 * purpose: the planner prunes partitions and matches a type modifier only from constants.
 */
public final class AnnIndexSql {
  /** Largest dimension HNSW indexes on {@code vector}. */
  public static final int MAX_VECTOR_DIMENSION = 2000;

  /** Largest dimension HNSW indexes on {@code halfvec}. */
  public static final int MAX_HALFVEC_DIMENSION = 4000;

  private AnnIndexSql() {}

  /**
   * Tells whether a dimension can have an HNSW index.
   *
   * @param dimension the dimension
   * @return true up to {@value #MAX_HALFVEC_DIMENSION}
   */
  public static boolean indexable(int dimension) {
    return dimension <= MAX_HALFVEC_DIMENSION;
  }

  /**
   * Returns the type vectors are cast to for indexing and search.
   *
   * @param dimension the dimension
   * @return {@code vector} up to {@value #MAX_VECTOR_DIMENSION}, else {@code halfvec}
   */
  public static String castType(int dimension) {
    return dimension <= MAX_VECTOR_DIMENSION ? "vector" : "halfvec";
  }

  /**
   * Returns the name of a set's partition.
   *
   * @param setId the set id
   * @return for example {@code embeddings_7}
   */
  public static String partitionName(long setId) {
    return "embeddings_" + positive(setId);
  }

  /**
   * Returns the name of a set's ANN index.
   *
   * @param setId the set id
   * @return for example {@code embeddings_7_ann}
   */
  public static String indexName(long setId) {
    return partitionName(setId) + "_ann";
  }

  /**
   * Returns the operator class for a distance.
   *
   * @param distance the distance
   * @param dimension the dimension (selects vector or halfvec)
   * @return for example {@code vector_cosine_ops}
   */
  public static String operatorClass(Distance distance, int dimension) {
    String suffix =
        switch (distance) {
          case COSINE -> "_cosine_ops";
          case L2 -> "_l2_ops";
          case INNER_PRODUCT -> "_ip_ops";
        };
    return castType(dimension) + suffix;
  }

  /**
   * Returns the pgvector operator of a distance.
   *
   * @param distance the distance
   * @return {@code <=>}, {@code <->} or {@code <#>}
   */
  public static String operator(Distance distance) {
    return switch (distance) {
      case COSINE -> "<=>";
      case L2 -> "<->";
      case INNER_PRODUCT -> "<#>";
    };
  }

  /**
   * Returns the statements that create a set's partition: a table like {@code embeddings} with a
   * CHECK on the dimension, then attached as the partition for the set. Attaching an empty table
   * takes only a SHARE UPDATE EXCLUSIVE lock on {@code embeddings}, so searches and writes of other
   * sets go on meanwhile.
   *
   * @param schema a validated schema name
   * @param setId the set id
   * @param dimension the set's dimension
   * @return the statements, detached, in order
   */
  public static java.util.List<Query> createPartition(String schema, long setId, int dimension) {
    org.jooq.Name partition =
        DSL.name(Identifiers.schemaName("schema", schema), partitionName(setId));
    return java.util.List.of(
        DSL.query(
            "CREATE TABLE {0} (LIKE {1} INCLUDING DEFAULTS,"
                + " CONSTRAINT {2} CHECK (vector_dims(embedding) = {3}))",
            partition,
            DSL.name(schema, "embeddings"),
            DSL.name(partitionName(setId) + "_dimension_check"),
            DSL.inline(dimension)),
        DSL.query(
            "ALTER TABLE {0} ATTACH PARTITION {1} FOR VALUES IN ({2})",
            DSL.name(schema, "embeddings"), partition, DSL.inline(setId)));
  }

  /**
   * Returns the statement that drops a set's partition with its vectors and index.
   *
   * @param schema a validated schema name
   * @param setId the set id
   * @return the statement, detached
   */
  public static Query dropPartition(String schema, long setId) {
    return DSL.query(
        "DROP TABLE IF EXISTS {0}",
        DSL.name(Identifiers.schemaName("schema", schema), partitionName(setId)));
  }

  /**
   * Returns the statement that detaches a set's partition from {@code embeddings} without blocking
   * searches ({@code CONCURRENTLY}: outside a transaction block), or that finishes a detach that
   * was interrupted ({@code FINALIZE}).
   *
   * @param schema a validated schema name
   * @param setId the set id
   * @param finalize whether to finish an interrupted detach instead
   * @return the statement, detached
   */
  public static Query detachPartition(String schema, long setId, boolean finalize) {
    return DSL.query(
        "ALTER TABLE {0} DETACH PARTITION {1} " + (finalize ? "FINALIZE" : "CONCURRENTLY"),
        DSL.name(Identifiers.schemaName("schema", schema), "embeddings"),
        DSL.name(schema, partitionName(setId)));
  }

  /**
   * Returns the {@code CREATE INDEX} statement of a set's partition as a jOOQ query: names are
   * quoted and numbers inlined by jOOQ.
   *
   * @param schema a validated schema name
   * @param setId the set id
   * @param dimension the set's dimension, at most {@value #MAX_HALFVEC_DIMENSION}
   * @param distance the collection's distance
   * @param m HNSW {@code m}
   * @param efConstruction HNSW {@code ef_construction}
   * @param concurrently whether to build without blocking writes to the partition
   * @return the statement, detached
   */
  public static Query createIndex(
      String schema,
      long setId,
      int dimension,
      Distance distance,
      int m,
      int efConstruction,
      boolean concurrently) {
    return DSL.query(
        "CREATE INDEX "
            + (concurrently ? "CONCURRENTLY " : "")
            + "IF NOT EXISTS {0} ON {1} USING hnsw ((embedding::{2}({3})) {4})"
            + " WITH (m = {5}, ef_construction = {6})",
        DSL.name(indexName(setId)),
        DSL.name(Identifiers.schemaName("schema", schema), partitionName(setId)),
        DSL.unquotedName(castType(dimension)),
        DSL.inline(dimension),
        DSL.unquotedName(operatorClass(distance, dimension)),
        DSL.inline(m),
        DSL.inline(efConstruction));
  }

  /**
   * Returns the {@code DROP INDEX} statement of a set's ANN index.
   *
   * @param schema a validated schema name
   * @param setId the set id
   * @param concurrently whether to drop without blocking
   * @return the statement, detached
   */
  public static Query dropIndex(String schema, long setId, boolean concurrently) {
    return DSL.query(
        "DROP INDEX " + (concurrently ? "CONCURRENTLY " : "") + "IF EXISTS {0}",
        DSL.name(Identifiers.schemaName("schema", schema), indexName(setId)));
  }

  /**
   * Renders a statement as PostgreSQL SQL text, for messages and exported scripts.
   *
   * @param query the statement
   * @return the SQL
   */
  public static String render(Query query) {
    return DSL.using(SQLDialect.POSTGRES).renderInlined(query);
  }

  /**
   * Returns the distance between the vectors of {@code e} and a query vector, written exactly as
   * the index expression so that the index can serve {@code ORDER BY} on it.
   *
   * @param dimension the set's dimension
   * @param distance the collection's distance
   * @param query the query vector, bound as a parameter
   * @return the expression; smaller is closer
   */
  public static Field<Double> distance(int dimension, Distance distance, Embedding query) {
    String type = castType(dimension);
    String template =
        "({0}::" + type + "({1})) " + operator(distance) + " ({2}::" + type + "({1}))";
    return DSL.field(
        template,
        SQLDataType.DOUBLE,
        PgTables.E_EMBEDDING,
        DSL.inline(dimension),
        DSL.val(query, VectorBinding.VECTOR));
  }

  /**
   * Tells whether an index of the schema is valid. A failed {@code CREATE INDEX CONCURRENTLY}
   * leaves an invalid index behind that writes maintain but searches never use.
   *
   * @param c a connection
   * @param schema the schema
   * @param index the index name
   * @return true when valid, false when invalid, null when absent
   * @throws SQLException when the catalog query fails
   */
  public static Boolean validity(Connection c, String schema, String index) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT i.indisvalid FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c"
                + " ON c.oid = i.indexrelid JOIN pg_catalog.pg_namespace n ON n.oid ="
                + " c.relnamespace WHERE n.nspname = ? AND c.relname = ?")) {
      ps.setString(1, schema);
      ps.setString(2, index);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getBoolean(1) : null;
      }
    }
  }

  private static long positive(long setId) {
    if (setId <= 0) {
      throw new IllegalArgumentException("set id must be positive (was " + setId + ")");
    }
    return setId;
  }
}
