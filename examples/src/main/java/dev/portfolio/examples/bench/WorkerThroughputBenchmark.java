package dev.portfolio.examples.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.portfolio.core.hashing.HashingEmbedder;
import dev.portfolio.core.model.ChunkInput;
import dev.portfolio.core.model.CollectionSpec;
import dev.portfolio.core.model.DocumentInput;
import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.spi.EmbedderInfo;
import dev.portfolio.core.spi.EmbeddingBatch;
import dev.portfolio.core.spi.InputType;
import dev.portfolio.core.spi.ProgressReporter;
import dev.portfolio.index.pgvector.PgDataSources;
import dev.portfolio.index.pgvector.PgPoolOptions;
import dev.portfolio.index.pgvector.PgVectorStore;
import dev.portfolio.index.schema.PortfolioSchema;
import dev.portfolio.index.schema.SchemaOptions;
import dev.portfolio.maintenance.Maintenance;
import dev.portfolio.maintenance.jobs.Job;
import dev.portfolio.maintenance.jobs.JobStatus;
import dev.portfolio.maintenance.jobs.JobWorker;
import dev.portfolio.maintenance.jobs.PgJobQueue;
import dev.portfolio.maintenance.jobs.ReembedJobHandler;
import dev.portfolio.maintenance.reembed.ReembedOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Measures how re-embedding throughput grows with the number of worker JVMs that share one job
 * through the PostgreSQL job queue, on an embedder whose cost is latency (a remote model server):
 * each call sleeps {@code latency} ms, then hashes.
 *
 * <p>For each worker count (default 1, 2 and 3) the coordinator loads a collection of {@code
 * chunks} chunks without vectors, starts that many worker JVMs (each a {@link JobWorker} with
 * {@code bench.slots} slots and a {@link ReembedJobHandler} whose re-embed keeps {@code
 * bench.embedConcurrency} embedder calls of {@code bench.batch} chunks in flight), waits until
 * every worker is ready, submits the re-embed job (units of {@code bench.unitSize} chunks) and
 * times it until it completes. JVM start-up is outside the timing. Prints chunks/s per worker count
 * and the ratio against one worker, with the ideal (linear) ratio beside it, as a markdown table.
 *
 * <p>JDBC URL: {@code PORTFOLIO_BENCH_JDBC_URL}, else {@code PORTFOLIO_TEST_JDBC_URL}, else the
 * local test database. Schema: {@code portfolio_workers_bench}, dropped and created again.
 * Arguments: {@code [chunks] [latency ms]} (default 30000 and 50). System properties: {@code
 * bench.workers} (default {@code 1,2,3}), {@code bench.slots} (1), {@code bench.embedConcurrency}
 * (4), {@code bench.batch} (20), {@code bench.unitSize} (1000).
 */
public final class WorkerThroughputBenchmark {
  private static final String SCHEMA = "portfolio_workers_bench";
  private static final String DEFAULT_URL =
      "jdbc:postgresql://127.0.0.1:5432/portfolio_test?user=portfolio&password=portfolio";
  private static final int DIMENSION = 64;

  private WorkerThroughputBenchmark() {}

  /**
   * Runs the benchmark, or (with first argument {@code worker}) one worker JVM.
   *
   * @param args {@code [chunks] [latency ms]}, or {@code worker <url> <schema> <latency ms>
   *     <slots>}
   * @throws Exception when the benchmark fails
   */
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("worker")) {
      worker(args[1], args[2], Long.parseLong(args[3]), Integer.parseInt(args[4]));
      return;
    }
    int chunks = args.length > 0 ? Integer.parseInt(args[0]) : 30_000;
    long latency = args.length > 1 ? Long.parseLong(args[1]) : 50;
    int[] counts =
        Arrays.stream(System.getProperty("bench.workers", "1,2,3").split(","))
            .mapToInt(s -> Integer.parseInt(s.strip()))
            .toArray();
    int slots = Integer.getInteger("bench.slots", 1);
    int embedConcurrency = Integer.getInteger("bench.embedConcurrency", 4);
    int batch = Integer.getInteger("bench.batch", 20);
    int unitSize = Integer.getInteger("bench.unitSize", 1000);
    String url = url();

    try (HikariDataSource pool =
        PgDataSources.pooled(PgPoolOptions.builder(url).poolSize(4).build())) {
      try (Connection c = pool.getConnection();
          Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
      }
      PortfolioSchema.install(pool, SchemaOptions.forSchema(SCHEMA));
      // No ANN index on the collections: writing vectors next to a live HNSW index is what a model
      // switch avoids (see ModelSwitchBenchmark); here it would make the database the bottleneck.
      try (PgVectorStore store =
          PgVectorStore.builder(pool).schema(SCHEMA).annIndexOnCreate(false).build()) {
        PgJobQueue queue = PgJobQueue.on(store);
        System.out.printf(
            Locale.ROOT,
            "Re-embedding %d chunks per run; embedder: %d ms per call of %d chunks, %d calls in"
                + " flight per unit, %d unit(s) at once per worker JVM, units of %d chunks%n",
            chunks,
            latency,
            batch,
            embedConcurrency,
            slots,
            unitSize);
        // Baseline: the same re-embed called inline, in this JVM, without the queue.
        load(store, "inline", chunks);
        Maintenance inline =
            Maintenance.builder()
                .store(store)
                .embedder(new SlowEmbedder(new HashingEmbedder(DIMENSION), latency))
                .progress(ProgressReporter.SILENT)
                .build();
        long inlineStart = System.nanoTime();
        long inlineEmbedded =
            inline
                .reembed(
                    ReembedOptions.builder("inline")
                        .batchSize(batch)
                        .maxConcurrency(embedConcurrency)
                        .build())
                .processed();
        double inlineSeconds = (System.nanoTime() - inlineStart) / 1e9;
        System.out.printf(
            Locale.ROOT,
            "inline Maintenance.reembed (no queue): %d chunks embedded in %.2f s (%.0f chunks/s)%n",
            inlineEmbedded,
            inlineSeconds,
            inlineEmbedded / inlineSeconds);
        List<double[]> rows = new ArrayList<>();
        for (int n : counts) {
          String collection = "w" + n;
          load(store, collection, chunks);
          List<Process> workers = new ArrayList<>();
          try {
            for (int i = 0; i < n; i++) {
              workers.add(startWorker(url, latency, slots));
            }
            for (Process p : workers) {
              awaitReady(p);
            }
            long start = System.nanoTime();
            Job job =
                queue.submit(
                    ReembedJobHandler.request(
                            ReembedOptions.builder(collection)
                                .batchSize(batch)
                                .maxConcurrency(embedConcurrency)
                                .build(),
                            unitSize)
                        .build());
            Job done = job;
            while (!done.status().finished()) {
              Thread.sleep(20);
              done = queue.require(job.id());
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (done.status() != JobStatus.COMPLETED) {
              throw new IllegalStateException("The job did not complete: " + done.summary());
            }
            long embedded = store.stats(collection, 0).embeddedChunks();
            System.out.printf(
                Locale.ROOT,
                "%d worker JVM(s): %d chunks embedded in %.2f s (%.0f chunks/s)%n",
                n,
                embedded,
                seconds,
                embedded / seconds);
            rows.add(new double[] {n, embedded, seconds, embedded / seconds});
          } finally {
            for (Process p : workers) {
              p.getOutputStream().close();
            }
            for (Process p : workers) {
              if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
              }
            }
          }
        }
        double base = rows.get(0)[3] / rows.get(0)[0];
        double perJvm = 1000.0 / latency * batch * embedConcurrency * slots;
        System.out.println();
        System.out.printf(
            Locale.ROOT,
            "Ideal per worker JVM: %.0f chunks/s (calls in flight x batch / latency)%n",
            perJvm);
        System.out.println(
            "| worker JVMs | chunks | seconds | chunks/s | x 1 JVM | ideal | share of ideal |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|");
        System.out.printf(
            Locale.ROOT,
            "| inline, no queue | %d | %.2f | %.0f | %.2fx | | %.0f%% |%n",
            inlineEmbedded,
            inlineSeconds,
            inlineEmbedded / inlineSeconds,
            inlineEmbedded / inlineSeconds / base,
            100 * inlineEmbedded / inlineSeconds / perJvm);
        for (double[] r : rows) {
          System.out.printf(
              Locale.ROOT,
              "| %d | %d | %.2f | %.0f | %.2fx | %.0fx | %.0f%% |%n",
              (int) r[0],
              (long) r[1],
              r[2],
              r[3],
              r[3] / base,
              r[0],
              100 * r[3] / (perJvm * r[0]));
        }
      } finally {
        try (Connection c = pool.getConnection();
            Statement s = c.createStatement()) {
          s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        } catch (SQLException e) {
          System.err.println("Could not drop schema " + SCHEMA + ": " + e.getMessage());
        }
      }
    }
  }

  private static void load(PgVectorStore store, String collection, int chunks) {
    store.createCollection(
        CollectionSpec.of(collection, new HashingEmbedder(DIMENSION).info().modelRef(), DIMENSION));
    List<DocumentInput> docs = new ArrayList<>();
    for (int d = 0; d * 10 < chunks; d++) {
      DocumentInput.Builder b = DocumentInput.builder("doc-" + d);
      for (int c = 0; c < 10 && d * 10 + c < chunks; c++) {
        b.chunk(
            ChunkInput.of(
                c, "chunk " + c + " of document " + d + " about " + SyntheticWords.of(d * 10 + c)));
      }
      docs.add(b.build());
      if (docs.size() == 1000) {
        store.upsert(collection, docs);
        docs.clear();
      }
    }
    if (!docs.isEmpty()) {
      store.upsert(collection, docs);
    }
  }

  private static Process startWorker(String url, long latency, int slots) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java,
            "-Xmx256m",
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
            "-Dorg.jooq.no-logo=true",
            "-Dorg.jooq.no-tips=true",
            "-Dorg.slf4j.simpleLogger.log.org.jooq.impl.DefaultExecuteContext.logVersionSupport=error",
            "-cp",
            System.getProperty("java.class.path"),
            WorkerThroughputBenchmark.class.getName(),
            "worker",
            url,
            SCHEMA,
            Long.toString(latency),
            Integer.toString(slots))
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
  }

  /** Waits for the worker's READY line; the worker writes nothing else to its standard output. */
  private static void awaitReady(Process p) throws IOException {
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("READY")) {
          return;
        }
      }
    }
    throw new IllegalStateException("A worker JVM exited before it was ready");
  }

  /** One worker JVM: works until its standard input closes. */
  private static void worker(String url, String schema, long latency, int slots) throws Exception {
    try (HikariDataSource pool =
            PgDataSources.pooled(PgPoolOptions.builder(url).poolSize(slots * 8 + 2).build());
        PgVectorStore store = PgVectorStore.builder(pool).schema(schema).build()) {
      Maintenance maintenance =
          Maintenance.builder()
              .store(store)
              .embedder(new SlowEmbedder(new HashingEmbedder(DIMENSION), latency))
              .progress(ProgressReporter.SILENT)
              .build();
      try (JobWorker worker =
          JobWorker.builder(PgJobQueue.on(store))
              .handler(ReembedJobHandler.of(maintenance))
              .concurrency(slots)
              .pollInterval(Duration.ofMillis(20))
              .build()
              .start()) {
        System.out.println("READY " + worker.id());
        System.out.flush();
        while (System.in.read() >= 0) {
          // wait for the coordinator to close our input
        }
      }
    }
  }

  private static String url() {
    String url = System.getenv("PORTFOLIO_BENCH_JDBC_URL");
    if (url == null || url.isBlank()) {
      url = System.getenv("PORTFOLIO_TEST_JDBC_URL");
    }
    return url == null || url.isBlank() ? DEFAULT_URL : url;
  }

  /** A latency-bound embedder: every call waits, then hashes. */
  private record SlowEmbedder(Embedder delegate, long latencyMs) implements Embedder {
    @Override
    public EmbedderInfo info() {
      return delegate.info();
    }

    @Override
    public EmbeddingBatch embed(List<String> texts, InputType type) {
      try {
        Thread.sleep(latencyMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return delegate.embed(texts, type);
    }
  }

  /** Words for distinct chunk texts. */
  private static final class SyntheticWords {
    private static final String[] WORDS = {
      "index",
      "vector",
      "model",
      "switch",
      "chunk",
      "embedding",
      "search",
      "postgres",
      "recall",
      "latency",
      "batch",
      "keyset",
      "stale",
      "missing",
      "resume",
      "worker"
    };

    static String of(int n) {
      return WORDS[n % WORDS.length] + " and " + WORDS[(n / WORDS.length) % WORDS.length];
    }
  }
}
