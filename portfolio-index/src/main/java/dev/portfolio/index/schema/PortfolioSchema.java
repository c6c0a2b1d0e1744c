package dev.portfolio.index.schema;

import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.error.NonRetriableException;
import dev.portfolio.core.text.Fingerprints;
import dev.portfolio.index.internal.Identifiers;
import dev.portfolio.index.internal.PgTables;
import dev.portfolio.index.internal.SqlErrors;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.RenderKeywordCase;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs, upgrades and exports the Portfolio schema.
 *
 * <p>{@link #install(DataSource, SchemaOptions)} applies the versioned migrations the database
 * lacks, records each in {@code <schema>.schema_version}, and holds a transaction-scoped advisory
 * lock while doing so, so that application instances starting together neither race nor fail: the
 * second waits, then finds nothing to do. It is idempotent, runs in one transaction, and never
 * creates extensions: when {@code vector} is missing it fails with the command a superuser must
 * run.
 *
 * <p>{@link #writeSchema(Writer, SchemaOptions)} prints the very statements install runs, for teams
 * whose application role may not run DDL and who apply it with Flyway, Liquibase or by hand.
 *
 * <pre>{@code
 * PortfolioSchema.install(dataSource, SchemaOptions.forSchema("portfolio"));
 * try (Writer out = Files.newBufferedWriter(Path.of("V42__portfolio.sql"))) {
 *   PortfolioSchema.writeSchema(out, SchemaOptions.builder().transaction(false).build());
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
public final class PortfolioSchema {
  /** Oldest pgvector release the schema works with (halfvec arrived in 0.7.0). */
  public static final String MIN_PGVECTOR_VERSION = "0.7.0";

  /** First key of the advisory lock taken during install ("PORT"). */
  static final int LOCK_CLASS = 0x504F5254;

  private static final Logger LOG = LoggerFactory.getLogger(PortfolioSchema.class);
  private static final String RESOURCE_DIR = "/dev/portfolio/index/schema/";
  private static final List<Migration> MIGRATIONS =
      List.of(
          migration(1, "collections, documents, chunks and operation log", "V1__base.sql"),
          migration(
              2,
              "embedding sets in their own partitions, library-built keyword vectors",
              "V2__embedding_sets.sql"),
          migration(3, "durable job queue: jobs and their work units", "V3__jobs.sql"),
          migration(4, "document history", "V4__document_history.sql"),
          migration(5, "failure kinds for retryFailed, maintenance lock holders", "V5__retry.sql"));
  private static final String[] RUNTIME_TABLES = {
    "collections",
    "documents",
    "chunks",
    "embedding_sets",
    "embeddings",
    "operation_log",
    "maintenance_locks",
    "jobs",
    "job_units",
    "document_history"
  };

  private PortfolioSchema() {}

  /**
   * Returns every migration this library version knows, in version order.
   *
   * @return the migrations
   */
  public static List<Migration> migrations() {
    return MIGRATIONS;
  }

  /**
   * Returns the schema version this library version expects.
   *
   * @return the latest migration's version
   */
  public static int latestVersion() {
    return MIGRATIONS.get(MIGRATIONS.size() - 1).version();
  }

  /**
   * Installs or upgrades the schema {@value SchemaOptions#DEFAULT_SCHEMA}.
   *
   * @param dataSource a data source whose role may create objects in the schema
   * @return what was applied
   * @throws dev.portfolio.core.error.PortfolioException with {@link ErrorCode#SCHEMA_MISMATCH} when
   *     the vector extension is missing or too old, or the schema is newer than this library
   */
  public static MigrationResult install(DataSource dataSource) {
    return install(dataSource, SchemaOptions.defaults());
  }

  /**
   * Installs or upgrades the schema: creates it when missing, applies every migration newer than
   * the recorded version in one transaction under an advisory lock, and grants the runtime role its
   * privileges when one is configured. Safe to call on every application start.
   *
   * @param dataSource a data source whose role may create objects in the schema (and the schema
   *     itself when it does not exist)
   * @param options the schema name and runtime role
   * @return what was applied
   * @throws dev.portfolio.core.error.PortfolioException with {@link ErrorCode#SCHEMA_MISMATCH} when
   *     the vector extension is missing or too old, or the schema is newer than this library; with
   *     {@link ErrorCode#PERMISSION_DENIED} when the role may not create the objects
   */
  public static MigrationResult install(DataSource dataSource, SchemaOptions options) {
    return install(dataSource, options, latestVersion());
  }

  /**
   * Installs or upgrades the schema up to a version: for tests of a migration on data of the
   * version before it.
   *
   * @param dataSource a data source whose role may create objects in the schema
   * @param options the schema name and runtime role
   * @param upTo the last version to apply
   * @return what was applied
   */
  static MigrationResult install(DataSource dataSource, SchemaOptions options, int upTo) {
    if (dataSource == null) {
      throw new InvalidInputException("dataSource", "dataSource must not be null");
    }
    if (options == null) {
      throw new InvalidInputException("options", "options must not be null");
    }
    long start = System.nanoTime();
    String schema = options.schema();
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        MigrationResult result = installIn(c, options, start, upTo);
        c.commit();
        if (result.changed()) {
          LOG.info(
              "Installed Portfolio schema \"{}\" version {} (was {}) in {} ms",
              schema,
              result.toVersion(),
              result.fromVersion(),
              result.elapsed().toMillis());
        }
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw SqlErrors.translate("Installing the Portfolio schema \"" + schema + "\"", e);
    }
  }

  private static MigrationResult installIn(
      Connection c, SchemaOptions options, long start, int upTo) throws SQLException {
    String schema = options.schema();
    requireVectorExtension(c);
    execute(c, lockSql(schema));
    if (!exists(c, "SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = ?", schema)) {
      execute(c, createSchemaSql(schema));
    }
    if (!exists(c, "SELECT 1 WHERE to_regclass(?) IS NOT NULL", qualified(schema))) {
      execute(c, versionTableSql(schema));
    }
    int current = readVersion(c, schema);
    requireNotNewer(schema, current);
    warnOnChecksumMismatch(c, schema);
    List<Integer> applied = new ArrayList<>();
    DSLContext dsl = DSL.using(c, SQLDialect.POSTGRES);
    for (Migration m : MIGRATIONS) {
      if (m.version() > current && m.version() <= upTo) {
        execute(c, render(m, schema));
        dsl.execute(versionInsert(dsl, schema, m));
        applied.add(m.version());
      }
    }
    if (options.runtimeRole().isPresent()) {
      for (String grant : grantSql(schema, options.runtimeRole().get())) {
        execute(c, grant);
      }
    }
    return new MigrationResult(
        schema,
        current,
        Math.max(current, Math.min(upTo, latestVersion())),
        applied,
        Duration.ofNanos(System.nanoTime() - start));
  }

  /**
   * Returns the installed version of a schema.
   *
   * @param dataSource the data source
   * @param schema the schema name
   * @return the recorded version, or 0 when the schema or its version table does not exist
   */
  public static int installedVersion(DataSource dataSource, String schema) {
    Identifiers.schemaName("schema", schema);
    try (Connection c = dataSource.getConnection()) {
      return installedVersion(c, schema);
    } catch (SQLException e) {
      throw SqlErrors.translate("Reading the version of schema \"" + schema + "\"", e);
    }
  }

  /**
   * Returns the installed version of a schema on an open connection.
   *
   * @param connection the connection
   * @param schema a validated schema name
   * @return the recorded version, or 0 when not installed
   * @throws SQLException when the query fails
   */
  static int installedVersion(Connection connection, String schema) throws SQLException {
    if (!exists(connection, "SELECT 1 WHERE to_regclass(?) IS NOT NULL", qualified(schema))) {
      return 0;
    }
    return readVersion(connection, schema);
  }

  /**
   * Checks that a schema is installed at the version this library expects. Stores call it when they
   * start; it only reads.
   *
   * @param dataSource the data source
   * @param schema the schema name
   * @throws dev.portfolio.core.error.PortfolioException with {@link ErrorCode#SCHEMA_MISMATCH} when
   *     the schema is missing, older or newer, naming what to do
   */
  public static void requireInstalled(DataSource dataSource, String schema) {
    int version = installedVersion(dataSource, schema);
    if (version == 0) {
      throw new NonRetriableException(
          ErrorCode.SCHEMA_MISMATCH,
          "The Portfolio schema \""
              + schema
              + "\" is not installed in this database. Install it with"
              + " PortfolioSchema.install(dataSource, SchemaOptions.forSchema(\""
              + schema
              + "\")) or `portfolio install --schema "
              + schema
              + "`, or apply the SQL printed by PortfolioSchema.writeSchema with a role that may"
              + " create tables.");
    }
    requireNotNewer(schema, version);
    if (version < latestVersion()) {
      throw new NonRetriableException(
          ErrorCode.SCHEMA_MISMATCH,
          "The Portfolio schema \""
              + schema
              + "\" is at version "
              + version
              + " but this library needs version "
              + latestVersion()
              + ". Upgrade it with PortfolioSchema.install (or `portfolio install`), or apply the"
              + " SQL of PortfolioSchema.writeSchema with fromVersion("
              + version
              + ").");
    }
  }

  /**
   * Prints the SQL that {@link #install(DataSource, SchemaOptions)} runs: the advisory lock, the
   * schema and version table, each migration after {@link SchemaOptions#fromVersion()} followed by
   * its version row, and the runtime grants when a role is configured. The {@code vector} extension
   * is a prerequisite and appears only as a comment.
   *
   * @param out where to write; not closed
   * @param options the schema name, runtime role, first version and transaction wrapping
   * @throws IOException when writing fails
   */
  public static void writeSchema(Writer out, SchemaOptions options) throws IOException {
    if (out == null) {
      throw new InvalidInputException("out", "out must not be null");
    }
    if (options == null) {
      throw new InvalidInputException("options", "options must not be null");
    }
    String schema = options.schema();
    DSLContext dsl =
        DSL.using(
            SQLDialect.POSTGRES, new Settings().withRenderKeywordCase(RenderKeywordCase.UPPER));
    out.write(
        "-- Portfolio schema \""
            + schema
            + "\": migrations "
            + (options.fromVersion() + 1)
            + " to "
            + latestVersion()
            + ", generated by portfolio-index.\n"
            + "-- Prerequisite, once per database, run by a superuser (Portfolio never runs it):\n"
            + "--   CREATE EXTENSION IF NOT EXISTS vector;  -- pgvector "
            + MIN_PGVECTOR_VERSION
            + " or newer\n");
    // Literals below follow the SQL standard; a server running with standard_conforming_strings off
    // would read a backslash in one as an escape.
    out.write("SET standard_conforming_strings = on;\n");
    if (options.transaction()) {
      out.write("BEGIN;\n");
    }
    out.write("-- Serialises concurrent installs of this schema.\n");
    out.write(lockSql(schema) + ";\n");
    out.write(createSchemaSql(schema) + ";\n");
    out.write(versionTableSql(schema) + ";\n");
    for (Migration m : MIGRATIONS) {
      if (m.version() > options.fromVersion()) {
        out.write("\n-- Version " + m.version() + ": " + m.description() + "\n");
        out.write(render(m, schema).strip() + "\n");
        out.write(dsl.renderInlined(versionInsert(dsl, schema, m)) + ";\n");
      }
    }
    if (options.runtimeRole().isPresent()) {
      out.write("\n-- Runtime privileges: everything the store needs, and nothing more.\n");
      for (String grant : grantSql(schema, options.runtimeRole().get())) {
        out.write(grant + ";\n");
      }
    }
    if (options.transaction()) {
      out.write("COMMIT;\n");
    }
    out.flush();
  }

  /**
   * Grants a role the privileges the store needs at run time, and nothing more: USAGE on the
   * schema, SELECT, INSERT, UPDATE and DELETE on its tables, SELECT on the version table and USAGE
   * on its sequences. Creating per-collection ANN indexes needs more (ownership of the chunks
   * table); run that with the installing role.
   *
   * @param dataSource a data source whose role owns the schema's tables
   * @param schema the schema name
   * @param role the role to grant to; it must exist
   */
  public static void grantRuntimeAccess(DataSource dataSource, String schema, String role) {
    Identifiers.schemaName("schema", schema);
    Identifiers.roleName("role", role);
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      for (String grant : grantSql(schema, role)) {
        s.execute(grant);
      }
    } catch (SQLException e) {
      throw SqlErrors.translate("Granting runtime access on schema \"" + schema + "\"", e);
    }
  }

  /**
   * Checks that the {@code vector} extension is installed and recent enough, without ever creating
   * it.
   *
   * @param c an open connection
   * @throws SQLException when the query fails
   * @throws NonRetriableException with {@link ErrorCode#SCHEMA_MISMATCH} naming the command to run
   */
  static void requireVectorExtension(Connection c) throws SQLException {
    String installed;
    String available;
    String database;
    String server;
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT (SELECT extversion FROM pg_catalog.pg_extension WHERE extname = 'vector'),"
                    + " (SELECT default_version FROM pg_catalog.pg_available_extensions"
                    + " WHERE name = 'vector'),"
                    + " current_database(), current_setting('server_version_num')")) {
      rs.next();
      installed = rs.getString(1);
      available = rs.getString(2);
      database = rs.getString(3);
      server = rs.getString(4);
    }
    if (installed == null) {
      String major = server == null || server.length() < 3 ? "" : server.substring(0, 2);
      String fix =
          available != null
              ? " The server offers pgvector "
                  + available
                  + ": have a superuser run once in this database: CREATE EXTENSION vector;"
              : " The server does not offer pgvector either: install it for PostgreSQL "
                  + major
                  + " (Debian/Ubuntu: apt-get install postgresql-"
                  + major
                  + "-pgvector; other systems: https://github.com/pgvector/pgvector#installation),"
                  + " then have a superuser run once in this database: CREATE EXTENSION vector;";
      throw new NonRetriableException(
          ErrorCode.SCHEMA_MISMATCH,
          "The PostgreSQL extension \"vector\" (pgvector) is not installed in database \""
              + database
              + "\". Portfolio never creates extensions itself."
              + fix);
    }
    if (compareVersions(installed, MIN_PGVECTOR_VERSION) < 0) {
      throw new NonRetriableException(
          ErrorCode.SCHEMA_MISMATCH,
          "pgvector "
              + installed
              + " is installed in database \""
              + database
              + "\" but Portfolio needs "
              + MIN_PGVECTOR_VERSION
              + " or newer (halfvec indexes). Install a newer pgvector on the server and have a"
              + " superuser run: ALTER EXTENSION vector UPDATE;");
    }
  }

  /**
   * Compares dotted version strings numerically.
   *
   * @param a a version such as {@code 0.8.0}
   * @param b another version
   * @return negative, zero or positive as {@code a} is older, equal or newer
   */
  static int compareVersions(String a, String b) {
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    for (int i = 0; i < Math.max(x.length, y.length); i++) {
      int p = i < x.length ? leadingInt(x[i]) : 0;
      int q = i < y.length ? leadingInt(y[i]) : 0;
      if (p != q) {
        return Integer.compare(p, q);
      }
    }
    return 0;
  }

  private static int leadingInt(String s) {
    int n = 0;
    for (int i = 0; i < s.length() && Character.isDigit(s.charAt(i)); i++) {
      n = n * 10 + (s.charAt(i) - '0');
    }
    return n;
  }

  private static void requireNotNewer(String schema, int version) {
    if (version > latestVersion()) {
      throw new NonRetriableException(
          ErrorCode.SCHEMA_MISMATCH,
          "The Portfolio schema \""
              + schema
              + "\" is at version "
              + version
              + ", newer than the version "
              + latestVersion()
              + " this library knows. Upgrade portfolio-index to the release that installed it.");
    }
  }

  private static void warnOnChecksumMismatch(Connection c, String schema) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT version, checksum FROM " + qualified(schema) + " ORDER BY version")) {
      while (rs.next()) {
        int v = rs.getInt(1);
        String sum = rs.getString(2);
        for (Migration m : MIGRATIONS) {
          if (m.version() == v && !m.checksum().equals(sum)) {
            LOG.warn(
                "Migration {} of schema \"{}\" was applied from different SQL (checksum {} instead"
                    + " of {}); it is not applied again.",
                v,
                schema,
                sum,
                m.checksum());
          }
        }
      }
    }
  }

  private static int readVersion(Connection c, String schema) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT coalesce(max(version), 0) FROM " + qualified(schema))) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static boolean exists(Connection c, String sql, String value) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, value);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static void execute(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static String qualified(String schema) {
    return Identifiers.quote(schema) + ".schema_version";
  }

  static String lockSql(String schema) {
    return "SELECT pg_advisory_xact_lock(" + LOCK_CLASS + ", " + lockKey(schema) + ")";
  }

  static int lockKey(String schema) {
    return schema.hashCode();
  }

  private static String createSchemaSql(String schema) {
    return "CREATE SCHEMA IF NOT EXISTS " + Identifiers.quote(schema);
  }

  private static String versionTableSql(String schema) {
    return "CREATE TABLE IF NOT EXISTS "
        + qualified(schema)
        + " (\n"
        + "    version      integer PRIMARY KEY,\n"
        + "    description  text        NOT NULL,\n"
        + "    checksum     text        NOT NULL,\n"
        + "    installed_by text        NOT NULL DEFAULT current_user,\n"
        + "    installed_at timestamptz NOT NULL DEFAULT now()\n"
        + ")";
  }

  private static org.jooq.Query versionInsert(DSLContext dsl, String schema, Migration m) {
    return dsl.insertInto(
            new PgTables(schema).schemaVersion,
            PgTables.VERSION,
            DSL.field(DSL.name("description"), SQLDataType.CLOB),
            DSL.field(DSL.name("checksum"), SQLDataType.CLOB))
        .values(m.version(), m.description(), m.checksum());
  }

  static List<String> grantSql(String schema, String role) {
    String s = Identifiers.quote(schema);
    String r = Identifiers.quote(role);
    List<String> out = new ArrayList<>();
    out.add("GRANT USAGE ON SCHEMA " + s + " TO " + r);
    StringBuilder tables = new StringBuilder();
    for (String t : RUNTIME_TABLES) {
      tables.append(tables.length() == 0 ? "" : ", ").append(s).append('.').append(t);
    }
    out.add("GRANT SELECT, INSERT, UPDATE, DELETE ON " + tables + " TO " + r);
    out.add("GRANT SELECT ON " + qualified(schema) + " TO " + r);
    out.add("GRANT USAGE ON ALL SEQUENCES IN SCHEMA " + s + " TO " + r);
    return out;
  }

  /**
   * Returns a migration's SQL for a schema.
   *
   * @param m the migration
   * @param schema a validated schema name
   * @return the SQL with the schema placeholder replaced by the quoted name
   */
  static String render(Migration m, String schema) {
    return template(m.resource()).replace("${schema}", Identifiers.quote(schema));
  }

  private static Migration migration(int version, String description, String file) {
    return new Migration(
        version, description, RESOURCE_DIR + file, Fingerprints.sha256Hex(template(file)));
  }

  private static String template(String resource) {
    String path = resource.startsWith("/") ? resource : RESOURCE_DIR + resource;
    try (InputStream in = PortfolioSchema.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing class-path resource " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
  }
}
