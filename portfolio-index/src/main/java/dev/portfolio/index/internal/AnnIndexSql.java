package dev.portfolio.index.internal;

import dev.portfolio.core.model.Distance;
import dev.portfolio.core.model.Embedding;
import org.jooq.Field;
import org.jooq.Query;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * The SQL of per-collection ANN indexes and of the distance expressions that use them. An index is
 * a partial HNSW index on a cast of one embedding slot, {@code ((embedding_a)::vector(384))} ...
 * {@code WHERE collection_id = 7}, or {@code halfvec(N)} above {@value #MAX_VECTOR_DIMENSION}
 * dimensions; queries use the very same cast so the planner can pick the index. Collection ids and
 * dimensions are rendered as literals on purpose: the planner proves a partial index's predicate
 * and a type modifier only from constants.
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
   * Returns the type the slot is cast to for indexing and search.
   *
   * @param dimension the dimension
   * @return {@code vector} up to {@value #MAX_VECTOR_DIMENSION}, else {@code halfvec}
   */
  public static String castType(int dimension) {
    return dimension <= MAX_VECTOR_DIMENSION ? "vector" : "halfvec";
  }

  /**
   * Returns the index name for a collection slot.
   *
   * @param collectionId the collection id
   * @param slot {@code a} or {@code b}
   * @param dimension the slot's dimension
   * @return a name such as {@code chunks_ann_7_a_384}
   */
  public static String indexName(long collectionId, String slot, int dimension) {
    return "chunks_ann_"
        + collectionId
        + "_"
        + slot
        + "_"
        + dimension
        + (dimension > MAX_VECTOR_DIMENSION ? "h" : "");
  }

  /**
   * Returns the prefix every ANN index name of a collection starts with.
   *
   * @param collectionId the collection id
   * @return the prefix
   */
  public static String indexPrefix(long collectionId) {
    return "chunks_ann_" + collectionId + "_";
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
   * Returns the {@code CREATE INDEX} statement of a collection slot as a jOOQ query: names are
   * quoted and numbers inlined by jOOQ.
   *
   * @param schema a validated schema name
   * @param collectionId the collection id
   * @param slot {@code a} or {@code b}
   * @param dimension the dimension, at most {@value #MAX_HALFVEC_DIMENSION}
   * @param distance the collection's distance
   * @param m HNSW {@code m}
   * @param efConstruction HNSW {@code ef_construction}
   * @param concurrently whether to build without blocking writes
   * @return the statement, detached
   */
  public static Query createIndex(
      String schema,
      long collectionId,
      String slot,
      int dimension,
      Distance distance,
      int m,
      int efConstruction,
      boolean concurrently) {
    return DSL.query(
        "CREATE INDEX "
            + (concurrently ? "CONCURRENTLY " : "")
            + "IF NOT EXISTS {0} ON {1} USING hnsw (({2}::{3}({4})) {5})"
            + " WITH (m = {6}, ef_construction = {7}) WHERE collection_id = {8}",
        DSL.name(indexName(collectionId, slot, dimension)),
        DSL.name(Identifiers.schemaName("schema", schema), "chunks"),
        DSL.name("embedding_" + slot(slot)),
        DSL.unquotedName(castType(dimension)),
        DSL.inline(dimension),
        DSL.unquotedName(operatorClass(distance, dimension)),
        DSL.inline(m),
        DSL.inline(efConstruction),
        DSL.inline(collectionId));
  }

  /**
   * Returns the {@code DROP INDEX} statement of an ANN index of the schema.
   *
   * @param schema a validated schema name
   * @param indexName an index name produced by {@link #indexName}
   * @param concurrently whether to drop without blocking
   * @return the statement, detached
   */
  public static Query dropIndex(String schema, String indexName, boolean concurrently) {
    if (!indexName.matches("chunks_ann_[0-9]+_[ab]_[0-9]+h?")) {
      throw new IllegalArgumentException("not an ANN index name: " + indexName);
    }
    return DSL.query(
        "DROP INDEX " + (concurrently ? "CONCURRENTLY " : "") + "IF EXISTS {0}",
        DSL.name(Identifiers.schemaName("schema", schema), indexName));
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
   * Returns the distance between a slot's embedding and a query vector, written exactly as the
   * index expression so that the index can serve {@code ORDER BY} on it.
   *
   * @param slot {@code a} or {@code b}
   * @param dimension the collection's dimension
   * @param distance the collection's distance
   * @param query the query vector, bound as a parameter
   * @return the expression; smaller is closer
   */
  public static Field<Double> distance(
      String slot, int dimension, Distance distance, Embedding query) {
    String type = castType(dimension);
    String template =
        "({0}::" + type + "({1})) " + operator(distance) + " ({2}::" + type + "({1}))";
    return DSL.field(
        template,
        SQLDataType.DOUBLE,
        PgTables.embedding(slot),
        DSL.inline(dimension),
        DSL.val(query, VectorBinding.VECTOR));
  }

  private static String slot(String slot) {
    if (!"a".equals(slot) && !"b".equals(slot)) {
      throw new IllegalArgumentException("slot must be a or b");
    }
    return slot;
  }

  /**
   * Tells whether an index is valid. A failed {@code CREATE INDEX CONCURRENTLY} leaves an invalid
   * index behind that writes maintain but searches never use.
   *
   * @param c a connection
   * @param schema the schema
   * @param index the index name
   * @return true when valid, false when invalid, null when absent
   * @throws java.sql.SQLException when the catalog query fails
   */
  public static Boolean validity(java.sql.Connection c, String schema, String index)
      throws java.sql.SQLException {
    try (java.sql.PreparedStatement ps =
        c.prepareStatement(
            "SELECT i.indisvalid FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c"
                + " ON c.oid = i.indexrelid JOIN pg_catalog.pg_namespace n ON n.oid ="
                + " c.relnamespace WHERE n.nspname = ? AND c.relname = ?")) {
      ps.setString(1, schema);
      ps.setString(2, index);
      try (java.sql.ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getBoolean(1) : null;
      }
    }
  }
}
