package dev.portfolio.examples.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.portfolio.core.model.EmbeddingSet;
import dev.portfolio.core.spi.ProgressReporter;
import dev.portfolio.index.pgvector.PgPoolOptions;
import dev.portfolio.index.pgvector.PgVectorStore;
import dev.portfolio.index.schema.PortfolioSchema;
import dev.portfolio.index.schema.SchemaOptions;
import dev.portfolio.maintenance.Maintenance;
import dev.portfolio.maintenance.reembed.ReembedOptions;
import dev.portfolio.maintenance.reembed.ReembedResult;
import java.time.Duration;
import java.util.Locale;

/**
 * The re-embed pipeline against a latency-bound embedder: each call of up to {@code bench.batch}
 * texts (default 64) takes {@code bench.latencyMs} (default 50 ms), and {@code bench.concurrency}
 * (default 8) calls may be in flight. The embedder's ceiling is {@code concurrency x batch /
 * latency} chunks per second (10,240 with the defaults); the bar is a throughput of at least 0.8x
 * that ceiling, which the pipeline reaches only if reading pages and writing vectors keep out of
 * the embedder's way.
 *
 * <p>The collection ({@code bench.dimension}-d, default 384) is loaded once without vectors; each
 * run re-embeds every chunk into a fresh building set with {@code reembed(targetSet)}, timed, then
 * drops the set: first with a zero-latency embedder and the same options (what reading and writing
 * alone allow on this machine: the pipeline's capacity), then with the latency-bound one. {@code
 * bench.warmUps} (default 2) untimed runs first warm the JVM and the server up. Prints each run,
 * then medians. Arguments: {@code [runs] [chunks]} (default 3 and 64,000).
 */
public final class ReembedLatencyBenchmark {
  private static final String SCHEMA = "portfolio_reembed_latency_bench";
  private static final String COLLECTION = "bench";
  private static final int LATENCY_MS = Integer.getInteger("bench.latencyMs", 50);
  private static final int BATCH = Integer.getInteger("bench.batch", 64);
  private static final int CONCURRENCY = Integer.getInteger("bench.concurrency", 8);
  private static final int DIMENSION = Integer.getInteger("bench.dimension", 384);
  private static final int WARM_UPS = Integer.getInteger("bench.warmUps", 2);

  private ReembedLatencyBenchmark() {}

  /** Re-embeds every chunk into a fresh building set, then drops it; returns seconds. */
  private static double reembed(PgVectorStore store, BenchEmbedders.Latency embedder, int chunks) {
    Maintenance m =
        Maintenance.builder()
            .store(store)
            .embedder(embedder)
            .progress(ProgressReporter.SILENT)
            .build();
    EmbeddingSet set = store.createBuildingSet(COLLECTION, embedder.info().modelRef(), DIMENSION);
    embedder.reset();
    long start = System.nanoTime();
    ReembedResult r =
        m.reembed(
            ReembedOptions.builder(COLLECTION)
                .targetSet(set.id())
                .batchSize(BATCH)
                .maxConcurrency(CONCURRENCY)
                .build());
    double seconds = BenchDb.since(start);
    store.dropSet(COLLECTION, set.id());
    if (r.processed() != chunks) {
      throw new IllegalStateException("The re-embed did not embed every chunk: " + r);
    }
    return seconds;
  }

  /**
   * Runs the benchmark.
   *
   * @param args optional: runs (default 3), chunks (default 64,000)
   * @throws Exception when the database fails
   */
  public static void main(String[] args) throws Exception {
    int runs = BenchDb.argument(args, 0, "runs", 3, 1, 20);
    int chunks = BenchDb.argument(args, 1, "chunks", 64_000, 1000, 10_000_000);
    String url = BenchDb.url();
    double ceiling = (double) CONCURRENCY * BATCH / (LATENCY_MS / 1000.0);
    System.out.printf(
        Locale.ROOT,
        "re-embed with a latency-bound embedder: %,d chunks of %d-d, %d ms per call of up to %d"
            + " texts, concurrency %d: ceiling %,.0f chunks/s; %d runs; %s%n",
        chunks,
        DIMENSION,
        LATENCY_MS,
        BATCH,
        CONCURRENCY,
        ceiling,
        runs,
        PgPoolOptions.redact(url));
    BenchEmbedders.Latency embedder =
        new BenchEmbedders.Latency("latency", DIMENSION, BATCH, Duration.ofMillis(LATENCY_MS));
    double[] rates = new double[runs];
    double[] ratios = new double[runs];
    double[] utilisation = new double[runs];
    double[] capacities = new double[runs];
    double[] ofCapacity = new double[runs];
    try (HikariDataSource pool = BenchDb.pool(url, CONCURRENCY + 2)) {
      BenchDb.execute(pool, "DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
      PortfolioSchema.install(pool, SchemaOptions.forSchema(SCHEMA));
      try (PgVectorStore store = PgVectorStore.builder(pool).schema(SCHEMA).build()) {
        double load = ReembedBenchCorpus.load(store, COLLECTION, "bench:old", DIMENSION, chunks);
        BenchDb.execute(
            pool,
            "ANALYZE " + SCHEMA + ".documents, " + SCHEMA + ".chunks, " + SCHEMA + ".embeddings");
        System.out.printf(
            Locale.ROOT, "loaded %,d chunks without vectors in %.1f s%n", chunks, load);
        BenchEmbedders.Latency free =
            new BenchEmbedders.Latency("latency", DIMENSION, BATCH, Duration.ZERO);
        for (int run = 1 - WARM_UPS; run <= runs; run++) {
          double capacity = chunks / reembed(store, free, chunks);
          double seconds = reembed(store, embedder, chunks);
          double rate = chunks / seconds;
          double busy = embedder.busySeconds() / (seconds * CONCURRENCY);
          System.out.printf(
              Locale.ROOT,
              "%s: %.2f s, %,.0f chunks/s = %.2fx the ceiling, %.2fx the pipeline's capacity"
                  + " (%,.0f chunks/s with a zero-latency embedder, same options); %d calls, at"
                  + " most %d in flight, embedder slots busy %.0f%% of the time%n",
              run <= 0 ? "warm-up " + (run + WARM_UPS) : "run " + run,
              seconds,
              rate,
              rate / ceiling,
              rate / capacity,
              capacity,
              embedder.calls(),
              embedder.maxInFlight(),
              busy * 100);
          if (run > 0) {
            rates[run - 1] = rate;
            ratios[run - 1] = rate / ceiling;
            utilisation[run - 1] = busy;
            capacities[run - 1] = capacity;
            ofCapacity[run - 1] = rate / capacity;
          }
        }
      }
      BenchDb.execute(pool, "DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
    }
    double ratio = BenchDb.median(ratios);
    System.out.println();
    System.out.printf(Locale.ROOT, "| medians of %d runs | value |%n|---|---|%n", runs);
    System.out.printf(
        Locale.ROOT,
        "| embedder ceiling (%d x %d / %d ms) | %,.0f chunks/s |%n",
        CONCURRENCY,
        BATCH,
        LATENCY_MS,
        ceiling);
    System.out.printf(
        Locale.ROOT, "| re-embed throughput | %,.0f chunks/s |%n", BenchDb.median(rates));
    System.out.printf(
        Locale.ROOT, "| embedder slots busy | %.0f%% |%n", BenchDb.median(utilisation) * 100);
    System.out.printf(
        Locale.ROOT,
        "| pipeline capacity (zero-latency embedder, same options) | %,.0f chunks/s |%n",
        BenchDb.median(capacities));
    System.out.printf(
        Locale.ROOT, "| throughput vs pipeline capacity | %.2fx |%n", BenchDb.median(ofCapacity));
    System.out.printf(
        Locale.ROOT,
        "| **throughput vs ceiling (bar >= 0.8x)** | **%.2fx %s** |%n",
        ratio,
        ratio >= 0.8 ? "PASS" : "FAIL");
    System.out.println();
    System.out.println(
        "Reproduce: "
            + (LATENCY_MS == 50 && BATCH == 64 && CONCURRENCY == 8 && DIMENSION == 384
                ? ""
                : String.format(
                    Locale.ROOT,
                    "BENCH_JAVA_OPTS=\"-Dbench.latencyMs=%d -Dbench.batch=%d"
                        + " -Dbench.concurrency=%d -Dbench.dimension=%d\" ",
                    LATENCY_MS,
                    BATCH,
                    CONCURRENCY,
                    DIMENSION))
            + "scripts/bench-reembed-latency.sh "
            + runs
            + " "
            + chunks);
  }
}
