package dev.portfolio.maintenance.modelswitch;

import static dev.portfolio.maintenance.testing.Fixture.assertEveryChunkEmbeddedBy;
import static dev.portfolio.maintenance.testing.Fixture.maintenance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.PortfolioException;
import dev.portfolio.core.hashing.HashingEmbedder;
import dev.portfolio.core.model.Chunk;
import dev.portfolio.core.model.Embedding;
import dev.portfolio.core.model.EmbeddingSet;
import dev.portfolio.core.model.SearchHit;
import dev.portfolio.core.model.VectorQuery;
import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.spi.ProgressReporter;
import dev.portfolio.index.pgvector.PgVectorStore;
import dev.portfolio.index.pgvector.TestStores;
import dev.portfolio.index.testing.PostgresSchemaExtension;
import dev.portfolio.index.testing.TestSchema;
import dev.portfolio.maintenance.Maintenance;
import dev.portfolio.maintenance.reembed.ReembedOptions;
import dev.portfolio.maintenance.reembed.ReembedResult;
import dev.portfolio.maintenance.testing.Corpus;
import dev.portfolio.maintenance.testing.Fixture;
import dev.portfolio.maintenance.testing.RecordingReporter;
import dev.portfolio.maintenance.testing.RenamedEmbedder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Model switches on PostgreSQL: searches stay on one model throughout, every step resumes. */
@ExtendWith(PostgresSchemaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModelSwitchIT {
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
  void switchesAcrossDimensionChangesWhileSearchesKeepAnsweringFromExactlyOneModel()
      throws InterruptedException {
    HashingEmbedder h16 = new HashingEmbedder(16);
    HashingEmbedder h24 = new HashingEmbedder(24);
    Embedder h40 = new RenamedEmbedder(new HashingEmbedder(40), "hashing-v1-40d");
    Map<Integer, Embedder> byDimension = Map.of(16, h16, 24, h24, 40, h40);
    Fixture.load(store, "live", 16, 300, 10);
    Maintenance m = maintenance(store, h16, ProgressReporter.SILENT);
    assertThat(m.reembed(ReembedOptions.builder("live").batchSize(500).build()).processed())
        .isEqualTo(3000);

    Searcher searcher = new Searcher("live", byDimension);
    Thread thread = new Thread(searcher, "searcher");
    thread.start();
    try {
      searcher.awaitSearches(16, 20);

      SwitchResult to24 =
          m.switchModel("live", h24, SwitchOptions.builder().batchSize(250).build());
      assertThat(to24.outcome()).isEqualTo(SwitchOutcome.ACTIVATED);
      assertThat(to24.processed()).isEqualTo(3000);
      searcher.awaitSearches(24, 20);

      SwitchResult to40 =
          m.switchModel(
              "live", h40, SwitchOptions.builder().batchSize(250).dropRetired(true).build());
      assertThat(to40.outcome()).isEqualTo(SwitchOutcome.ACTIVATED);
      assertThat(to40.dropped()).extracting(EmbeddingSet::id).containsExactly(to24.to().id());
      searcher.awaitSearches(40, 20);
    } finally {
      searcher.stop.set(true);
      thread.join();
    }

    assertThat(searcher.problems).isEmpty();
    assertThat(store.hasAnnIndex("live")).isTrue();
    assertEveryChunkEmbeddedBy(store, "live", 0, h40);
    assertThat(store.activeSet("live").model()).isEqualTo("hashing:hashing-v1-40d");
  }

  @Test
  void switchesFrom384To1024To3072Dimensions() {
    HashingEmbedder h384 = new HashingEmbedder(384);
    Embedder h1024 = new RenamedEmbedder(new HashingEmbedder(1024), "hashing-v1-1024d");
    Embedder h3072 = new RenamedEmbedder(new HashingEmbedder(3072), "hashing-v1-3072d");
    Fixture.load(store, "wide", 384, 40, 5);
    Maintenance m = maintenance(store, h384, ProgressReporter.SILENT);
    assertThat(m.reembed(ReembedOptions.builder("wide").build()).processed()).isEqualTo(200);

    SwitchResult to1024 = m.switchModel("wide", h1024, SwitchOptions.defaults());
    assertThat(to1024.outcome()).isEqualTo(SwitchOutcome.ACTIVATED);
    assertThat(store.activeSet("wide").dimension()).isEqualTo(1024);
    assertEveryChunkEmbeddedBy(store, "wide", 0, h1024);

    SwitchResult to3072 =
        m.switchModel("wide", h3072, SwitchOptions.builder().dropRetired(true).build());
    assertThat(to3072.outcome()).isEqualTo(SwitchOutcome.ACTIVATED);
    assertThat(to3072.processed()).isEqualTo(200);
    EmbeddingSet active = store.activeSet("wide");
    assertThat(active.dimension()).isEqualTo(3072);
    assertThat(active.model()).isEqualTo("hashing:hashing-v1-3072d");
    // Above 2,000 dimensions the set's HNSW index is built on halfvec; it exists and is used.
    assertThat(store.hasAnnIndex("wide")).isTrue();
    assertThat(to3072.dropped()).extracting(EmbeddingSet::id).containsExactly(to1024.to().id());
    assertEveryChunkEmbeddedBy(store, "wide", 0, h3072);
    Chunk probe = Corpus.chunks(store, "wide", 0).get(17);
    List<SearchHit> hits =
        store.search(
            VectorQuery.of("wide", h3072.embed(List.of(probe.text())).embeddings().get(0), 3));
    assertThat(hits).first().extracting(SearchHit::chunkId).isEqualTo(probe.id());
  }

  @Test
  void chunksUpsertedBeforeActivationAreEmbeddedByACatchUpRound() {
    HashingEmbedder h16 = new HashingEmbedder(16);
    HashingEmbedder h24 = new HashingEmbedder(24);
    Fixture.load(store, "late", 16, 40, 5);
    maintenance(store, h16, ProgressReporter.SILENT)
        .reembed(ReembedOptions.builder("late").build());
    AtomicBoolean upserted = new AtomicBoolean();
    RecordingReporter upsertAfterTheMainRun =
        new RecordingReporter(
            c -> {
              if (c.method().equals("finished")
                  && c.event().operation().endsWith(": embed")
                  && !upserted.getAndSet(true)) {
                store.upsert("late", Corpus.documents("straggler-", 4, 3));
              }
            });

    SwitchResult r =
        maintenance(store, h16, upsertAfterTheMainRun)
            .switchModel("late", h24, SwitchOptions.defaults());

    assertThat(r.outcome()).isEqualTo(SwitchOutcome.ACTIVATED);
    assertThat(r.catchUpRounds()).isEqualTo(1);
    assertThat(r.runs()).extracting(ReembedResult::processed).containsExactly(200L, 12L);
    assertThat(store.stats("late").missingChunks()).isZero();
    assertEveryChunkEmbeddedBy(store, "late", 0, h24);
  }

  @Test
  void activateRefusesAnIncompleteSetThenRollbackAndDropRetiredWork() {
    HashingEmbedder h16 = new HashingEmbedder(16);
    HashingEmbedder h24 = new HashingEmbedder(24);
    Fixture.load(store, "steps", 16, 30, 4);
    Maintenance m = maintenance(store, h16, ProgressReporter.SILENT);
    m.reembed(ReembedOptions.builder("steps").build());
    EmbeddingSet first = store.activeSet("steps");

    SwitchResult cancelled =
        m.switchModel(
            "steps",
            h24,
            SwitchOptions.builder()
                .batchSize(10)
                .maxConcurrency(1)
                .cancellation(cancelAfter(3))
                .build());
    assertThat(cancelled.outcome()).isEqualTo(SwitchOutcome.CANCELLED);
    SwitchStatus midway = m.switchStatus("steps");
    long missing = midway.building().orElseThrow().missing();
    assertThat(missing).isBetween(1L, 119L);

    assertThatThrownBy(() -> m.activate("steps", false))
        .hasMessageContaining("misses " + missing + " of 120 chunks")
        .extracting(e -> ((PortfolioException) e).code())
        .isEqualTo(ErrorCode.CONFLICT);
    assertThat(store.activeSet("steps").id()).isEqualTo(first.id());

    SwitchResult resumed =
        m.switchModel("steps", h24, SwitchOptions.builder().activate(false).build());
    assertThat(resumed.outcome()).isEqualTo(SwitchOutcome.BUILT);
    assertThat(resumed.processed()).isEqualTo(missing);
    Activation a = m.activate("steps", false);
    assertThat(a.active().dimension()).isEqualTo(24);
    assertThat(store.hasAnnIndex("steps")).isTrue();
    assertEveryChunkEmbeddedBy(store, "steps", 0, h24);

    assertThat(m.rollback("steps").id()).isEqualTo(first.id());
    assertEveryChunkEmbeddedBy(store, "steps", 0, h16);
    assertThat(m.dropRetired("steps"))
        .extracting(EmbeddingSet::id)
        .containsExactly(a.active().id());
    assertThat(store.embeddingSets("steps"))
        .extracting(EmbeddingSet::id)
        .containsExactly(first.id());
  }

  private static java.util.function.BooleanSupplier cancelAfter(int checks) {
    AtomicInteger n = new AtomicInteger();
    return () -> n.incrementAndGet() > checks;
  }

  /** Searches continuously and checks every hit against the model of the dimension it used. */
  private final class Searcher implements Runnable {
    final AtomicBoolean stop = new AtomicBoolean();
    final List<String> problems = new CopyOnWriteArrayList<>();
    final Map<Integer, AtomicInteger> searches = new ConcurrentHashMap<>();
    private final String collection;
    private final Map<Integer, Embedder> byDimension;

    Searcher(String collection, Map<Integer, Embedder> byDimension) {
      this.collection = collection;
      this.byDimension = byDimension;
    }

    @Override
    public void run() {
      Random random = new Random(7);
      while (!stop.get()) {
        int dimension = store.findCollection(collection).orElseThrow().spec().dimension();
        Embedder model = byDimension.get(dimension);
        String text = Corpus.text("doc-" + random.nextInt(300), random.nextInt(10));
        Embedding query = model.embedQuery(text);
        List<SearchHit> hits;
        try {
          hits = store.search(VectorQuery.of(collection, query, 5));
        } catch (PortfolioException e) {
          if (e.code() != ErrorCode.DIMENSION_MISMATCH) {
            problems.add("search failed: " + e);
          }
          continue; // the switch happened between reading the dimension and searching
        } catch (RuntimeException e) {
          problems.add("search failed: " + e);
          continue;
        }
        if (hits.isEmpty()) {
          problems.add("no hits for '" + text + "' at " + dimension + " dimensions");
        }
        for (SearchHit hit : hits) {
          double expected = cosine(query, model.embedQuery(hit.text()));
          if (Math.abs(expected - hit.score()) > 1e-4) {
            problems.add(
                "hit "
                    + hit.chunkId()
                    + " scored "
                    + hit.score()
                    + " but "
                    + expected
                    + " under the "
                    + dimension
                    + "-dimension model");
          }
        }
        searches.computeIfAbsent(dimension, d -> new AtomicInteger()).incrementAndGet();
      }
    }

    void awaitSearches(int dimension, int count) {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      AtomicInteger n = searches.computeIfAbsent(dimension, d -> new AtomicInteger());
      int start = n.get();
      while (n.get() < start + count) {
        assertThat(System.nanoTime())
            .as("searches at %d dimensions", dimension)
            .isLessThan(deadline);
        assertThat(problems).isEmpty();
        LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
      }
    }
  }

  private static double cosine(Embedding a, Embedding b) {
    float[] x = a.toArray();
    float[] y = b.toArray();
    double dot = 0;
    double nx = 0;
    double ny = 0;
    for (int i = 0; i < x.length; i++) {
      dot += x[i] * y[i];
      nx += x[i] * x[i];
      ny += y[i] * y[i];
    }
    return dot / Math.sqrt(nx * ny);
  }
}
