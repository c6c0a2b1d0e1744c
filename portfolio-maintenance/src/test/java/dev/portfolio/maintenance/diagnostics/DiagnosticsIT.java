package dev.portfolio.maintenance.diagnostics;

import static dev.portfolio.maintenance.testing.Fixture.maintenance;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.portfolio.core.hashing.HashingEmbedder;
import dev.portfolio.core.inspect.OperationLatency;
import dev.portfolio.core.model.CollectionSpec;
import dev.portfolio.core.model.Distance;
import dev.portfolio.core.model.DocumentStatus;
import dev.portfolio.core.model.Embedding;
import dev.portfolio.core.model.VectorQuery;
import dev.portfolio.core.spi.ProgressReporter;
import dev.portfolio.index.pgvector.PgVectorStore;
import dev.portfolio.index.pgvector.TestStores;
import dev.portfolio.index.testing.PostgresSchemaExtension;
import dev.portfolio.index.testing.TestSchema;
import dev.portfolio.maintenance.Maintenance;
import dev.portfolio.maintenance.statistics.HealthFinding;
import dev.portfolio.maintenance.statistics.HealthFindingKind;
import dev.portfolio.maintenance.statistics.HealthLevel;
import dev.portfolio.maintenance.statistics.HealthThresholds;
import dev.portfolio.maintenance.statistics.StatisticsOptions;
import dev.portfolio.maintenance.statistics.StatisticsReport;
import dev.portfolio.maintenance.testing.Scene;
import dev.portfolio.maintenance.testing.Superuser;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Diagnostics and statistics on PostgreSQL: counts, sizes and the configuration, then index health
 * after an index is made invalid, another dropped, and a table is bloated with dead rows.
 */
@ExtendWith(PostgresSchemaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DiagnosticsIT {
  private static final HealthThresholds LOW = new HealthThresholds(0.2, 0.5, 10, 5, 0.2, 10, 10);

  private TestSchema db;
  private HikariDataSource pool;
  private PgVectorStore store;
  private Maintenance maintenance;

  @BeforeAll
  void open(TestSchema schema) {
    db = schema;
    TestStores.install(db);
    pool = TestStores.pool(db);
    store = PgVectorStore.builder(pool).schema(db.name()).build();
    maintenance = maintenance(store, new HashingEmbedder(Scene.DIMENSION), ProgressReporter.SILENT);
  }

  @AfterAll
  void close() {
    store.close();
    pool.close();
  }

  @Test
  void diagnosticsCountEverythingAndMeasureEveryTableAndIndex() {
    Scene scene = Scene.load(store, "docs");
    long active = store.activeSet("docs").id();
    long building = scene.buildingSet().id();

    DiagnosticsReport report = maintenance.diagnostics();

    CollectionDiagnostics docs = report.collection("docs").orElseThrow();
    assertThat(docs.liveDocuments()).isEqualTo(19);
    assertThat(docs.failedDocuments()).isEqualTo(2);
    assertThat(docs.documentsByStatus()).containsEntry("deleted", 1L).containsEntry("pending", 17L);
    assertThat(docs.chunks()).isEqualTo(57);
    assertThat(docs.sources()).isEqualTo(3);
    assertThat(docs.missingInActiveSet()).isEqualTo(3);
    assertThat(docs.staleInActiveSet()).isEqualTo(2);
    assertThat(docs.dataBytes()).isPositive();
    assertThat(docs.activeSet().vectors()).isEqualTo(54);
    assertThat(docs.activeSet().coveragePercent()).isEqualTo(94.74);
    assertThat(docs.activeSet().foreignModelVectors()).isEqualTo(1);
    assertThat(docs.activeSet().annIndex()).isEqualTo("valid");
    assertThat(docs.activeSet().bytes()).isPositive();
    assertThat(docs.buildingSet().annIndex()).isEqualTo("missing");
    assertThat(docs.buildingSet().coveragePercent()).isEqualTo(17.54);

    assertThat(report.relation("chunks").orElseThrow().bytes()).isPositive();
    assertThat(report.relation("embeddings").orElseThrow().kind()).isEqualTo("partitioned_table");
    assertThat(report.relation("embeddings_" + active).orElseThrow().table())
        .isEqualTo("embeddings");
    RelationSize ann = report.relation("embeddings_" + active + "_ann").orElseThrow();
    assertThat(ann.kind()).isEqualTo("index");
    assertThat(ann.valid()).isTrue();
    assertThat(ann.table()).isEqualTo("embeddings_" + active);
    assertThat(report.relation("embeddings_" + building + "_ann")).isEmpty();
    assertThat(report.totalBytes())
        .isEqualTo(report.storage().stream().mapToLong(RelationSize::bytes).sum());

    assertThat(report.configuration())
        .containsEntry("store", "pgvector")
        .containsEntry("store.schema", db.name())
        .containsEntry("store.hnswM", "16")
        .containsEntry("embedder", "hashing:hashing-v1");
    assertThat(report.configuration().get("store.server")).startsWith("PostgreSQL 1");
    assertThat(report.configuration().get("store.pgvector")).matches("\\d+\\.\\d+\\.\\d+");
    if (db.jdbcUrl().contains("password=")) {
      assertThat(report.configuration().get("store.url")).contains("password=****");
    }
    assertThat(report.configuration().values())
        .noneMatch(v -> v.matches("(?i).*password=(?!\\*\\*\\*\\*).*"));
    assertThat(report.toString()).contains("valid", "embeddings_" + active + "_ann");

    StatisticsReport ws = maintenance.statistics("ws-a");
    assertThat(ws.documents()).isEqualTo(10);
    assertThat(ws.chunks()).isEqualTo(30);
    assertThat(ws.dataBytes()).isPositive().isLessThan(docs.dataBytes());
    assertThat(ws.storeBytes()).isEqualTo(report.totalBytes());
  }

  @Test
  void anInvalidActiveIndexIsCriticalAndAMissingOneDegraded() throws SQLException {
    store.createCollection(new CollectionSpec("broken", "test-model", 4, Distance.L2));
    store.createCollection(new CollectionSpec("unindexed", "test-model", 4, Distance.L2));
    long broken = store.activeSet("broken").id();
    long unindexed = store.activeSet("unindexed").id();
    for (String c : List.of("broken", "unindexed")) {
      store.upsert(c, List.of(TestStores.doc(c + "-doc", 12, 4, 1)));
    }
    Superuser.execute(
        db,
        "UPDATE pg_catalog.pg_index SET indisvalid = false WHERE indexrelid = '\""
            + db.name()
            + "\".embeddings_"
            + broken
            + "_ann'::regclass",
        "DROP INDEX \"" + db.name() + "\".embeddings_" + unindexed + "_ann");

    DiagnosticsReport report = maintenance.diagnostics();
    StatisticsReport stats =
        maintenance.statistics(null, StatisticsOptions.defaults().withThresholds(LOW));

    assertThat(report.collection("broken").orElseThrow().activeSet().annIndex())
        .isEqualTo("invalid");
    assertThat(report.relation("embeddings_" + broken + "_ann").orElseThrow().valid()).isFalse();
    assertThat(report.collection("unindexed").orElseThrow().activeSet().annIndex())
        .isEqualTo("missing");
    assertThat(stats.indexHealth().level()).isEqualTo(HealthLevel.CRITICAL);
    assertThat(stats.indexHealth().findings())
        .anySatisfy(
            f -> {
              assertThat(f.level()).isEqualTo(HealthLevel.CRITICAL);
              assertThat(f.kind()).isEqualTo(HealthFindingKind.INVALID_INDEX);
              assertThat(f.subject()).isEqualTo("broken set " + broken + " (active)");
              assertThat(f.reason()).contains("scans all 12 vectors");
            })
        .anySatisfy(
            f -> {
              assertThat(f.level()).isEqualTo(HealthLevel.DEGRADED);
              assertThat(f.kind()).isEqualTo(HealthFindingKind.MISSING_ANN_INDEX);
              assertThat(f.subject()).isEqualTo("unindexed set " + unindexed + " (active)");
            });
    assertThat(stats.indexHealth().findings().get(0).level()).isEqualTo(HealthLevel.CRITICAL);
    assertThat(stats.toString()).contains("Index health: CRITICAL", "INVALID_INDEX");
    assertThat(store.search(VectorQuery.of("broken", Embedding.of(1, 0, 0, 0), 3)))
        .as("searches still work, by scanning")
        .hasSize(3);
  }

  @Test
  void deadRowsAndStatisticsOlderThanTheLastWritesAreReported() throws SQLException {
    store.createCollection(new CollectionSpec("churn", "test-model", 4, Distance.L2));
    store.upsert("churn", List.of(TestStores.doc("one", 2, 4, 1), TestStores.doc("two", 2, 4, 2)));
    String documents = "\"" + db.name() + "\".documents";
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement()) {
      s.execute("ALTER TABLE " + documents + " SET (autovacuum_enabled = false)");
      s.execute("ANALYZE " + documents);
    }
    // The status alternates: an indexed column changes, so no update is HOT, and page pruning on
    // a quiet server cannot quietly reclaim the dead rows before the statistics report them.
    for (int i = 0; i < 40; i++) {
      store.updateStatus(
          "churn",
          i % 2 == 0 ? "one" : "two",
          (i / 2) % 2 == 0 ? DocumentStatus.FAILED : DocumentStatus.PENDING,
          "again");
    }

    StatisticsReport stats =
        poll(
            r ->
                has(r, HealthFindingKind.DEAD_ROWS, "documents")
                    && has(r, HealthFindingKind.STALE_STATISTICS, "documents"));

    HealthFinding dead = finding(stats, HealthFindingKind.DEAD_ROWS, "documents");
    assertThat(dead.reason()).containsPattern("\\d+ dead rows, \\d+% of the table");
    HealthFinding stale = finding(stats, HealthFindingKind.STALE_STATISTICS, "documents");
    assertThat(stale.reason()).contains("rows changed since the last ANALYZE");
    assertThat(stats.indexHealth().level()).isNotEqualTo(HealthLevel.HEALTHY);
  }

  @Test
  void performanceHasSearchLatencyInProcessAndUpsertLatencyFromTheOperationLog() {
    store.createCollection(new CollectionSpec("timed", "test-model", 4, Distance.COSINE));
    store.upsert("timed", List.of(TestStores.doc("t", 5, 4, 3)));
    for (int i = 0; i < 10; i++) {
      store.search(VectorQuery.of("timed", Embedding.of(1, i, 0, 0), 3));
    }

    StatisticsReport stats =
        maintenance.statistics(null, StatisticsOptions.defaults().withWindow(Duration.ofHours(1)));

    OperationLatency search = stats.performance().operation("search").orElseThrow();
    assertThat(search.count()).isGreaterThanOrEqualTo(10);
    assertThat(search.source()).isEqualTo(OperationLatency.IN_PROCESS);
    assertThat(search.p95Millis()).isPositive();
    OperationLatency upsert = stats.performance().operation("upsert").orElseThrow();
    assertThat(upsert.source()).isEqualTo(OperationLatency.OPERATION_LOG);
    assertThat(upsert.count()).isPositive();
    assertThat(upsert.averageMillis()).isPositive();
    assertThat(stats.performance().cacheHitRatio()).isBetween(0.0, 1.0);
    assertThat(stats.toString()).contains("operation-log", "in-process", "buffer cache hit ratio");
  }

  private StatisticsReport poll(Predicate<StatisticsReport> done) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    StatisticsReport last = null;
    while (System.nanoTime() < deadline) {
      last = maintenance.statistics(null, StatisticsOptions.defaults().withThresholds(LOW));
      if (done.test(last)) {
        return last;
      }
      Thread.onSpinWait();
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError("the statistics collector never reported the findings: " + last);
  }

  private static boolean has(StatisticsReport r, HealthFindingKind kind, String subject) {
    return r.indexHealth().findings().stream()
        .anyMatch(f -> f.kind() == kind && f.subject().equals(subject));
  }

  private static HealthFinding finding(StatisticsReport r, HealthFindingKind kind, String subject) {
    return r.indexHealth().findings().stream()
        .filter(f -> f.kind() == kind && f.subject().equals(subject))
        .findFirst()
        .orElseThrow();
  }
}
