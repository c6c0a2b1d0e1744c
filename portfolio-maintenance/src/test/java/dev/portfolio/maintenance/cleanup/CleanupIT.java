package dev.portfolio.maintenance.cleanup;

import static dev.portfolio.maintenance.testing.Fixture.maintenance;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.portfolio.core.model.EmbeddingSet;
import dev.portfolio.core.model.OrphanKind;
import dev.portfolio.core.model.PurgeResult;
import dev.portfolio.core.model.StoreTable;
import dev.portfolio.core.model.VacuumOutcome;
import dev.portfolio.core.spi.ProgressReporter;
import dev.portfolio.core.spi.VectorStore;
import dev.portfolio.index.pgvector.PgVectorStore;
import dev.portfolio.index.pgvector.TestStores;
import dev.portfolio.index.schema.PortfolioSchema;
import dev.portfolio.index.schema.SchemaOptions;
import dev.portfolio.index.testing.PostgresSchemaExtension;
import dev.portfolio.index.testing.TestSchema;
import dev.portfolio.maintenance.Maintenance;
import dev.portfolio.maintenance.modelswitch.SwitchOptions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The cleanup operations on PostgreSQL: the shared scenarios, orphans made the way they appear in
 * real databases (a foreign key or trigger bypassed, a set row deleted while its partition stayed),
 * VACUUM as owner and as a DML-only role, a connection terminated in the middle of a batch, and an
 * empty database.
 */
@ExtendWith(PostgresSchemaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CleanupIT extends CleanupScenarios {
  private TestSchema db;
  private HikariDataSource pool;
  private PgVectorStore store;

  @BeforeAll
  void open(TestSchema schema) {
    db = schema;
    TestStores.install(db);
    pool = TestStores.pool(db);
    store = PgVectorStore.builder(pool).schema(db.name()).build();
  }

  @AfterAll
  void close() {
    store.close();
    pool.close();
  }

  @Override
  protected VectorStore store() {
    return store;
  }

  @Override
  protected boolean vacuums() {
    return true;
  }

  @Test
  void orphansOfEveryKindAreCountedByADryRunRemovedInBatchesAndTheTouchedTablesVacuumed()
      throws Exception {
    String c = embeddedCollection("orphans");
    Maintenance m = maintenance(store, null, ProgressReporter.SILENT);
    m.switchModel(c, nextModel(), SwitchOptions.defaults());
    EmbeddingSet retired = m.switchStatus(c).retired().get(0);
    EmbeddingSet active = store.activeSet(c);
    String s = "\"" + db.name() + "\"";
    String inC = " collection_id = (SELECT id FROM " + s + ".collections WHERE name = '" + c + "')";
    try (Connection conn = db.dataSource().getConnection();
        Statement st = conn.createStatement()) {
      conn.setAutoCommit(false);
      // A restore that bypassed the foreign key: doc-0 and doc-1 gone, their 6 chunks stay.
      st.execute("ALTER TABLE " + s + ".chunks DROP CONSTRAINT chunks_document_fkey");
      st.execute("DELETE FROM " + s + ".documents WHERE key IN ('doc-0', 'doc-1') AND" + inC);
      st.execute(
          "ALTER TABLE "
              + s
              + ".chunks ADD CONSTRAINT chunks_document_fkey FOREIGN KEY (document_id,"
              + " collection_id) REFERENCES "
              + s
              + ".documents (id, collection_id) ON DELETE CASCADE NOT VALID");
      // A bulk delete with the trigger off: doc-2's 3 chunks gone, their vectors stay.
      st.execute("ALTER TABLE " + s + ".chunks DISABLE TRIGGER chunks_delete_embeddings");
      st.execute(
          "DELETE FROM "
              + s
              + ".chunks WHERE document_id = (SELECT id FROM "
              + s
              + ".documents WHERE key = 'doc-2' AND"
              + inC
              + ")");
      st.execute("ALTER TABLE " + s + ".chunks ENABLE TRIGGER chunks_delete_embeddings");
      // doc-2 is marked ready without a chunk; so is doc-3 after its chunks went by hand.
      st.execute(
          "UPDATE "
              + s
              + ".documents SET status = 'ready' WHERE key IN ('doc-2', 'doc-3') AND"
              + inC);
      st.execute(
          "DELETE FROM "
              + s
              + ".chunks WHERE document_id = (SELECT id FROM "
              + s
              + ".documents WHERE key = 'doc-3' AND"
              + inC
              + ")");
      // A set dropped while its partition stayed (no owner rights for the partition).
      st.execute("DELETE FROM " + s + ".embedding_sets WHERE id = " + retired.id());
      conn.commit();
    }
    // Vectors: doc-0/1's stay until their orphaned chunks go; doc-2's 3 in the active set have no
    // chunk (its rows in the retired set count as without set); the retired set's 30 rows, less
    // doc-3's 3 that the trigger removed while the set still existed.
    Map<OrphanKind, Long> expected =
        Map.of(
            OrphanKind.CHUNKS_WITHOUT_DOCUMENT, 6L,
            OrphanKind.READY_DOCUMENTS_WITHOUT_CHUNKS, 2L,
            OrphanKind.VECTORS_WITHOUT_CHUNK, 3L,
            OrphanKind.VECTORS_WITHOUT_SET, 27L);
    assertThat(store.countOrphans()).containsExactlyInAnyOrderEntriesOf(expected);

    OrphanCleanupResult dry = m.cleanupOrphans(true, 2);
    assertThat(dry.orphans())
        .allSatisfy(o -> assertThat(o.found()).isEqualTo(expected.get(o.kind())))
        .allSatisfy(o -> assertThat(o.removed()).isZero());
    assertThat(store.countOrphans()).containsExactlyInAnyOrderEntriesOf(expected);

    OrphanCleanupResult r = m.cleanupOrphans(false, 2);

    assertThat(r.orphans())
        .extracting(OrphanCount::kind, OrphanCount::found, OrphanCount::removed)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(OrphanKind.CHUNKS_WITHOUT_DOCUMENT, 6L, 6L),
            org.assertj.core.groups.Tuple.tuple(OrphanKind.READY_DOCUMENTS_WITHOUT_CHUNKS, 2L, 2L),
            org.assertj.core.groups.Tuple.tuple(OrphanKind.VECTORS_WITHOUT_CHUNK, 3L, 3L),
            org.assertj.core.groups.Tuple.tuple(OrphanKind.VECTORS_WITHOUT_SET, 27L, 27L));
    assertThat(store.countOrphans().values()).containsOnly(0L);
    assertThat(r.vacuum())
        .extracting(VacuumOutcome::table, VacuumOutcome::status)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(StoreTable.DOCUMENTS, VacuumOutcome.Status.DONE),
            org.assertj.core.groups.Tuple.tuple(StoreTable.CHUNKS, VacuumOutcome.Status.DONE),
            org.assertj.core.groups.Tuple.tuple(StoreTable.EMBEDDINGS, VacuumOutcome.Status.DONE));
    assertThat(r.vacuum().get(0).detail()).isEqualTo("VACUUM (ANALYZE) " + s + ".documents");
    assertThat(lastVacuum(db.name(), "chunks")).as("pg_stat_user_tables.last_vacuum").isTrue();
    assertThat(store.stats(c, active.id()).chunks()).isEqualTo(18);
    assertThat(store.stats(c, active.id()).embeddedChunks()).isEqualTo(18);
    assertThat(r.summary()).contains("6 chunks without document (6 removed)");
    try (Connection conn = db.dataSource().getConnection();
        Statement st = conn.createStatement()) {
      st.execute("ALTER TABLE " + s + ".chunks VALIDATE CONSTRAINT chunks_document_fkey");
    }
  }

  @Test
  void anOrphanCleanupCancelledBetweenBatchesKeepsWhatItCommittedAndARerunRemovesTheRest()
      throws Exception {
    String c = embeddedCollection("orphan-cancel");
    String s = "\"" + db.name() + "\"";
    String inC = " collection_id = (SELECT id FROM " + s + ".collections WHERE name = '" + c + "')";
    try (Connection conn = db.dataSource().getConnection();
        Statement st = conn.createStatement()) {
      conn.setAutoCommit(false);
      // A restore that bypassed the foreign key: four documents gone, their 12 chunks stay.
      st.execute("ALTER TABLE " + s + ".chunks DROP CONSTRAINT chunks_document_fkey");
      st.execute(
          "DELETE FROM "
              + s
              + ".documents WHERE key IN ('doc-0', 'doc-1', 'doc-2', 'doc-3') AND"
              + inC);
      st.execute(
          "ALTER TABLE "
              + s
              + ".chunks ADD CONSTRAINT chunks_document_fkey FOREIGN KEY (document_id,"
              + " collection_id) REFERENCES "
              + s
              + ".documents (id, collection_id) ON DELETE CASCADE NOT VALID");
      conn.commit();
    }
    assertThat(store.countOrphans()).containsEntry(OrphanKind.CHUNKS_WITHOUT_DOCUMENT, 12L);
    Maintenance m = maintenance(store, null, ProgressReporter.SILENT);

    OrphanCleanupResult r =
        m.cleanupOrphans(
            OrphanCleanupOptions.builder()
                .batchSize(5)
                .dropRetiredSets(true)
                .cancellation(cancelledAfter(2))
                .build());

    assertThat(r.cancelled()).isTrue();
    assertThat(r.orphans())
        .filteredOn(o -> o.kind() == OrphanKind.CHUNKS_WITHOUT_DOCUMENT)
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.found()).isEqualTo(12);
              assertThat(o.removed()).as("two committed batches of 5").isEqualTo(10);
            });
    assertThat(r.vacuum()).isEmpty();
    assertThat(r.summary()).contains("cancelled at a batch boundary");
    // Their vectors went with the chunks removed; the two chunks left keep theirs.
    assertThat(store.countOrphans())
        .containsEntry(OrphanKind.CHUNKS_WITHOUT_DOCUMENT, 2L)
        .containsEntry(OrphanKind.VECTORS_WITHOUT_CHUNK, 0L);

    OrphanCleanupResult rest = m.cleanupOrphans(false, 5);

    assertThat(rest.cancelled()).isFalse();
    assertThat(rest.removed()).isEqualTo(2);
    assertThat(rest.vacuum()).isNotEmpty();
    assertThat(store.countOrphans().values()).containsOnly(0L);
    assertThat(store.stats(c).chunks()).isEqualTo(18);
    try (Connection conn = db.dataSource().getConnection();
        Statement st = conn.createStatement()) {
      st.execute("ALTER TABLE " + s + ".chunks VALIDATE CONSTRAINT chunks_document_fkey");
    }
  }

  @Test
  void aDmlOnlyRoleCleansUpButVacuumIsReportedSkippedWithTheStatementForTheOwner()
      throws SQLException {
    String role =
        "portfolio_rt_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE ROLE " + role + " NOLOGIN");
      s.execute("GRANT " + role + " TO current_user");
    }
    PortfolioSchema.grantRuntimeAccess(db.dataSource(), db.name(), role);
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(db.jdbcUrl());
    config.setMaximumPoolSize(3);
    config.setConnectionInitSql("SET ROLE " + role);
    try (HikariDataSource runtime = new HikariDataSource(config);
        PgVectorStore limited = PgVectorStore.builder(runtime).schema(db.name()).build()) {
      String c = embeddedCollection("dml");
      store.softDelete(c, "doc-4");
      Maintenance m = maintenance(limited, null, ProgressReporter.SILENT);

      DeletedCleanupResult r =
          m.cleanupDeleted(DeletedCleanupOptions.builder().collection(c).build());

      assertThat(r.total()).isEqualTo(new PurgeResult(1, 3, 3));
      assertThat(r.vacuum())
          .hasSize(3)
          .allSatisfy(
              v -> {
                assertThat(v.status()).isEqualTo(VacuumOutcome.Status.SKIPPED);
                assertThat(v.detail())
                    .contains("role '" + role + "' does not own")
                    .contains("VACUUM needs ownership")
                    .contains("run as the schema owner: VACUUM (ANALYZE) \"" + db.name() + "\".");
              });
      assertThat(r.summary())
          .contains("vacuum skipped (see result) for documents, chunks, embeddings");
    } finally {
      try (Connection c = db.dataSource().getConnection();
          Statement s = c.createStatement()) {
        s.execute("DROP OWNED BY " + role);
        s.execute("DROP ROLE IF EXISTS " + role);
      }
    }
  }

  @Test
  void aConnectionTerminatedInTheMiddleOfAPurgeBatchRollsItBackAndTheBatchIsRetried()
      throws Exception {
    String c = embeddedCollection("dropped");
    for (int i = 0; i < 6; i++) {
      store.softDelete(c, "doc-" + i);
    }
    Maintenance m = maintenance(store, null, ProgressReporter.SILENT);
    CompletableFuture<DeletedCleanupResult> running;
    try (Connection blocker = db.dataSource().getConnection()) {
      blocker.setAutoCommit(false);
      try (Statement st = blocker.createStatement()) {
        st.execute("LOCK TABLE \"" + db.name() + "\".chunks IN SHARE MODE");
      }
      running =
          CompletableFuture.supplyAsync(
              () ->
                  m.cleanupDeleted(
                      DeletedCleanupOptions.builder().collection(c).batchSize(4).build()));
      int pid = waitingBackend("DELETE FROM%chunks%", running);
      // The batch selected and locked its documents; its DELETE waits. Nothing is visible yet.
      assertThat(store.countDeleted(c, null)).isEqualTo(new PurgeResult(6, 18, 18));
      try (PreparedStatement ps = blocker.prepareStatement("SELECT pg_terminate_backend(?)")) {
        ps.setInt(1, pid);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          assertThat(rs.getBoolean(1)).isTrue();
        }
      }
      // The terminated transaction left nothing behind, and the blocker still holds the table.
      assertThat(store.countDeleted(c, null)).isEqualTo(new PurgeResult(6, 18, 18));
      blocker.rollback();
    }

    DeletedCleanupResult r = running.get(60, TimeUnit.SECONDS);

    assertThat(r.total()).isEqualTo(new PurgeResult(6, 18, 18));
    assertThat(r.collections().get(0).batches()).isEqualTo(2);
    assertThat(store.countDeleted(c, null)).isEqualTo(PurgeResult.NONE);
    assertThat(store.stats(c).chunks()).isEqualTo(12);
    assertThat(store.stats(c).embeddedChunks()).isEqualTo(12);
  }

  @Test
  void anEmptyDatabaseGivesZeroResults() {
    String schema = db.name() + "_empty";
    PortfolioSchema.install(db.dataSource(), SchemaOptions.forSchema(schema));
    try (PgVectorStore empty = PgVectorStore.builder(pool).schema(schema).build()) {
      Maintenance m = maintenance(empty, null, ProgressReporter.SILENT);

      OrphanCleanupResult orphans = m.cleanupOrphans(false, 100);
      DeletedCleanupResult deleted = m.cleanupDeleted(DeletedCleanupOptions.defaults());

      assertThat(orphans.found()).isZero();
      assertThat(orphans.retiredSets()).isEmpty();
      assertThat(orphans.vacuum()).isEmpty();
      assertThat(deleted.collections()).isEmpty();
      assertThat(deleted.total()).isEqualTo(PurgeResult.NONE);
    } finally {
      try (Connection c = db.dataSource().getConnection();
          Statement st = c.createStatement()) {
        st.execute("DROP SCHEMA \"" + schema + "\" CASCADE");
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private boolean lastVacuum(String schema, String table) throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT last_vacuum IS NOT NULL FROM pg_stat_user_tables"
                    + " WHERE schemaname = ? AND relname = ?")) {
      ps.setString(1, schema);
      ps.setString(2, table);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    }
  }

  private int waitingBackend(String queryLike, CompletableFuture<?> running) throws SQLException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    try (Connection c = db.dataSource().getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                    + " AND wait_event_type = 'Lock' AND query LIKE ?")) {
      ps.setString(1, queryLike);
      while (System.nanoTime() < deadline) {
        assertThat(running).as("the cleanup ended before it could be interrupted").isNotDone();
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            return rs.getInt(1);
          }
        }
        Thread.onSpinWait();
      }
    }
    throw new AssertionError("no backend waited on the lock with a query like " + queryLike);
  }
}
