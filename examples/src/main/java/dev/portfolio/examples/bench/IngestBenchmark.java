package dev.portfolio.examples.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.portfolio.core.hashing.HashingEmbedder;
import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.spi.EmbedderInfo;
import dev.portfolio.core.spi.EmbeddingBatch;
import dev.portfolio.core.spi.InputType;
import dev.portfolio.core.spi.ProgressReporter;
import dev.portfolio.core.text.ChunkerOptions;
import dev.portfolio.index.pgvector.PgDataSources;
import dev.portfolio.index.pgvector.PgPoolOptions;
import dev.portfolio.index.pgvector.PgVectorStore;
import dev.portfolio.index.schema.PortfolioSchema;
import dev.portfolio.index.schema.SchemaOptions;
import dev.portfolio.maintenance.Maintenance;
import dev.portfolio.maintenance.ingest.IngestDocument;
import dev.portfolio.maintenance.ingest.IngestOptions;
import dev.portfolio.maintenance.ingest.IngestResult;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures incremental ingestion on PostgreSQL, with ratios taken in one run:
 *
 * <ol>
 *   <li>initial: {@code Maintenance.ingest} of N documents (default 20,000) of about 2,000
 *       characters each (paragraphs of words drawn from a fixed vocabulary, seeded) into an empty
 *       collection, with the deterministic 384-d hashing embedder; chunks of at most 128
 *       approximate tokens, so a document has about five; the collection has no HNSW index (built
 *       after a bulk load, as the store's documentation advises), so the initial ingest is as fast
 *       as it gets and the ratio below is not flattered;
 *   <li>unchanged: the same input again, {@code bench.unchangedRuns} times (default 3; the median
 *       is the figure). The bar: at least 50x faster than the initial ingest, with zero embedder
 *       calls;
 *   <li>edited: the same input with one paragraph changed in 1% of the documents: only the chunks
 *       whose text changed are embedded; the count is printed against the number of edited
 *       documents.
 * </ol>
 *
 * <p>JDBC URL: {@code PORTFOLIO_BENCH_JDBC_URL}, else {@code PORTFOLIO_TEST_JDBC_URL}, else the
 * local test database. Uses (and drops) the schema {@value #SCHEMA}. Arguments: {@code [documents]
 * [batch size]} (default 20000 and 500).
 */
public final class IngestBenchmark {
  static final String SCHEMA = "portfolio_bench_ingest";
  private static final String DEFAULT_URL =
      "jdbc:postgresql://127.0.0.1:5432/portfolio_test?user=portfolio&password=portfolio";
  private static final String COLLECTION = "bench";
  private static final int UNCHANGED_RUNS = Integer.getInteger("bench.unchangedRuns", 3);

  private IngestBenchmark() {}

  /**
   * Runs the benchmark.
   *
   * @param args {@code [documents] [batch size]}
   * @throws Exception when the database fails
   */
  public static void main(String[] args) throws Exception {
    int documents = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int batch = args.length > 1 ? Integer.parseInt(args[1]) : 500;
    String url = System.getenv("PORTFOLIO_BENCH_JDBC_URL");
    if (url == null || url.isBlank()) {
      url = System.getenv("PORTFOLIO_TEST_JDBC_URL");
    }
    if (url == null || url.isBlank()) {
      url = DEFAULT_URL;
    }
    List<IngestDocument> input = corpus(documents, 2_000);
    long chars = input.stream().mapToLong(d -> d.text().length()).sum();
    System.out.printf(
        Locale.ROOT,
        "ingest benchmark: %d documents, %.0f characters each on average, batches of %d, %s%n",
        documents,
        chars / (double) documents,
        batch,
        PgPoolOptions.redact(url));
    try (HikariDataSource pool =
        PgDataSources.pooled(
            PgPoolOptions.builder(url).poolSize(4).statementTimeout(Duration.ofHours(1)).build())) {
      execute(pool, "DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
      PortfolioSchema.install(pool, SchemaOptions.forSchema(SCHEMA));
      // No HNSW index while loading: the fastest initial ingest, so the ratio is not flattered.
      try (PgVectorStore store =
          PgVectorStore.builder(pool).schema(SCHEMA).annIndexOnCreate(false).build()) {
        Counting embedder = new Counting(new HashingEmbedder(384));
        Maintenance maintenance =
            Maintenance.builder()
                .store(store)
                .embedder(embedder)
                .progress(ProgressReporter.SILENT)
                .build();
        IngestOptions options =
            IngestOptions.builder()
                .batchSize(batch)
                .chunker(ChunkerOptions.builder().size(128).overlap(16).build())
                .build();

        IngestResult initial = timed("initial", maintenance, input, options, embedder);
        // The unchanged re-run is short: timed several times, its median is the figure.
        List<IngestResult> reruns = new ArrayList<>();
        long unchangedCalls = 0;
        for (int i = 0; i < UNCHANGED_RUNS; i++) {
          reruns.add(timed("unchanged", maintenance, input, options, embedder));
          unchangedCalls += embedder.calls.get();
        }
        reruns.sort(java.util.Comparator.comparingDouble(IngestBenchmark::seconds));
        IngestResult unchanged = reruns.get(reruns.size() / 2);
        List<IngestDocument> edited = edit(input, 100);
        int editedDocs = documents / 100;
        IngestResult afterEdit = timed("1% edited", maintenance, edited, options, embedder);

        double ratio = seconds(initial) / seconds(unchanged);
        System.out.println();
        System.out.printf(
            Locale.ROOT,
            "unchanged re-run (median of %d, %.3f s): %.1fx faster than the initial ingest (bar: >="
                + " 50x), %d embedder calls (bar: 0) -> %s%n",
            reruns.size(),
            seconds(unchanged),
            ratio,
            unchangedCalls,
            ratio >= 50 && unchangedCalls == 0 && unchanged.unchanged() == documents
                ? "PASS"
                : "FAIL");
        System.out.printf(
            Locale.ROOT,
            "1%% edited (%d documents, one paragraph each): %d chunks embedded, %d reused, %d"
                + " documents updated, %d unchanged; %.1fx faster than the initial ingest%n",
            editedDocs,
            afterEdit.chunksEmbedded(),
            afterEdit.chunksReused(),
            afterEdit.updated(),
            afterEdit.unchanged(),
            seconds(initial) / seconds(afterEdit));
      }
      execute(pool, "DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
    }
  }

  private static IngestResult timed(
      String label,
      Maintenance maintenance,
      List<IngestDocument> input,
      IngestOptions options,
      Counting embedder) {
    embedder.calls.set(0);
    embedder.texts.set(0);
    long cpu = jvmCpuNanos();
    IngestResult r = maintenance.ingest(COLLECTION, input, options);
    cpu = jvmCpuNanos() - cpu;
    System.out.printf(
        Locale.ROOT,
        "%-10s %8.3f s (JVM CPU %6.3f s)  added %6d  updated %4d  unchanged %6d  failed %d  chunks"
            + " embedded %6d  reused %5d  embedder calls %4d  texts sent %6d  tokens %d%n",
        label,
        seconds(r),
        cpu / 1e9,
        r.added(),
        r.updated(),
        r.unchanged(),
        r.failed(),
        r.chunksEmbedded(),
        r.chunksReused(),
        embedder.calls.get(),
        embedder.texts.get(),
        r.tokensUsed());
    return r;
  }

  /**
   * CPU time of this JVM (all threads), or 0 where unknown: unlike the wall time, it does not grow
   * when other processes take the cores.
   */
  private static long jvmCpuNanos() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.OperatingSystemMXBean os
        ? Math.max(0, os.getProcessCpuTime())
        : 0;
  }

  private static double seconds(IngestResult r) {
    return r.elapsed().toNanos() / 1e9;
  }

  /** Documents of paragraphs of seeded random words, about {@code chars} characters each. */
  static List<IngestDocument> corpus(int n, int chars) {
    String[] vocabulary = vocabulary(5_000, new Random(7));
    Random random = new Random(42);
    List<IngestDocument> docs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      StringBuilder text = new StringBuilder(chars + 200);
      while (text.length() < chars) {
        int words = 40 + random.nextInt(40);
        for (int w = 0; w < words; w++) {
          text.append(vocabulary[(int) Math.abs(random.nextGaussian() * 800) % vocabulary.length]);
          text.append(w == words - 1 ? ".\n\n" : w % 12 == 11 ? ". " : " ");
        }
      }
      docs.add(
          IngestDocument.builder(String.format(Locale.ROOT, "doc-%06d", i))
              .sourceId("bench")
              .text(text.toString())
              .metadata("n", i)
              .build());
    }
    return docs;
  }

  /** Changes one word of the second paragraph of every {@code every}-th document. */
  static List<IngestDocument> edit(List<IngestDocument> docs, int every) {
    List<IngestDocument> out = new ArrayList<>(docs.size());
    for (int i = 0; i < docs.size(); i++) {
      IngestDocument d = docs.get(i);
      if (i % every == 0) {
        String t = d.text();
        int p = t.indexOf("\n\n");
        int at = p < 0 ? 0 : p + 2;
        d = d.withText(t.substring(0, at) + "edited" + i + " " + t.substring(at));
      }
      out.add(d);
    }
    return out;
  }

  private static String[] vocabulary(int size, Random random) {
    String[] words = new String[size];
    for (int i = 0; i < size; i++) {
      int length = 2 + random.nextInt(9);
      StringBuilder w = new StringBuilder(length);
      for (int k = 0; k < length; k++) {
        w.append((char) ('a' + random.nextInt(26)));
      }
      words[i] = w.toString();
    }
    return words;
  }

  private static void execute(HikariDataSource pool, String sql) throws SQLException {
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** Counts calls and texts. */
  private static final class Counting implements Embedder {
    private final Embedder delegate;
    final AtomicLong calls = new AtomicLong();
    final AtomicLong texts = new AtomicLong();

    Counting(Embedder delegate) {
      this.delegate = delegate;
    }

    @Override
    public EmbedderInfo info() {
      return delegate.info();
    }

    @Override
    public EmbeddingBatch embed(List<String> batch, InputType type) {
      calls.incrementAndGet();
      texts.addAndGet(batch.size());
      return delegate.embed(batch, type);
    }
  }
}
