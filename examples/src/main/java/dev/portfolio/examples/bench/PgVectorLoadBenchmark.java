package dev.portfolio.examples.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.model.CollectionSpec;
import dev.portfolio.core.model.DocumentInput;
import dev.portfolio.core.model.Embedding;
import dev.portfolio.core.model.HybridQuery;
import dev.portfolio.core.model.KeywordQuery;
import dev.portfolio.core.model.SearchHit;
import dev.portfolio.core.model.UpsertResult;
import dev.portfolio.core.model.VectorQuery;
import dev.portfolio.core.validation.Inputs;
import dev.portfolio.index.pgvector.PgDataSources;
import dev.portfolio.index.pgvector.PgPoolOptions;
import dev.portfolio.index.pgvector.PgVectorStore;
import dev.portfolio.index.schema.PortfolioSchema;
import dev.portfolio.index.schema.SchemaOptions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Measures the pgvector store against raw {@code COPY} and against LangChain4j's pgvector store in
 * the same run, and reports ratios:
 *
 * <ul>
 *   <li>load: the same 100,000 rows (384-d vectors, ~500-character texts, 10 chunks per document)
 *       written three ways: raw {@code COPY ... (FORMAT binary)} into a bare table {@code (id uuid
 *       PRIMARY KEY, embedding vector(384), text text, metadata jsonb)} (the denominator of every
 *       ratio, {@link BareTableCopy}); LangChain4j's {@code addAll(ids, embeddings, segments)} into
 *       its own table with its defaults ({@link LangChain4jPeer}); our {@code upsert} of the
 *       documents into a fresh collection without an ANN index;
 *   <li>update: the same rows again with new vectors, through LangChain4j's {@code addAll} with the
 *       same ids and our {@code upsert} of the same documents;
 *   <li>HNSW build time on each side (m=16, ef_construction=64, cosine), recall@10 of our HNSW
 *       search against exact search for 1,000 queries;
 *   <li>search latency, p50 and p99 of 300 queries of each kind taken in turn after a warm-up: our
 *       vector, keyword and hybrid search and LangChain4j's {@code search}, all for the top 10.
 * </ul>
 *
 * <p>Prints each run and the median of the runs; ratios are taken within each run and their median
 * is printed. JDBC URL: {@code PORTFOLIO_BENCH_JDBC_URL}, else {@code PORTFOLIO_TEST_JDBC_URL},
 * else the local test database. Uses (and drops) the schema {@code PORTFOLIO_BENCH_SCHEMA}, else
 * {@code portfolio_bench}, and holds an advisory lock on its name meanwhile, so that a second run
 * on the same schema stops instead of dropping it under the first. Arguments: {@code [runs]
 * [documents] [search queries]} (default 3, 10000 and 300); {@code -Dbench.loadOnly=true} skips the
 * HNSW builds, recall and search; {@code -Dbench.writeConnections} sets the store's {@code
 * upsertWriteConnections} (default 2, the store's default).
 */
public final class PgVectorLoadBenchmark {
  private static final String SCHEMA = schemaFromEnvironment();
  private static final String COLLECTION = "bench";
  private static final String DEFAULT_URL =
      "jdbc:postgresql://127.0.0.1:5432/portfolio_test?user=portfolio&password=portfolio";
  private static final int INDEX_MEMORY_MB = 1024;
  private static final int SEARCH_WARM_UP = 20;
  private static final String LOCK_PREFIX = "dev.portfolio.examples.bench:";
  private static final boolean LOAD_ONLY = Boolean.getBoolean("bench.loadOnly");
  private static final int CHUNKS = SyntheticCorpus.CHUNKS_PER_DOCUMENT;
  private static final int WRITE_CONNECTIONS = Integer.getInteger("bench.writeConnections", 2);

  /** The bars of a bulk load of new documents: rows/s against raw COPY and against LangChain4j. */
  static final double RAW_BAR = 0.5;

  static final double PEER_BAR = 0.75;

  /** The searches timed, in the order they take turns. */
  private static final List<String> SEARCHES =
      List.of("Portfolio vector", "Portfolio keyword", "Portfolio hybrid", "LangChain4j vector");

  private PgVectorLoadBenchmark() {}

  private static String schemaFromEnvironment() {
    String schema = System.getenv("PORTFOLIO_BENCH_SCHEMA");
    return schema == null || schema.isBlank() ? "portfolio_bench" : schema.trim();
  }

  private static int positive(String raw, String name, int max) {
    try {
      return Inputs.between(name, Integer.parseInt(raw.trim()), 1, max);
    } catch (NumberFormatException e) {
      throw new InvalidInputException(
          name, name + " must be a whole number between 1 and " + max + " (was \"" + raw + "\")");
    }
  }

  /**
   * Runs the benchmark.
   *
   * @param args optional: number of runs (default 3), number of documents (default 10000), number
   *     of timed queries per kind of search (default 300)
   * @throws Exception when the database fails
   */
  public static void main(String[] args) throws Exception {
    if (!SCHEMA.matches("[a-z_][a-z0-9_]{0,62}")) {
      throw new InvalidInputException(
          "PORTFOLIO_BENCH_SCHEMA",
          "PORTFOLIO_BENCH_SCHEMA must be a lower-case SQL identifier of at most 63 characters"
              + " (was \""
              + SCHEMA
              + "\")");
    }
    int runs = args.length > 0 ? positive(args[0], "runs", 20) : 3;
    // All vectors and texts are generated in memory: about 0.5 GB per 10,000 documents.
    int documents = args.length > 1 ? positive(args[1], "documents", 50_000) : 10_000;
    int searchQueries =
        args.length > 2
            ? positive(args[2], "search queries", SyntheticCorpus.QUERIES - SEARCH_WARM_UP)
            : 300;
    String url = System.getenv("PORTFOLIO_BENCH_JDBC_URL");
    if (url == null || url.isBlank()) {
      url = System.getenv("PORTFOLIO_TEST_JDBC_URL");
    }
    if (url == null || url.isBlank()) {
      url = DEFAULT_URL;
    }
    System.out.printf(
        Locale.ROOT,
        "pgvector load benchmark: %d documents x %d chunks, %d-d vectors, %d runs, upsert on %d"
            + " connections, %s%n",
        documents,
        CHUNKS,
        SyntheticCorpus.DIMENSION,
        runs,
        WRITE_CONNECTIONS,
        PgPoolOptions.redact(url));
    long t0 = System.nanoTime();
    SyntheticCorpus data = SyntheticCorpus.generate(documents, 1, !LOAD_ONLY);
    System.out.printf(
        Locale.ROOT,
        "data generated in %.1f s (%d rows, mean text %d chars; vectors: 200 topics, 32-d latent"
            + " projected to %d-d + noise, normalised; keyword queries e.g. \"%s\")%n",
        (System.nanoTime() - t0) / 1e9,
        data.rows(),
        data.meanTextLength(),
        SyntheticCorpus.DIMENSION,
        data.keywordQueries().get(0));

    List<Map<String, Double>> results = new ArrayList<>();
    try (HikariDataSource pool =
        PgDataSources.pooled(
            PgPoolOptions.builder(url).poolSize(4).statementTimeout(Duration.ofHours(1)).build())) {
      System.out.printf(Locale.ROOT, "server: %s; schema %s%n", serverInfo(pool), SCHEMA);
      try (Connection lock = pool.getConnection()) {
        lockSchema(lock);
        try {
          warmUp(pool, data);
          for (int run = 1; run <= runs; run++) {
            results.add(run(pool, data, searchQueries, run));
          }
          drop(pool);
        } finally {
          unlockSchema(lock);
        }
      }
    }
    new Report(results, data.rows(), searchQueries).print(runs, documents);
  }

  private static Map<String, Double> run(
      HikariDataSource pool, SyntheticCorpus data, int searchQueries, int run) throws SQLException {
    drop(pool);
    PortfolioSchema.install(pool, SchemaOptions.forSchema(SCHEMA));
    settle(pool);
    Map<String, Double> m = new HashMap<>();

    BareTableCopy bare = new BareTableCopy(SCHEMA, "bench_bare");
    m.put("raw", bare.load(pool, data));
    bare.drop(pool);
    settle(pool);

    LangChain4jPeer peer = new LangChain4jPeer(pool, SCHEMA, "bench_langchain4j");
    m.put("lc4jLoad", peer.addAll(data.documents(), data));
    m.put("lc4jUpdate", peer.addAll(data.updated(), data));
    vacuumSchema(pool);
    settle(pool);
    progress(run, "raw COPY and LangChain4j done");

    try (PgVectorStore store =
        PgVectorStore.builder(pool)
            .schema(SCHEMA)
            .annIndexOnCreate(false)
            .operationLog(false)
            .indexBuildMemoryMb(INDEX_MEMORY_MB)
            .upsertWriteConnections(WRITE_CONNECTIONS)
            .build()) {
      store.createCollection(
          CollectionSpec.of(COLLECTION, SyntheticCorpus.MODEL, SyntheticCorpus.DIMENSION));
      m.put("load", upsertAll(store, COLLECTION, data.documents()));
      m.put("update", upsertAll(store, COLLECTION, data.updated()));
      if (!LOAD_ONLY) {
        vacuumSchema(pool);
        settle(pool);
        long start = System.nanoTime();
        store.createAnnIndex(COLLECTION);
        m.put("hnsw", (System.nanoTime() - start) / 1e9);
        settle(pool);
        m.put("lc4jHnsw", peer.createHnswIndex(INDEX_MEMORY_MB));
        vacuumSchema(pool);
        progress(run, "Portfolio writes and HNSW builds done");
        m.put("recall", recall(store, data, 0));
        m.put("recall100", recall(store, data, 100));
        searchLatencies(store, peer, data, searchQueries, m);
      }
    }
    System.out.println(runLine(run, m, data.rows()));
    return m;
  }

  private static void progress(int run, String what) {
    System.out.printf(Locale.ROOT, "run %d: %s (%tT)%n", run, what, System.currentTimeMillis());
  }

  private static String runLine(int run, Map<String, Double> m, int rows) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "run %d: rows/s raw COPY %,.0f, LangChain4j addAll %,.0f (%.2fx raw), Portfolio upsert"
                + " %,.0f (%.2fx raw, %.2fx LangChain4j); update: LangChain4j %,.0f, Portfolio"
                + " %,.0f",
            run,
            rows / m.get("raw"),
            rows / m.get("lc4jLoad"),
            m.get("raw") / m.get("lc4jLoad"),
            rows / m.get("load"),
            m.get("raw") / m.get("load"),
            m.get("lc4jLoad") / m.get("load"),
            rows / m.get("lc4jUpdate"),
            rows / m.get("update")));
    if (!LOAD_ONLY) {
      sb.append(
          String.format(
              Locale.ROOT,
              "; HNSW build Portfolio %.1f s, LangChain4j table %.1f s; recall@10 %.3f (ef_search"
                  + " 100: %.3f)",
              m.get("hnsw"),
              m.get("lc4jHnsw"),
              m.get("recall"),
              m.get("recall100")));
      for (String search : SEARCHES) {
        sb.append(
            String.format(
                Locale.ROOT,
                "; %s p50 %.2f ms p99 %.2f ms",
                search,
                m.get(search + " p50"),
                m.get(search + " p99")));
      }
    }
    return sb.toString();
  }

  /**
   * Compiles the JVM's hot paths (ours, LangChain4j's and the COPY encoder) before anything is
   * timed.
   */
  private static void warmUp(HikariDataSource pool, SyntheticCorpus data) throws SQLException {
    drop(pool);
    PortfolioSchema.install(pool, SchemaOptions.forSchema(SCHEMA));
    List<DocumentInput> some = data.documents().subList(0, Math.min(1000, data.documents().size()));
    int rows = some.size() * CHUNKS;
    new BareTableCopy(SCHEMA, "warm_up_bare").load(pool, data, rows);
    LangChain4jPeer peer = new LangChain4jPeer(pool, SCHEMA, "warm_up_langchain4j");
    peer.addAll(some, data);
    peer.addAll(data.updated().subList(0, some.size()), data);
    try (PgVectorStore store =
        PgVectorStore.builder(pool).schema(SCHEMA).annIndexOnCreate(false).build()) {
      store.createCollection(
          CollectionSpec.of("warm-up", SyntheticCorpus.MODEL, SyntheticCorpus.DIMENSION));
      upsertAll(store, "warm-up", some);
      upsertAll(store, "warm-up", data.updated().subList(0, some.size()));
    }
    System.out.println("warm-up done");
  }

  /** One upsert call for all documents: the store batches them. */
  private static double upsertAll(
      PgVectorStore store, String collection, List<DocumentInput> docs) {
    long start = System.nanoTime();
    UpsertResult r = store.upsert(collection, docs);
    if (r.failed() > 0) {
      throw new IllegalStateException("benchmark rows were rejected: " + r.failures().get(0));
    }
    int written = r.written();
    if (written != docs.size()) {
      throw new IllegalStateException("expected " + docs.size() + " writes, got " + written);
    }
    return (System.nanoTime() - start) / 1e9;
  }

  private static double recall(PgVectorStore store, SyntheticCorpus data, int efSearch) {
    int found = 0;
    for (int q = 0; q < data.queries().size(); q++) {
      List<SearchHit> hits =
          store.search(
              VectorQuery.of(COLLECTION, data.queries().get(q), 10).withEfSearch(efSearch));
      found += overlap(data.exactTop10(q), rows(hits));
    }
    return found / (10.0 * data.queries().size());
  }

  /**
   * Times {@code n} searches of each kind, the kinds taking turns query by query so that background
   * work on the server falls on all of them alike, after {@value #SEARCH_WARM_UP} untimed rounds
   * with other queries. Puts p50 and p99 in milliseconds and, for the vector searches, recall@10
   * against exact search.
   */
  private static void searchLatencies(
      PgVectorStore store,
      LangChain4jPeer peer,
      SyntheticCorpus data,
      int n,
      Map<String, Double> m) {
    Map<String, long[]> nanos = new HashMap<>();
    Map<String, Integer> found = new HashMap<>();
    for (String search : SEARCHES) {
      nanos.put(search, new long[n]);
      found.put(search, 0);
    }
    int warmUpFrom = data.queries().size() - SEARCH_WARM_UP;
    for (int i = -SEARCH_WARM_UP; i < n; i++) {
      int q = i < 0 ? warmUpFrom - i - 1 : i;
      Embedding vector = data.queries().get(q);
      String words = data.keywordQueries().get(q);
      List<Supplier<int[]>> calls =
          List.of(
              () -> rows(store.search(VectorQuery.of(COLLECTION, vector, 10))),
              () -> rows(store.keywordSearch(KeywordQuery.of(COLLECTION, words, 10))),
              () -> rows(store.hybridSearch(HybridQuery.of(COLLECTION, vector, words, 10))),
              () -> peer.search(vector));
      for (int k = 0; k < SEARCHES.size(); k++) {
        long start = System.nanoTime();
        int[] hits = calls.get(k).get();
        long elapsed = System.nanoTime() - start;
        if (i >= 0) {
          nanos.get(SEARCHES.get(k))[i] = elapsed;
          found.merge(SEARCHES.get(k), overlap(data.exactTop10(q), hits), Integer::sum);
        }
      }
    }
    for (String search : SEARCHES) {
      long[] v = nanos.get(search);
      Arrays.sort(v);
      m.put(search + " p50", percentile(v, 0.50) / 1e6);
      m.put(search + " p99", percentile(v, 0.99) / 1e6);
      m.put(search + " recall", found.get(search) / (10.0 * n));
    }
  }

  /** Nearest-rank percentile of sorted values. */
  private static double percentile(long[] sorted, double p) {
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }

  private static int[] rows(List<SearchHit> hits) {
    int[] out = new int[hits.size()];
    for (int i = 0; i < out.length; i++) {
      SearchHit h = hits.get(i);
      out[i] = Integer.parseInt(h.documentKey().substring(4)) * CHUNKS + h.ordinal();
    }
    return out;
  }

  private static int overlap(long[] exact, int[] found) {
    int n = 0;
    for (int f : found) {
      for (long e : exact) {
        if (e == f) {
          n++;
          break;
        }
      }
    }
    return n;
  }

  private static String serverInfo(HikariDataSource pool) throws SQLException {
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT current_setting('server_version'), (SELECT extversion FROM pg_extension"
                    + " WHERE extname = 'vector'), current_setting('shared_buffers'),"
                    + " current_setting('max_wal_size'), current_setting('synchronous_commit')")) {
      rs.next();
      return String.format(
          Locale.ROOT,
          "PostgreSQL %s, pgvector %s, shared_buffers %s, max_wal_size %s, synchronous_commit %s,"
              + " %d CPUs",
          rs.getString(1),
          rs.getString(2),
          rs.getString(3),
          rs.getString(4),
          rs.getString(5),
          Runtime.getRuntime().availableProcessors());
    }
  }

  /** Takes the session advisory lock on the schema's name, or fails naming the way out. */
  private static void lockSchema(Connection c) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT pg_try_advisory_lock(hashtext(?))")) {
      s.setString(1, LOCK_PREFIX + SCHEMA);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        if (!rs.getBoolean(1)) {
          throw new IllegalStateException(
              "Another benchmark is using schema "
                  + SCHEMA
                  + " on this database. Wait for it to finish, or set PORTFOLIO_BENCH_SCHEMA to"
                  + " another schema (two benchmarks at once also distort each other's timings).");
        }
      }
    }
  }

  private static void unlockSchema(Connection c) throws SQLException {
    // A pooled connection outlives this run: release the session lock explicitly.
    try (PreparedStatement s = c.prepareStatement("SELECT pg_advisory_unlock(hashtext(?))")) {
      s.setString(1, LOCK_PREFIX + SCHEMA);
      s.execute();
    }
  }

  private static void drop(HikariDataSource pool) throws SQLException {
    execute(pool, "DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
  }

  private static void settle(HikariDataSource pool) throws SQLException {
    // Settle the previous step's dirty pages before timing the next one.
    execute(pool, "SELECT pg_sleep(0.5)");
  }

  /**
   * Vacuums and analyses every table of the benchmark schema (whatever the store's layout), so that
   * autovacuum of what one step wrote does not run during the next timed step.
   */
  private static void vacuumSchema(HikariDataSource pool) throws SQLException {
    List<String> tables = new ArrayList<>();
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT format('%I.%I', n.nspname, t.relname) FROM pg_class t JOIN pg_namespace n"
                    + " ON n.oid = t.relnamespace WHERE n.nspname = '"
                    + SCHEMA
                    + "' AND t.relkind IN ('r', 'p') AND NOT t.relispartition")) {
      while (rs.next()) {
        tables.add(rs.getString(1));
      }
    }
    if (!tables.isEmpty()) {
      execute(pool, "VACUUM (ANALYZE) " + String.join(", ", tables));
    }
  }

  private static void execute(HikariDataSource pool, String sql) throws SQLException {
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** The medians of the runs, printed as lines and as markdown tables. */
  private record Report(List<Map<String, Double>> results, int rows, int searchQueries) {

    double median(String key) {
      return medianOf(m -> m.get(key));
    }

    /** A value taken within each run (same machine state), then the median across runs. */
    double medianOf(ToDoubleFunction<Map<String, Double>> value) {
      double[] v = results.stream().mapToDouble(value).sorted().toArray();
      return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    double rowsPerSecond(String key) {
      return medianOf(m -> rows / m.get(key));
    }

    double ratio(String numerator, String denominator) {
      // Throughput ratio = inverse ratio of the times.
      return medianOf(m -> m.get(denominator) / m.get(numerator));
    }

    void print(int runs, int documents) {
      System.out.println();
      System.out.printf(
          Locale.ROOT,
          "Medians of %d runs, %,d rows (%,d documents x %d chunks, %d-d):%n%n",
          runs,
          rows,
          documents,
          CHUNKS,
          SyntheticCorpus.DIMENSION);
      System.out.println("| write | rows/s | x bare raw COPY | Portfolio / LangChain4j |");
      System.out.println("|---|---:|---:|---:|");
      row(
          "raw COPY BINARY into a bare table (id uuid, embedding, text, metadata jsonb)",
          "raw",
          "");
      row("LangChain4j `addAll`, new rows", "lc4jLoad", "");
      row(
          "Portfolio `upsert`, new documents",
          "load",
          String.format(Locale.ROOT, "%.2fx", ratio("load", "lc4jLoad")));
      row("LangChain4j `addAll`, same ids with new vectors", "lc4jUpdate", "");
      row(
          "Portfolio `upsert`, same documents with new vectors",
          "update",
          String.format(Locale.ROOT, "%.2fx", ratio("update", "lc4jUpdate")));
      double vsRaw = ratio("load", "raw");
      double vsPeer = ratio("load", "lc4jLoad");
      System.out.println();
      System.out.printf(
          Locale.ROOT,
          "bulk ingest of new documents: %.2fx raw COPY (bar: >= %.2fx) -> %s; %.2fx LangChain4j"
              + " addAll (bar: >= %.2fx) -> %s%n",
          vsRaw,
          RAW_BAR,
          vsRaw >= RAW_BAR ? "PASS" : "FAIL",
          vsPeer,
          PEER_BAR,
          vsPeer >= PEER_BAR ? "PASS" : "FAIL");
      if (!LOAD_ONLY) {
        System.out.println();
        System.out.printf(
            Locale.ROOT,
            "| search, top 10, %d queries each (HNSW m=16, ef_construction=64, ef_search 40) |"
                + " p50 ms | p99 ms | recall@10 |%n",
            searchQueries);
        System.out.println("|---|---:|---:|---:|");
        for (String search : SEARCHES) {
          boolean vector = search.endsWith("vector");
          System.out.printf(
              Locale.ROOT,
              "| %s | %.2f | %.2f | %s |%n",
              search,
              median(search + " p50"),
              median(search + " p99"),
              vector ? String.format(Locale.ROOT, "%.3f", median(search + " recall")) : "-");
        }
        System.out.println();
        System.out.printf(
            Locale.ROOT,
            "HNSW build (maintenance_work_mem=%dMB): Portfolio %.1f s, LangChain4j's table %.1f s."
                + " Portfolio recall@10 over %d queries: %.3f at ef_search 40, %.3f at 100.%n",
            INDEX_MEMORY_MB,
            median("hnsw"),
            median("lc4jHnsw"),
            SyntheticCorpus.QUERIES,
            median("recall"),
            median("recall100"));
      }
      System.out.println();
      System.out.println(
          "Reproduce: scripts/bench-pgvector.sh " + runs + " " + documents + " " + searchQueries);
    }

    private void row(String label, String key, String versusPeer) {
      System.out.printf(
          Locale.ROOT,
          "| %s | %,.0f | %.2fx | %s |%n",
          label,
          rowsPerSecond(key),
          ratio(key, "raw"),
          versusPeer);
    }
  }
}
