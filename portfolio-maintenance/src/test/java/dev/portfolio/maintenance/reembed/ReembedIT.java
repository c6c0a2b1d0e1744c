package dev.portfolio.maintenance.reembed;

import static dev.portfolio.maintenance.testing.Fixture.assertEveryChunkEmbeddedBy;
import static dev.portfolio.maintenance.testing.Fixture.maintenance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.portfolio.core.hashing.HashingEmbedder;
import dev.portfolio.core.model.Chunk;
import dev.portfolio.core.model.DocumentStatus;
import dev.portfolio.core.model.EmbeddingUpdate;
import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.spi.EmbedderInfo;
import dev.portfolio.core.spi.EmbeddingBatch;
import dev.portfolio.core.spi.InputType;
import dev.portfolio.core.spi.ProgressReporter;
import dev.portfolio.index.pgvector.PgVectorStore;
import dev.portfolio.index.pgvector.TestStores;
import dev.portfolio.index.testing.PostgresSchemaExtension;
import dev.portfolio.index.testing.TestSchema;
import dev.portfolio.maintenance.Maintenance;
import dev.portfolio.maintenance.testing.Corpus;
import dev.portfolio.maintenance.testing.CountingEmbedder;
import dev.portfolio.maintenance.testing.CrashingEmbedder;
import dev.portfolio.maintenance.testing.FaultyEmbedder;
import dev.portfolio.maintenance.testing.Fixture;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Re-embedding on PostgreSQL: faults, crashes and resumption. */
@ExtendWith(PostgresSchemaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReembedIT {
  private HikariDataSource pool;
  private PgVectorStore store;
  private TestSchema db;

  @BeforeAll
  void open(TestSchema db) {
    this.db = db;
    TestStores.install(db);
    pool = TestStores.pool(db);
    store = PgVectorStore.builder(pool).schema(db.name()).build();
  }

  @AfterAll
  void close() {
    store.close();
    pool.close();
  }

  @Test
  void transientAndPermanentFaultsNeverStopTheRunAndTheRejectedChunksAreListed() {
    HashingEmbedder hashing = new HashingEmbedder(16);
    Fixture.load(store, "faults", 16, 200, 10);
    Predicate<String> rejected = FaultyEmbedder.rejectsByHash(11, 10);
    List<Chunk> all = Corpus.chunks(store, "faults", 0);
    Set<Long> expectedFailures =
        all.stream()
            .filter(c -> rejected.test(c.text()))
            .map(Chunk::id)
            .collect(Collectors.toSet());
    assertThat(expectedFailures).isNotEmpty();
    FaultyEmbedder faulty = new FaultyEmbedder(hashing, 5, 20, rejected);

    ReembedResult r =
        maintenance(store, faulty, ProgressReporter.SILENT)
            .reembed(ReembedOptions.builder("faults").batchSize(64).build());

    assertThat(faulty.transientFailures()).isPositive();
    assertThat(r.total()).isEqualTo(2000);
    assertThat(r.failed()).isEqualTo(expectedFailures.size());
    assertThat(r.processed()).isEqualTo(2000 - expectedFailures.size());
    assertThat(r.errors())
        .extracting(e -> e.chunkId())
        .containsExactlyInAnyOrderElementsOf(expectedFailures);
    for (Chunk c : Corpus.chunks(store, "faults", 0)) {
      if (expectedFailures.contains(c.id())) {
        assertThat(c.hasEmbedding()).isFalse();
        assertThat(store.findDocument("faults", c.documentKey()).orElseThrow().status())
            .isEqualTo(DocumentStatus.FAILED);
      } else {
        assertThat(c.embedding()).isEqualTo(hashing.embedQuery(c.text()));
      }
    }
  }

  @Test
  void aCrashedReembedResumesAndNoChunkIsEmbeddedTwice() {
    HashingEmbedder hashing = new HashingEmbedder(16);
    Fixture.load(store, "crash", 16, 150, 10);
    CountingEmbedder counting = new CountingEmbedder(hashing);
    Maintenance crashing =
        maintenance(store, new CrashingEmbedder(counting, 6), ProgressReporter.SILENT);

    assertThatThrownBy(
            () -> crashing.reembed(ReembedOptions.builder("crash").batchSize(100).build()))
        .hasMessageContaining("The 600 vectors written before the stop are kept.");
    assertThat(store.stats("crash").embeddedChunks()).isEqualTo(600);

    ReembedResult resumed =
        maintenance(store, counting, ProgressReporter.SILENT)
            .reembed(ReembedOptions.builder("crash").batchSize(100).build());

    assertThat(resumed.processed()).isEqualTo(900);
    assertEveryChunkEmbeddedBy(store, "crash", 0, hashing);
    assertThat(counting.perText()).hasSize(1500).allSatisfy((t, n) -> assertThat(n).isOne());
  }

  @Test
  void staleVectorsAreReplacedAndChunksDeletedMeanwhileAreCountedSkipped() {
    HashingEmbedder hashing = new HashingEmbedder(16);
    Fixture.load(store, "stale", 16, 20, 5);
    maintenance(store, hashing, ProgressReporter.SILENT)
        .reembed(ReembedOptions.builder("stale").build());
    List<Chunk> changed = store.chunks("stale", "doc-3");
    store.updateEmbeddings(
        "stale",
        changed.stream()
            .map(
                c -> new EmbeddingUpdate(c.id(), c.embedding(), c.embeddingModel(), "0".repeat(64)))
            .toList());
    store.updateEmbeddings(
        "stale",
        store.chunks("stale", "doc-4").stream()
            .map(
                c -> new EmbeddingUpdate(c.id(), c.embedding(), c.embeddingModel(), "0".repeat(64)))
            .toList());
    assertThat(store.stats("stale").staleChunks()).isEqualTo(10);
    Embedder deletingDoc4 =
        new Embedder() {
          @Override
          public EmbedderInfo info() {
            return hashing.info();
          }

          @Override
          public EmbeddingBatch embed(List<String> texts, InputType type) {
            store.deleteDocument("stale", "doc-4");
            return hashing.embed(texts, type);
          }
        };

    ReembedResult r =
        maintenance(store, deletingDoc4, ProgressReporter.SILENT)
            .reembed(ReembedOptions.builder("stale").mode(ReembedMode.STALE).build());

    assertThat(r.total()).isEqualTo(10);
    assertThat(r.processed()).isEqualTo(5);
    assertThat(r.skipped()).isEqualTo(5);
    assertThat(store.stats("stale").staleChunks()).isZero();
    assertEveryChunkEmbeddedBy(store, "stale", 0, hashing);
  }

  /**
   * A backend of the re-embed is terminated while it waits for a row lock held here, as a lost
   * connection would end it: on {@code document} the write of the batch with that document (reads
   * are not blocked; the write waits at the latest when its foreign keys are checked at COMMIT); on
   * {@code collection} the taking of the maintenance lock (its row references the collection).
   */
  @ParameterizedTest
  @ValueSource(strings = {"document", "collection"})
  void aBackendTerminatedMidRunIsRolledBackAndRetried(String locked) throws Exception {
    String collection = "dropped-" + locked;
    HashingEmbedder hashing = new HashingEmbedder(16);
    Fixture.load(store, collection, 16, 60, 10);
    CountingEmbedder counting = new CountingEmbedder(hashing);
    String schema = "\"" + db.name() + "\"";
    String lockSql =
        locked.equals("document")
            ? "SELECT d.id FROM "
                + schema
                + ".documents d JOIN "
                + schema
                + ".collections c ON c.id = d.collection_id"
                + " WHERE c.name = ? AND d.key = 'doc-25' FOR UPDATE OF d"
            : "SELECT c.id FROM " + schema + ".collections c WHERE c.name = ? FOR UPDATE";
    CompletableFuture<ReembedResult> run;
    int terminated;
    try (Connection blocker = db.dataSource().getConnection()) {
      blocker.setAutoCommit(false);
      try (PreparedStatement ps = blocker.prepareStatement(lockSql)) {
        ps.setString(1, collection);
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).isTrue();
        }
      }
      run =
          CompletableFuture.supplyAsync(
              () ->
                  maintenance(store, counting, ProgressReporter.SILENT)
                      .reembed(
                          ReembedOptions.builder(collection)
                              .batchSize(50)
                              .maxConcurrency(1)
                              .build()));
      terminated = terminateTheBackendWaitingFor(blocker, run);
      blocker.rollback();
    }
    ReembedResult r = run.get(60, TimeUnit.SECONDS);

    assertThat(terminated).isPositive();
    assertThat(r.total()).isEqualTo(600);
    assertThat(r.processed()).isEqualTo(600);
    assertThat(r.failed()).isZero();
    assertThat(store.stats(collection).missingChunks()).isZero();
    assertEveryChunkEmbeddedBy(store, collection, 0, hashing);
    // Every text was embedded once: only the statement's transaction was rolled back and retried.
    assertThat(counting.perText()).hasSize(600).allSatisfy((t, n) -> assertThat(n).isOne());
  }

  /** Waits for a backend blocked on the blocker's lock, terminates it and returns its pid. */
  private int terminateTheBackendWaitingFor(Connection blocker, CompletableFuture<?> run)
      throws SQLException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    try (PreparedStatement find =
        blocker.prepareStatement(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                + " AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()")) {
      while (System.nanoTime() < deadline) {
        assertThat(run).as("the re-embed ended before its backend could be terminated").isNotDone();
        try (ResultSet rs = find.executeQuery()) {
          if (rs.next()) {
            int pid = rs.getInt(1);
            try (PreparedStatement kill =
                blocker.prepareStatement("SELECT pg_terminate_backend(?)")) {
              kill.setInt(1, pid);
              try (ResultSet k = kill.executeQuery()) {
                k.next();
                assertThat(k.getBoolean(1)).as("terminated backend %s", pid).isTrue();
              }
            }
            return pid;
          }
        }
        Thread.onSpinWait();
      }
    }
    StringBuilder seen = new StringBuilder();
    try (PreparedStatement all =
            blocker.prepareStatement(
                "SELECT wait_event_type, left(query, 200) FROM pg_stat_activity"
                    + " WHERE datname = current_database() AND pid <> pg_backend_pid()");
        ResultSet rs = all.executeQuery()) {
      while (rs.next()) {
        seen.append('\n').append(rs.getString(1)).append(' ').append(rs.getString(2));
      }
    }
    throw new AssertionError("no backend waited on the lock; backends:" + seen);
  }
}
