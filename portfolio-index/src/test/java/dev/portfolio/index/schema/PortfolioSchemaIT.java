package dev.portfolio.index.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.PortfolioException;
import dev.portfolio.index.pgvector.PgVectorStore;
import dev.portfolio.index.testing.PostgresSchemaExtension;
import dev.portfolio.index.testing.TestSchema;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.ds.PGSimpleDataSource;

@ExtendWith(PostgresSchemaExtension.class)
class PortfolioSchemaIT {

  @Test
  void installCreatesTheTablesAndRecordsTheVersion(TestSchema db) throws SQLException {
    String schema = db.name() + "_a";
    try {
      MigrationResult result = PortfolioSchema.install(db.dataSource(), options(schema));

      assertThat(result.fromVersion()).isZero();
      assertThat(result.toVersion()).isEqualTo(PortfolioSchema.latestVersion());
      assertThat(result.applied()).containsExactlyElementsOf(allVersions());
      assertThat(tables(db, schema))
          .containsExactlyInAnyOrder(
              "collections",
              "documents",
              "chunks",
              "embedding_sets",
              "embeddings",
              "operation_log",
              "maintenance_locks",
              "jobs",
              "job_units",
              "document_history",
              "schema_version");
      assertThat(PortfolioSchema.installedVersion(db.dataSource(), schema))
          .isEqualTo(PortfolioSchema.latestVersion());
    } finally {
      drop(db, schema);
    }
  }

  @Test
  void installIsIdempotent(TestSchema db) throws SQLException {
    String schema = db.name() + "_b";
    try {
      PortfolioSchema.install(db.dataSource(), options(schema));
      MigrationResult again = PortfolioSchema.install(db.dataSource(), options(schema));

      assertThat(again.changed()).isFalse();
      assertThat(again.fromVersion()).isEqualTo(PortfolioSchema.latestVersion());
    } finally {
      drop(db, schema);
    }
  }

  @Test
  void installUsesAnExistingEmptySchema(TestSchema db) {
    MigrationResult result = PortfolioSchema.install(db.dataSource(), options(db.name()));

    assertThat(result.applied()).containsExactlyElementsOf(allVersions());
  }

  @Test
  void installsStartedTogetherApplyEachMigrationOnce(TestSchema db) throws Exception {
    String schema = db.name() + "_c";
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<MigrationResult>> results = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        results.add(
            pool.submit(
                () -> {
                  go.await();
                  return PortfolioSchema.install(db.dataSource(), options(schema));
                }));
      }
      go.countDown();
      int applied = 0;
      for (Future<MigrationResult> f : results) {
        applied += f.get(60, TimeUnit.SECONDS).applied().size();
      }
      assertThat(applied).isEqualTo(allVersions().size());
      assertThat(PortfolioSchema.installedVersion(db.dataSource(), schema))
          .isEqualTo(PortfolioSchema.latestVersion());
    } finally {
      pool.shutdownNow();
      drop(db, schema);
    }
  }

  @Test
  void exportedSqlBuildsTheSameSchemaAsInstall(TestSchema db) throws Exception {
    String installed = db.name() + "_i";
    String exported = db.name() + "_e";
    try {
      PortfolioSchema.install(db.dataSource(), options(installed));
      StringWriter sql = new StringWriter();
      PortfolioSchema.writeSchema(sql, options(exported));
      try (Connection c = db.dataSource().getConnection();
          Statement s = c.createStatement()) {
        s.execute(sql.toString());
      }

      assertThat(PortfolioSchema.installedVersion(db.dataSource(), exported))
          .isEqualTo(PortfolioSchema.latestVersion());
      assertThat(shape(db, exported)).isEqualTo(shape(db, installed)).isNotEmpty();
    } finally {
      drop(db, installed);
      drop(db, exported);
    }
  }

  @Test
  void missingVectorExtensionGivesOneMessageWithTheCommandToRun(TestSchema db) throws SQLException {
    String database = "portfolio_noext_" + Long.toHexString(System.nanoTime());
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + database);
    }
    try {
      PGSimpleDataSource other = new PGSimpleDataSource();
      other.setURL(db.jdbcUrl().replace("/portfolio_test", "/" + database));

      assertThatThrownBy(() -> PortfolioSchema.install(other, SchemaOptions.defaults()))
          .isInstanceOf(PortfolioException.class)
          .satisfies(
              e -> assertThat(((PortfolioException) e).code()).isEqualTo(ErrorCode.SCHEMA_MISMATCH))
          .hasMessageContaining(
              "The PostgreSQL extension \"vector\" (pgvector) is not installed in database \""
                  + database
                  + "\"")
          .hasMessageContaining("Portfolio never creates extensions itself")
          .hasMessageContaining("CREATE EXTENSION vector;");
      assertThat(PortfolioSchema.installedVersion(other, "portfolio")).isZero();
    } finally {
      try (Connection c = db.dataSource().getConnection();
          Statement s = c.createStatement()) {
        s.execute("DROP DATABASE IF EXISTS " + database);
      }
    }
  }

  @Test
  void storeRefusesToStartOnAMissingSchemaAndSaysHowToInstallIt(TestSchema db) {
    String missing = db.name() + "_missing";

    assertThatThrownBy(() -> PgVectorStore.builder(db.dataSource()).schema(missing).build())
        .isInstanceOf(PortfolioException.class)
        .hasMessage(
            "The Portfolio schema \""
                + missing
                + "\" is not installed in this database. Install it with"
                + " PortfolioSchema.install(dataSource, SchemaOptions.forSchema(\""
                + missing
                + "\")) or `portfolio install --schema "
                + missing
                + "`, or apply the SQL printed by PortfolioSchema.writeSchema with a role that may"
                + " create tables.");
  }

  @Test
  void aSchemaNewerThanTheLibraryIsRejected(TestSchema db) throws SQLException {
    String schema = db.name() + "_n";
    try {
      PortfolioSchema.install(db.dataSource(), options(schema));
      try (Connection c = db.dataSource().getConnection();
          Statement s = c.createStatement()) {
        s.execute(
            "INSERT INTO \""
                + schema
                + "\".schema_version (version, description, checksum) VALUES (99, 'x', 'x')");
      }

      assertThatThrownBy(() -> PortfolioSchema.install(db.dataSource(), options(schema)))
          .hasMessageContaining(
              "is at version 99, newer than the version "
                  + PortfolioSchema.latestVersion()
                  + " this library knows");
      assertThatThrownBy(() -> PortfolioSchema.requireInstalled(db.dataSource(), schema))
          .hasMessageContaining("Upgrade portfolio-index");
    } finally {
      drop(db, schema);
    }
  }

  @Test
  void installGrantsTheRuntimeRoleOnlyDataPrivileges(TestSchema db) throws SQLException {
    String schema = db.name() + "_g";
    try {
      PortfolioSchema.install(
          db.dataSource(), SchemaOptions.builder().schema(schema).runtimeRole("public").build());
      try (Connection c = db.dataSource().getConnection();
          PreparedStatement ps =
              c.prepareStatement(
                  "SELECT table_name, string_agg(privilege_type, ',' ORDER BY privilege_type)"
                      + " FROM information_schema.role_table_grants WHERE table_schema = ?"
                      + " AND grantee = 'PUBLIC' GROUP BY table_name ORDER BY table_name")) {
        ps.setString(1, schema);
        List<String> grants = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            grants.add(rs.getString(1) + ":" + rs.getString(2));
          }
        }
        assertThat(grants)
            .containsExactly(
                "chunks:DELETE,INSERT,SELECT,UPDATE",
                "collections:DELETE,INSERT,SELECT,UPDATE",
                "document_history:DELETE,INSERT,SELECT,UPDATE",
                "documents:DELETE,INSERT,SELECT,UPDATE",
                "embedding_sets:DELETE,INSERT,SELECT,UPDATE",
                "embeddings:DELETE,INSERT,SELECT,UPDATE",
                "job_units:DELETE,INSERT,SELECT,UPDATE",
                "jobs:DELETE,INSERT,SELECT,UPDATE",
                "maintenance_locks:DELETE,INSERT,SELECT,UPDATE",
                "operation_log:DELETE,INSERT,SELECT,UPDATE",
                "schema_version:SELECT");
      }
    } finally {
      drop(db, schema);
    }
  }

  private static List<Integer> allVersions() {
    return PortfolioSchema.migrations().stream().map(Migration::version).toList();
  }

  private static SchemaOptions options(String schema) {
    return SchemaOptions.forSchema(schema);
  }

  private static List<String> tables(TestSchema db, String schema) throws SQLException {
    return query(
        db,
        "SELECT table_name FROM information_schema.tables WHERE table_schema = ? ORDER BY 1",
        schema);
  }

  /** Columns, constraints and indexes of a schema, with the schema name removed. */
  private static List<String> shape(TestSchema db, String schema) throws SQLException {
    List<String> out = new ArrayList<>();
    out.addAll(
        query(
            db,
            "SELECT table_name || '.' || column_name || ' ' || data_type || ' '"
                + " || coalesce(column_default, '') || ' ' || is_nullable || ' '"
                + " || coalesce(generation_expression, '')"
                + " FROM information_schema.columns WHERE table_schema = ? ORDER BY 1",
            schema));
    out.addAll(
        query(
            db,
            "SELECT replace(indexdef, ' ' || schemaname || '.', ' ') FROM pg_indexes"
                + " WHERE schemaname = ? ORDER BY indexname",
            schema));
    out.addAll(
        query(
            db,
            "SELECT conname || ' ' || replace(pg_get_constraintdef(c.oid), n.nspname || '.', '')"
                + " FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace"
                + " WHERE n.nspname = ? ORDER BY conname",
            schema));
    return out.stream().map(s -> s.replace(schema, "<schema>")).toList();
  }

  private static List<String> query(TestSchema db, String sql, String arg) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = db.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, arg);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }

  private static void drop(TestSchema db, String schema) throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
    }
  }
}
