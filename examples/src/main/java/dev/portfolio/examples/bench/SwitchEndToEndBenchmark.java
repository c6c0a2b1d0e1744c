package dev.portfolio.examples.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.portfolio.core.model.CollectionSpec;
import dev.portfolio.core.model.DocumentInput;
import dev.portfolio.core.model.Embedding;
import dev.portfolio.core.model.UpsertResult;
import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.spi.ProgressEvent;
import dev.portfolio.core.spi.ProgressReporter;
import dev.portfolio.examples.bench.SwitchBaselines.V1Result;
import dev.portfolio.examples.bench.SwitchCorpus.Model;
import dev.portfolio.index.pgvector.PgPoolOptions;
import dev.portfolio.index.pgvector.PgVectorStore;
import dev.portfolio.index.schema.PortfolioSchema;
import dev.portfolio.index.schema.SchemaOptions;
import dev.portfolio.maintenance.Maintenance;
import dev.portfolio.maintenance.modelswitch.SwitchOptions;
import dev.portfolio.maintenance.modelswitch.SwitchOutcome;
import dev.portfolio.maintenance.modelswitch.SwitchResult;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * A model switch end to end through {@link Maintenance#switchModel}, against the naive switch: an
 * in-place {@code UPDATE} of the live, HNSW-indexed vector column. Both with a zero-cost embedder
 * (vectors precomputed before timing), so what is measured is the database work.
 *
 * <p>Each run, in its own schema ({@value #SCHEMA}, dropped at the end):
 *
 * <ol>
 *   <li>the naive switch ({@link SwitchBaselines#v1InPlaceUpdate}): a table shaped like schema
 *       version 1's {@code chunks} holds the corpus with the first model's 384-d vectors and its
 *       HNSW index (built before timing); the timed part overwrites the indexed column with the
 *       next model's 384-d vectors, in batches of 1,000 (staging COPY, {@code UPDATE ... FROM});
 *   <li>Portfolio: the collection loaded with the first model's vectors by {@code upsert}, its HNSW
 *       index built and analysed (not timed); then, timed, {@code switchModel} to the next model
 *       with {@code dropRetired}: the building set filled by the re-embed pipeline, its HNSW index
 *       built, activation, the old set dropped.
 * </ol>
 *
 * <p>Prints each run, then medians of the times and of the per-run ratio, with the bar (>= 5x).
 * Arguments: {@code [runs] [documents of 10 chunks]} (default 3 and 10,000). System properties:
 * {@code bench.batch} (default 1000) and {@code bench.concurrency} (default 4) of the switch,
 * {@code bench.v1Rows} (rows of the naive update, default all).
 */
public final class SwitchEndToEndBenchmark {
  private static final String SCHEMA = "portfolio_switch_e2e_bench";
  private static final String COLLECTION = "bench";
  private static final Model FIRST = new Model("bench:first", 384, 101);
  private static final Model NEXT = new Model("next", 384, 202);
  private static final long CORPUS_SEED = 42;
  private static final int INDEX_MEMORY_MB = 1024;
  private static final int LOAD_BATCH_DOCUMENTS = 1000;
  private static final int V1_BATCH = 1000;
  private static final int BATCH = Integer.getInteger("bench.batch", 1000);
  private static final int CONCURRENCY = Integer.getInteger("bench.concurrency", 4);
  private static final int V1_ROWS = Integer.getInteger("bench.v1Rows", Integer.MAX_VALUE);

  private SwitchEndToEndBenchmark() {}

  /** One run's times, in seconds. */
  private record Run(
      V1Result naive, double load, double firstIndex, double embed, double activate, double total) {
    double naiveSeconds() {
      return naive.seconds();
    }
  }

  /**
   * Runs the benchmark.
   *
   * @param args optional: runs (default 3), documents of 10 chunks (default 10,000)
   * @throws Exception when the database fails
   */
  public static void main(String[] args) throws Exception {
    int runs = BenchDb.argument(args, 0, "runs", 3, 1, 20);
    int documents = BenchDb.argument(args, 1, "documents", 10_000, 10, 100_000);
    String url = BenchDb.url();
    SwitchCorpus corpus = new SwitchCorpus(documents, CORPUS_SEED);
    int v1Rows = Math.min(V1_ROWS, corpus.chunks());
    System.out.printf(
        Locale.ROOT,
        "model switch end to end: %,d chunks, %s (%d-d) -> bench:%s (%d-d), zero-cost embedder,"
            + " switchModel batch %d, concurrency %d, dropRetired; naive: in-place UPDATE of the"
            + " HNSW-indexed column, %,d rows in batches of %d; %d runs; %s%n",
        corpus.chunks(),
        FIRST.name(),
        FIRST.dimension(),
        NEXT.name(),
        NEXT.dimension(),
        BATCH,
        CONCURRENCY,
        v1Rows,
        V1_BATCH,
        runs,
        PgPoolOptions.redact(url));
    Embedding[] first = corpus.embedAll(FIRST);
    Embedding[] next = corpus.embedAll(NEXT);
    Map<String, Embedding> byText = new HashMap<>(corpus.chunks() * 2);
    for (int n = 0; n < corpus.chunks(); n++) {
      byText.put(corpus.text(n), next[n]);
    }
    Embedder embedder = BenchEmbedders.precomputed(NEXT.name(), NEXT.dimension(), byText);
    double[] naive = new double[runs];
    double[] ours = new double[runs];
    double[] ratios = new double[runs];
    double[] embeds = new double[runs];
    double[] activations = new double[runs];
    try (HikariDataSource pool = BenchDb.pool(url, CONCURRENCY + 2)) {
      for (int run = 1; run <= runs; run++) {
        Run r = run(pool, corpus, first, next, embedder, v1Rows);
        System.out.printf(
            Locale.ROOT,
            "run %d: naive in-place UPDATE %,d rows %.1f s (%,.0f rows/s; its HNSW build %.1f s"
                + " before timing) | switchModel %.1f s = re-embed into the building set %.1f s +"
                + " index build and activation %.1f s + drop and checks %.1f s (load %.1f s and"
                + " first index %.1f s before timing) | %.1fx faster than the naive UPDATE (of every row)%n",
            run,
            r.naive().rows(),
            r.naiveSeconds(),
            r.naive().rowsPerSecond(),
            r.naive().hnswSeconds(),
            r.total(),
            r.embed(),
            r.activate(),
            r.total() - r.embed() - r.activate(),
            r.load(),
            r.firstIndex(),
            r.naiveSeconds() * corpus.chunks() / r.naive().rows() / r.total());
        naive[run - 1] = r.naiveSeconds() * corpus.chunks() / r.naive().rows();
        ours[run - 1] = r.total();
        ratios[run - 1] = naive[run - 1] / r.total();
        embeds[run - 1] = r.embed();
        activations[run - 1] = r.activate();
      }
      BenchDb.execute(pool, "DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
    }
    double ratio = BenchDb.median(ratios);
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "| medians of %d runs, %,d chunks of %d-d | value |%n|---|---|%n",
        runs,
        corpus.chunks(),
        384);
    System.out.printf(
        Locale.ROOT,
        "| naive in-place UPDATE of the indexed column%s | %.1f s |%n",
        v1Rows < corpus.chunks() ? " (scaled from " + v1Rows + " rows)" : "",
        BenchDb.median(naive));
    System.out.printf(Locale.ROOT, "| switchModel end to end | %.1f s |%n", BenchDb.median(ours));
    System.out.printf(
        Locale.ROOT,
        "| of which re-embed into the building set | %.1f s |%n",
        BenchDb.median(embeds));
    System.out.printf(
        Locale.ROOT,
        "| of which index build and activation | %.1f s |%n",
        BenchDb.median(activations));
    System.out.printf(
        Locale.ROOT,
        "| **switchModel vs naive UPDATE (bar >= 5x)** | **%.1fx %s** |%n",
        ratio,
        ratio >= 5 ? "PASS" : "FAIL");
    System.out.println();
    System.out.println(
        "Reproduce: "
            + (BATCH == 1000 && CONCURRENCY == 4 && V1_ROWS == Integer.MAX_VALUE
                ? ""
                : "BENCH_JAVA_OPTS=\"-Dbench.batch="
                    + BATCH
                    + " -Dbench.concurrency="
                    + CONCURRENCY
                    + (V1_ROWS == Integer.MAX_VALUE ? "" : " -Dbench.v1Rows=" + V1_ROWS)
                    + "\" ")
            + "scripts/bench-switch-e2e.sh "
            + runs
            + " "
            + documents);
  }

  private static Run run(
      DataSource pool,
      SwitchCorpus corpus,
      Embedding[] first,
      Embedding[] next,
      Embedder embedder,
      int v1Rows)
      throws SQLException {
    BenchDb.execute(pool, "DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
    PortfolioSchema.install(pool, SchemaOptions.forSchema(SCHEMA));
    SwitchBaselines baselines = new SwitchBaselines(pool, SCHEMA, INDEX_MEMORY_MB);
    settle(pool);
    V1Result naive =
        baselines.v1InPlaceUpdate(
            corpus, first, FIRST.name(), next, "bench:" + NEXT.name(), v1Rows, V1_BATCH);
    settle(pool);
    try (PgVectorStore store =
        PgVectorStore.builder(pool)
            .schema(SCHEMA)
            .annIndexOnCreate(false)
            .indexBuildMemoryMb(INDEX_MEMORY_MB)
            .build()) {
      store.createCollection(CollectionSpec.of(COLLECTION, FIRST.name(), FIRST.dimension()));
      long start = System.nanoTime();
      for (int from = 0; from < corpus.documents(); from += LOAD_BATCH_DOCUMENTS) {
        List<DocumentInput> docs =
            corpus.documents(
                from, Math.min(corpus.documents(), from + LOAD_BATCH_DOCUMENTS), FIRST);
        UpsertResult r = store.upsert(COLLECTION, docs);
        if (r.failed() > 0 || r.written() != docs.size()) {
          throw new IllegalStateException("Benchmark documents were not all written: " + r);
        }
      }
      double load = BenchDb.since(start);
      start = System.nanoTime();
      store.createAnnIndex(COLLECTION);
      double firstIndex = BenchDb.since(start);
      BenchDb.execute(
          pool,
          "ANALYZE " + SCHEMA + ".documents, " + SCHEMA + ".chunks, " + SCHEMA + ".embeddings");
      settle(pool);

      Map<String, Duration> phases = new ConcurrentHashMap<>();
      ProgressReporter timing =
          new ProgressReporter() {
            @Override
            public void finished(ProgressEvent event) {
              phases.put(event.operation(), event.elapsed());
            }
          };
      Maintenance m = Maintenance.builder().store(store).progress(timing).build();
      start = System.nanoTime();
      SwitchResult s =
          m.switchModel(
              COLLECTION,
              embedder,
              SwitchOptions.builder()
                  .batchSize(BATCH)
                  .maxConcurrency(CONCURRENCY)
                  .dropRetired(true)
                  .build());
      double total = BenchDb.since(start);
      if (s.outcome() != SwitchOutcome.ACTIVATED
          || s.processed() != corpus.chunks()
          || s.dropped().size() != 1) {
        throw new IllegalStateException("The switch did not complete: " + s);
      }
      double embed = seconds(phases, ": embed");
      double activate = seconds(phases, "(builds its ANN index)");
      return new Run(naive, load, firstIndex, embed, activate, total);
    }
  }

  private static double seconds(Map<String, Duration> phases, String suffix) {
    return phases.entrySet().stream()
            .filter(e -> e.getKey().endsWith(suffix))
            .mapToLong(e -> e.getValue().toNanos())
            .sum()
        / 1e9;
  }

  private static void settle(DataSource pool) throws SQLException {
    // Let the previous step's dirty pages settle before timing the next one.
    BenchDb.execute(pool, "SELECT pg_sleep(0.5)");
  }
}
