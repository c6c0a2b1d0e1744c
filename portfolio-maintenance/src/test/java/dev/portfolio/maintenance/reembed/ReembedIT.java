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
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Re-embedding on PostgreSQL: faults, crashes and resumption. */
@ExtendWith(PostgresSchemaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReembedIT {
  private HikariDataSource pool;
  private PgVectorStore store;

  @BeforeAll
  void open(TestSchema db) {
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
}
