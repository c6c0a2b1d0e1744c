package dev.portfolio.examples.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.portfolio.core.model.ChunkQuery;
import dev.portfolio.core.model.CollectionSpec;
import dev.portfolio.core.model.DocumentInput;
import dev.portfolio.core.model.Embedding;
import dev.portfolio.core.model.UpsertResult;
import dev.portfolio.core.validation.Inputs;
import dev.portfolio.examples.bench.SwitchBaselines.V1Result;
import dev.portfolio.examples.bench.SwitchCorpus.Model;
import dev.portfolio.examples.bench.SwitchReport.Sizes;
import dev.portfolio.index.pgvector.PgDataSources;
import dev.portfolio.index.pgvector.PgPoolOptions;
import dev.portfolio.index.pgvector.PgVectorStore;
import dev.portfolio.index.schema.PortfolioSchema;
import dev.portfolio.index.schema.SchemaOptions;
import java.lang.management.ManagementFactory;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * Measures a model switch on the pgvector store while searches go on, against two baselines
 * measured in the same run, and reports ratios.
 *
 * <p>Each run, in its own schema ({@code PORTFOLIO_BENCH_SCHEMA}, else {@code
 * portfolio_switch_bench}; dropped at the end):
 *
 * <ol>
 *   <li>baselines: bare {@code COPY ... (FORMAT binary)} of the new model's vectors into a table
 *       with only a primary key, and version 1's in-place update (the idle vector slot of a
 *       v1-shaped chunks table, next to the live HNSW index of the active slot, in batches through
 *       a staging table) on the first {@code bench.v1Rows} rows; see {@link SwitchBaselines};
 *   <li>loads the collection (10 chunks per document, ~500-character texts, 384-d vectors of model
 *       {@code bench:first}) with {@code upsert}, builds the active set's HNSW index and analyses;
 *   <li>measures the schema's size (every table with its indexes and TOAST; the embeddings
 *       partitions counted once, as leaf tables);
 *   <li>switches to {@code bench:next}, 256-d, with a zero-cost embedder (vectors precomputed
 *       before timing): {@code createBuildingSet}; the chunks missing in the set, read in keyset
 *       pages of {@code bench.batch} ({@code listChunks} with {@code inSet} and {@code MISSING},
 *       the next page on a thread of its own while the pages before it are written, as the
 *       library's re-embed runs read ahead) and written with {@code writeVectors}, {@code
 *       bench.writers} calls at once, timed as the write phase; {@code activateSet}, which builds
 *       the set's HNSW index first (the moment the index becomes valid is read from {@code
 *       pg_index} by a polling thread, which splits the call into index build and the rest); {@code
 *       rollback}; {@code activateSet} again (the index exists: the pure switch); {@code dropSet}
 *       of the retired set; then measures the size again;
 *   <li>switches again to {@code bench:third}, 384-d like the first model, for the honest bloat
 *       check: the size after two switches and drops against the size before.
 * </ol>
 *
 * <p>During both switches a thread searches the collection (limit 10) at {@code bench.searchRate}
 * queries per second through a pool of its own and records latencies by phase ({@link SearchLoad}).
 * That pool's sessions use {@code plan_cache_mode=force_custom_plan} unless {@code
 * bench.genericPlans} is true: the store's search statement binds the status filter as a parameter,
 * and once pgjdbc prepares it on the server, PostgreSQL's generic plan (which estimates that no
 * document passes {@code status <> $2} when all have one status) sorts the whole set instead of
 * using the HNSW index.
 *
 * <p>Prints per-run values, then medians (ratios are taken within each run, then their median) in a
 * markdown table with the bars ({@link SwitchReport}). JDBC URL: {@code PORTFOLIO_BENCH_JDBC_URL},
 * else {@code PORTFOLIO_TEST_JDBC_URL}, else the local test database. Arguments: {@code [runs]
 * [documents]} (default 3 and 10000). System properties: {@code bench.batch} (chunks per page and
 * per {@code writeVectors} call, default 5000: faster than 1000 when measured), {@code
 * bench.writers} ({@code writeVectors} calls in flight, default 2, 1 to 4; the library's re-embed
 * runs write up to {@code maxConcurrency}, default 4, batches at once), {@code bench.searchRate}
 * (searches per second, default 50, 0 for back to back), {@code bench.v1Rows} (rows of the v1
 * update, default 20000), {@code bench.genericPlans} (default false).
 */
public final class ModelSwitchBenchmark {
  private static final String SCHEMA = schemaFromEnvironment();
  private static final String COLLECTION = "bench";
  private static final String DEFAULT_URL =
      "jdbc:postgresql://127.0.0.1:5432/portfolio_test?user=portfolio&password=portfolio";
  private static final Model FIRST = new Model("bench:first", 384, 101);
  private static final Model NEXT = new Model("bench:next", 256, 202);
  private static final Model THIRD = new Model("bench:third", 384, 303);
  private static final long CORPUS_SEED = 42;
  private static final int INDEX_MEMORY_MB = 1024;
  private static final int LOAD_BATCH_DOCUMENTS = 1000;
  private static final int V1_BATCH = 1000;
  private static final int BATCH = Integer.getInteger("bench.batch", 5000);
  private static final int WRITERS = Integer.getInteger("bench.writers", 2);
  private static final int SEARCH_RATE = Integer.getInteger("bench.searchRate", 50);
  private static final int V1_ROWS = Integer.getInteger("bench.v1Rows", 20_000);
  private static final boolean GENERIC_PLANS = Boolean.getBoolean("bench.genericPlans");
  private static final Duration WINDOW = Duration.ofSeconds(5);

  private ModelSwitchBenchmark() {}

  private static String schemaFromEnvironment() {
    String schema = System.getenv("PORTFOLIO_BENCH_SCHEMA");
    return schema == null || schema.isBlank() ? "portfolio_switch_bench" : schema.trim();
  }

  private static int positive(String raw, String name, int max) {
    try {
      return Inputs.between(name, Integer.parseInt(raw.trim()), 1, max);
    } catch (NumberFormatException e) {
      throw new dev.portfolio.core.error.InvalidInputException(
          name, name + " must be a whole number between 1 and " + max + " (was \"" + raw + "\")");
    }
  }

  /**
   * Runs the benchmark.
   *
   * @param args optional: number of runs (default 3), number of documents (default 10000)
   * @throws Exception when the database fails
   */
  public static void main(String[] args) throws Exception {
    if (!SCHEMA.matches("[a-z_][a-z0-9_]{0,62}")) {
      throw new dev.portfolio.core.error.InvalidInputException(
          "PORTFOLIO_BENCH_SCHEMA",
          "PORTFOLIO_BENCH_SCHEMA must be a lower-case SQL identifier of at most 63 characters"
              + " (was \""
              + SCHEMA
              + "\")");
    }
    int runs = args.length > 0 ? positive(args[0], "runs", 20) : 3;
    int documents = args.length > 1 ? positive(args[1], "documents", 100_000) : 10_000;
    Inputs.between("bench.batch", BATCH, 1, ChunkQuery.MAX_LIMIT);
    Inputs.between("bench.writers", WRITERS, 1, 4);
    Inputs.between("bench.searchRate", SEARCH_RATE, 0, 10_000);
    Inputs.between("bench.v1Rows", V1_ROWS, 1, Integer.MAX_VALUE);
    String url = System.getenv("PORTFOLIO_BENCH_JDBC_URL");
    if (url == null || url.isBlank()) {
      url = System.getenv("PORTFOLIO_TEST_JDBC_URL");
    }
    if (url == null || url.isBlank()) {
      url = DEFAULT_URL;
    }
    SwitchCorpus corpus = new SwitchCorpus(documents, CORPUS_SEED);
    int v1Rows = Math.min(V1_ROWS, corpus.chunks());
    System.out.printf(
        Locale.ROOT,
        "model switch benchmark: %d documents x %d chunks (%,d), %s (%d-d) -> %s (%d-d) -> %s"
            + " (%d-d), %d runs, %s%n",
        documents,
        SwitchCorpus.CHUNKS_PER_DOCUMENT,
        corpus.chunks(),
        FIRST.name(),
        FIRST.dimension(),
        NEXT.name(),
        NEXT.dimension(),
        THIRD.name(),
        THIRD.dimension(),
        runs,
        PgPoolOptions.redact(url));
    System.out.printf(
        Locale.ROOT,
        "command: scripts/bench-switch.sh %d %d (JVM: %s)%n",
        runs,
        documents,
        String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
    System.out.printf(
        Locale.ROOT,
        "settings: bench.batch=%d (page and writeVectors size), bench.writers=%d (writeVectors"
            + " calls in flight), bench.searchRate=%d/s,"
            + " bench.v1Rows=%d%s, bench.genericPlans=%s%s; HNSW m=16 ef_construction=64"
            + " maintenance_work_mem=%dMB%n",
        BATCH,
        WRITERS,
        SEARCH_RATE,
        v1Rows,
        v1Rows < corpus.chunks() ? " (a subset: the v1 update is slow)" : "",
        GENERIC_PLANS,
        GENERIC_PLANS
            ? ""
            : " (searches run on connections with plan_cache_mode=force_custom_plan: the store's"
                + " search statement binds the status filter, and its generic plan is an exact"
                + " scan)",
        INDEX_MEMORY_MB);

    List<SwitchReport.Run> results = new ArrayList<>();
    try (HikariDataSource pool = pool(url, 6);
        HikariDataSource searchPool = pool(GENERIC_PLANS ? url : customPlans(url), 2)) {
      System.out.printf(Locale.ROOT, "server: %s%n", serverInfo(pool));
      long start = System.nanoTime();
      SwitchCorpus small = new SwitchCorpus(Math.min(200, documents), CORPUS_SEED);
      run(pool, searchPool, small, 0, Duration.ofMillis(500), small.chunks());
      System.out.printf(Locale.ROOT, "warm-up done in %.1f s%n", since(start));
      for (int run = 1; run <= runs; run++) {
        results.add(run(pool, searchPool, corpus, run, WINDOW, v1Rows));
      }
      drop(pool);
    }
    SwitchReport.summary(results, BATCH, SEARCH_RATE, v1Rows);
    System.out.println();
    System.out.println(
        "Reproduce: "
            + (BATCH == 5000
                    && WRITERS == 2
                    && SEARCH_RATE == 50
                    && V1_ROWS == 20_000
                    && !GENERIC_PLANS
                ? ""
                : "BENCH_JAVA_OPTS=\"-Dbench.batch="
                    + BATCH
                    + " -Dbench.writers="
                    + WRITERS
                    + " -Dbench.searchRate="
                    + SEARCH_RATE
                    + " -Dbench.v1Rows="
                    + V1_ROWS
                    + " -Dbench.genericPlans="
                    + GENERIC_PLANS
                    + "\" ")
            + "scripts/bench-switch.sh "
            + runs
            + " "
            + documents);
  }

  private static HikariDataSource pool(String url, int size) {
    return PgDataSources.pooled(
        PgPoolOptions.builder(url).poolSize(size).statementTimeout(Duration.ofHours(1)).build());
  }

  /** The URL with {@code plan_cache_mode=force_custom_plan} for every session. */
  private static String customPlans(String url) {
    return url
        + (url.contains("?") ? "&" : "?")
        + "options="
        + URLEncoder.encode("-c plan_cache_mode=force_custom_plan", StandardCharsets.UTF_8)
            .replace("+", "%20");
  }

  private static SwitchReport.Run run(
      DataSource pool,
      DataSource searchPool,
      SwitchCorpus corpus,
      int run,
      Duration window,
      int v1Rows)
      throws SQLException {
    boolean print = run > 0;
    drop(pool);
    PortfolioSchema.install(pool, SchemaOptions.forSchema(SCHEMA));
    CpuShare cpuStart = CpuShare.now();

    // Baselines first, in tables of their own that are dropped before the store's part.
    SwitchBaselines baselines = new SwitchBaselines(pool, SCHEMA, INDEX_MEMORY_MB);
    double raw;
    V1Result v1;
    {
      Embedding[] next = corpus.embedAll(NEXT);
      Embedding[] first = corpus.embedAll(FIRST);
      settle(pool);
      raw = baselines.rawCopy(next);
      settle(pool);
      v1 = baselines.v1Update(corpus, first, FIRST.name(), next, NEXT.name(), v1Rows, V1_BATCH);
    }
    if (print) {
      SwitchReport.baselines(run, corpus.chunks(), NEXT.dimension(), raw, v1);
    }
    settle(pool);

    try (PgVectorStore store =
            PgVectorStore.builder(pool)
                .schema(SCHEMA)
                .annIndexOnCreate(false)
                .indexBuildMemoryMb(INDEX_MEMORY_MB)
                .build();
        PgVectorStore searchStore = PgVectorStore.builder(searchPool).schema(SCHEMA).build()) {
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
      double load = since(start);
      start = System.nanoTime();
      store.createAnnIndex(COLLECTION);
      double ann = since(start);
      execute(
          pool,
          "ANALYZE " + SCHEMA + ".documents, " + SCHEMA + ".chunks, " + SCHEMA + ".embeddings");
      Sizes before = sizes(pool);
      if (print) {
        SwitchReport.load(run, corpus.chunks(), FIRST.dimension(), load, ann, before);
      }

      ModelSwitch switcher =
          new ModelSwitch(
              store, searchStore, pool, SCHEMA, COLLECTION, BATCH, WRITERS, SEARCH_RATE, window);
      settle(pool);
      ModelSwitch.Result first = switcher.run(corpus, FIRST, NEXT);
      Sizes afterFirst = sizes(pool);
      if (print) {
        SwitchReport.modelSwitch(run, first, afterFirst, before);
      }
      settle(pool);
      ModelSwitch.Result second = switcher.run(corpus, NEXT, THIRD);
      Sizes afterSecond = sizes(pool);
      if (print) {
        SwitchReport.modelSwitch(run, second, afterSecond, before);
      }
      CpuShare cpuEnd = CpuShare.now();
      CpuShare.Shares cpu = cpuEnd == null ? null : cpuEnd.since(cpuStart);
      if (print) {
        SwitchReport.cpu(run, cpu);
      }
      drop(pool);
      return new SwitchReport.Run(
          corpus.chunks(), raw, v1, load, ann, before, first, afterFirst, second, afterSecond, cpu);
    }
  }

  /**
   * The schema's tables with indexes and TOAST: leaf tables only, since the partitioned {@code
   * embeddings} parent holds nothing itself and its partitions are tables of the schema.
   */
  private static Sizes sizes(DataSource pool) throws SQLException {
    try (Connection c = pool.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0),"
                    + " coalesce(sum(pg_total_relation_size(c.oid))"
                    + " FILTER (WHERE c.relispartition), 0)"
                    + " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n"
                    + " ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relkind IN ('r', 'm')")) {
      ps.setString(1, SCHEMA);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new Sizes(rs.getLong(1), rs.getLong(2));
      }
    }
  }

  private static String serverInfo(DataSource pool) throws SQLException {
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT current_setting('server_version'), (SELECT extversion FROM pg_extension"
                    + " WHERE extname = 'vector'), current_setting('shared_buffers'),"
                    + " current_setting('max_wal_size'), current_setting('synchronous_commit'),"
                    + " current_setting('max_parallel_maintenance_workers')")) {
      rs.next();
      return String.format(
          Locale.ROOT,
          "PostgreSQL %s, pgvector %s, shared_buffers %s, max_wal_size %s, synchronous_commit %s,"
              + " max_parallel_maintenance_workers %s, %d CPUs",
          rs.getString(1),
          rs.getString(2),
          rs.getString(3),
          rs.getString(4),
          rs.getString(5),
          rs.getString(6),
          Runtime.getRuntime().availableProcessors());
    }
  }

  private static double since(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static void drop(DataSource pool) throws SQLException {
    execute(pool, "DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
  }

  private static void settle(DataSource pool) throws SQLException {
    // Settle the previous step's dirty pages before timing the next one.
    execute(pool, "SELECT pg_sleep(0.5)");
  }

  private static void execute(DataSource pool, String sql) throws SQLException {
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
