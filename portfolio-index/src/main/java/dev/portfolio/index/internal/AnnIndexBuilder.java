package dev.portfolio.index.internal;

import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.NonRetriableException;
import dev.portfolio.core.model.Distance;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.Query;
import org.jooq.SQLDialect;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the ANN index of an embedding set's partition after its vectors were loaded: {@code CREATE
 * INDEX CONCURRENTLY}, so writes and the searches of other sets go on, without the pool's {@code
 * statement_timeout}, with the configured {@code maintenance_work_mem}, then {@code ANALYZE} so the
 * planner knows the set's size. A build another session is running (an invalid index until it ends,
 * perhaps of a killed process) is waited for; an invalid index left by an interrupted build is
 * dropped first; a build that fails drops what it left behind. The one place that does this: the
 * store and the migration generator both use it.
 */
public final class AnnIndexBuilder {
  private static final Logger LOG = LoggerFactory.getLogger(AnnIndexBuilder.class);
  private static final long OTHER_BUILD_POLL_MS = 200;

  private final DataSource dataSource;
  private final String schema;
  private final int m;
  private final int efConstruction;
  private final int memoryMb;

  /**
   * Creates a builder.
   *
   * @param dataSource a data source whose role owns the set partitions
   * @param schema a validated schema name
   * @param m HNSW {@code m}
   * @param efConstruction HNSW {@code ef_construction}
   * @param memoryMb {@code maintenance_work_mem} in MiB for the build, 0 for the server's
   */
  public AnnIndexBuilder(
      DataSource dataSource, String schema, int m, int efConstruction, int memoryMb) {
    this.dataSource = dataSource;
    this.schema = Identifiers.schemaName("schema", schema);
    this.m = m;
    this.efConstruction = efConstruction;
    this.memoryMb = memoryMb;
  }

  /**
   * Returns the statement that builds a set's index.
   *
   * @param setId the set
   * @param dimension its dimension
   * @param distance the collection's distance
   * @param concurrently whether to build without blocking writes
   * @return the statement
   */
  public Query createQuery(long setId, int dimension, Distance distance, boolean concurrently) {
    return AnnIndexSql.createIndex(
        schema, setId, dimension, distance, m, efConstruction, concurrently);
  }

  /**
   * Builds a set's index unless a valid one exists.
   *
   * @param collection the collection name, for messages
   * @param setId the set
   * @param dimension its dimension, at most {@value AnnIndexSql#MAX_HALFVEC_DIMENSION}
   * @param distance the collection's distance
   * @return true when built now, false when a valid index existed
   * @throws NonRetriableException with {@link ErrorCode#PERMISSION_DENIED} naming the SQL to run
   *     when the role does not own the partition; with {@link ErrorCode#UNSUPPORTED} above 4000
   *     dimensions
   */
  public boolean build(String collection, long setId, int dimension, Distance distance) {
    if (!AnnIndexSql.indexable(dimension)) {
      throw new NonRetriableException(
          ErrorCode.UNSUPPORTED,
          "Embedding set "
              + setId
              + " of collection '"
              + collection
              + "' has "
              + dimension
              + " dimensions; pgvector's HNSW index holds at most "
              + AnnIndexSql.MAX_HALFVEC_DIMENSION
              + " (as halfvec). Its searches stay exact (sequential scan).");
    }
    String index = AnnIndexSql.indexName(setId);
    Query create = createQuery(setId, dimension, distance, true);
    String sql = AnnIndexSql.render(create);
    String what = "Building the ANN index of collection '" + collection + "' (set " + setId + ")";
    try (Connection c = dataSource.getConnection()) {
      if (!c.getAutoCommit()) {
        c.setAutoCommit(true);
      }
      DSLContext dsl = DSL.using(c, SQLDialect.POSTGRES);
      Boolean valid = AnnIndexSql.validity(c, schema, index);
      if (Boolean.FALSE.equals(valid) && awaitOtherBuild(c, setId, index)) {
        valid = AnnIndexSql.validity(c, schema, index);
        if (Boolean.TRUE.equals(valid)) {
          dsl.execute(DSL.query("ANALYZE {0}", DSL.name(schema, AnnIndexSql.partitionName(setId))));
        }
      }
      if (Boolean.TRUE.equals(valid)) {
        return false;
      }
      if (!ownsPartition(c, setId)) {
        throw new NonRetriableException(
            ErrorCode.PERMISSION_DENIED,
            what
                + " needs ownership of table "
                + Identifiers.quote(schema)
                + "."
                + AnnIndexSql.partitionName(setId)
                + ", which role '"
                + single(c, "SELECT current_user")
                + "' lacks. Building an index is beyond the store's runtime privileges: run it as"
                + " the schema owner (PgVectorStore.createAnnIndex on an owner's DataSource), or"
                + " execute: "
                + sql
                + ";");
      }
      if (Boolean.FALSE.equals(valid)) {
        LOG.warn("Dropping invalid index {} (an interrupted build) before rebuilding it", index);
        dsl.execute(AnnIndexSql.dropIndex(schema, setId, true));
      }
      if (memoryMb > 0) {
        set(c, "maintenance_work_mem", memoryMb + "MB");
      }
      // A pool's statement_timeout (the provider sets 5 minutes) must not cancel a long build.
      set(c, "statement_timeout", "0");
      try {
        dsl.execute(create);
      } catch (RuntimeException e) {
        dropIfInvalid(dsl, c, setId, e);
        throw e;
      } finally {
        dsl.execute("RESET maintenance_work_mem");
        dsl.execute("RESET statement_timeout");
      }
      if (!Boolean.TRUE.equals(AnnIndexSql.validity(c, schema, index))) {
        dsl.execute(AnnIndexSql.dropIndex(schema, setId, true));
        throw new NonRetriableException(
            ErrorCode.STORE_FAILURE, what + " failed: the index was left invalid and dropped.");
      }
      // Fresh statistics, or the planner may prefer an exact scan over the new index.
      dsl.execute(DSL.query("ANALYZE {0}", DSL.name(schema, AnnIndexSql.partitionName(setId))));
      LOG.info("Built ANN index {}.{} for collection '{}'", schema, index, collection);
      return true;
    } catch (SQLException | DataAccessException e) {
      if (SqlErrors.INSUFFICIENT_PRIVILEGE.equals(SqlErrors.sqlState(e))) {
        throw new NonRetriableException(
            ErrorCode.PERMISSION_DENIED,
            what
                + " failed: "
                + e.getMessage()
                + " (SQLState 42501). Building an index needs ownership of the set's partition;"
                + " run it as the schema owner or execute: "
                + sql
                + ";",
            e);
      }
      throw SqlErrors.translate(what, e);
    }
  }

  /**
   * Tells whether a set's index exists and is valid.
   *
   * @param c a connection
   * @param setId the set
   * @return true when valid, false when invalid, null when absent
   * @throws SQLException when the catalog query fails
   */
  public Boolean validity(Connection c, long setId) throws SQLException {
    return AnnIndexSql.validity(c, schema, AnnIndexSql.indexName(setId));
  }

  /**
   * Tells whether the connection's role owns a set's partition (or the parent table when the
   * partition does not exist yet).
   *
   * @param c a connection
   * @param setId the set
   * @return true when it may run DDL on it
   * @throws SQLException when the catalog query fails
   */
  public boolean ownsPartition(Connection c, long setId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT pg_has_role(current_user, c.relowner, 'USAGE') FROM pg_catalog.pg_class c"
                + " WHERE c.oid = coalesce(to_regclass(?), to_regclass(?))")) {
      ps.setString(1, Identifiers.quote(schema) + "." + AnnIndexSql.partitionName(setId));
      ps.setString(2, Identifiers.quote(schema) + ".embeddings");
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    }
  }

  /**
   * Waits while another session builds the set's index. An invalid index is also what a build in
   * progress looks like: for instance the build of a process that was killed, whose server session
   * goes on until it next talks to the client. Dropping it then fails ("tuple concurrently
   * updated"), and building a second one would only compete with it; once it ends, the index is
   * valid or was left invalid by a failure.
   *
   * @return true when it waited
   */
  private boolean awaitOtherBuild(Connection c, long setId, String index) throws SQLException {
    String partition = Identifiers.quote(schema) + "." + AnnIndexSql.partitionName(setId);
    boolean waited = false;
    while (true) {
      Integer pid;
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT pid FROM pg_catalog.pg_stat_progress_create_index WHERE relid ="
                  + " to_regclass(?) AND pid <> pg_backend_pid() LIMIT 1")) {
        ps.setString(1, partition);
        try (ResultSet rs = ps.executeQuery()) {
          pid = rs.next() ? rs.getInt(1) : null;
        }
      }
      if (pid == null) {
        return waited;
      }
      if (!waited) {
        LOG.info(
            "Index {} is being built by server session {}; waiting for that build to end instead"
                + " of starting another",
            index,
            pid);
        waited = true;
      }
      try {
        Thread.sleep(OTHER_BUILD_POLL_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new NonRetriableException(
            ErrorCode.CANCELLED,
            "Interrupted while waiting for server session "
                + pid
                + " to finish building index "
                + index
                + "; nothing was changed.",
            e);
      }
    }
  }

  private void dropIfInvalid(DSLContext dsl, Connection c, long setId, RuntimeException failure) {
    try {
      if (Boolean.FALSE.equals(validity(c, setId))) {
        dsl.execute(AnnIndexSql.dropIndex(schema, setId, true));
        LOG.warn("Dropped the invalid index the failed build of set {} left behind", setId);
      }
    } catch (SQLException | RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  private static void set(Connection c, String setting, String value) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT set_config(?, ?, false)")) {
      ps.setString(1, setting);
      ps.setString(2, value);
      ps.execute();
    }
  }

  private static String single(Connection c, String sql) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getString(1) : null;
    }
  }
}
