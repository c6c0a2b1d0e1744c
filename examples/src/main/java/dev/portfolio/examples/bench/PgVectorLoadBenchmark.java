package dev.portfolio.examples.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.portfolio.core.model.ChunkInput;
import dev.portfolio.core.model.CollectionSpec;
import dev.portfolio.core.model.DocumentInput;
import dev.portfolio.core.model.Embedding;
import dev.portfolio.core.model.SearchHit;
import dev.portfolio.core.model.UpsertResult;
import dev.portfolio.core.model.VectorQuery;
import dev.portfolio.core.text.KeywordTokenizer;
import dev.portfolio.core.validation.Inputs;
import dev.portfolio.index.internal.BinaryCopyWriter;
import dev.portfolio.index.pgvector.PgDataSources;
import dev.portfolio.index.pgvector.PgPoolOptions;
import dev.portfolio.index.pgvector.PgVectorStore;
import dev.portfolio.index.schema.PortfolioSchema;
import dev.portfolio.index.schema.SchemaOptions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;

/**
 * Measures the pgvector store's bulk paths against raw {@code COPY ... (FORMAT binary)} in the same
 * run, and reports ratios:
 *
 * <ul>
 *   <li>load: {@code upsert} of 100,000 chunks (384-d vectors, ~500-character texts, 10 chunks per
 *       document) into a fresh collection without an ANN index, against raw COPY of the same rows
 *       into (a) a bare table with only a primary key and (b) a table shaped like the chunks table
 *       ({@code LIKE chunks INCLUDING ALL}: same columns, generated tsvector and indexes), the
 *       physical limit for our schema;
 *   <li>update: {@code upsert} of the same documents again with new vectors (every document
 *       changes), against (b);
 *   <li>HNSW build time after the load, and recall@10 of HNSW search against exact search for 1,000
 *       queries at the default {@code ef_search}.
 * </ul>
 *
 * <p>Prints the median of several runs; ratios are taken within each run and their median is
 * printed. JDBC URL: {@code PORTFOLIO_BENCH_JDBC_URL}, else {@code PORTFOLIO_TEST_JDBC_URL}, else
 * the local test database. Uses (and drops) the schema {@value #SCHEMA}. Arguments: {@code [runs]
 * [documents]} (default 3 and 10000); {@code -Dbench.loadOnly=true} skips the HNSW build and
 * recall.
 */
public final class PgVectorLoadBenchmark {
  private static final String SCHEMA = "portfolio_bench";
  private static final String DEFAULT_URL =
      "jdbc:postgresql://127.0.0.1:5432/portfolio_test?user=portfolio&password=portfolio";
  private static final int CHUNKS_PER_DOCUMENT = 10;
  private static final int DIMENSION = 384;
  private static final int LATENT = 32;
  private static final int TOPICS = 200;
  private static final double TOPIC_SPREAD = 1.0;
  private static final double DOC_SPREAD = 0.6;
  private static final double CHUNK_SPREAD = 0.5;
  private static final double[][] TOPIC_CENTERS = topicCenters();

  private static double[][] topicCenters() {
    SplittableRandom r = new SplittableRandom(42);
    double[][] c = new double[TOPICS][LATENT];
    for (double[] row : c) {
      for (int k = 0; k < LATENT; k++) {
        row[k] = r.nextGaussian();
      }
    }
    return c;
  }

  private static final int QUERIES = 1000;
  private static final int INDEX_MEMORY_MB = 1024;
  private static final boolean LOAD_ONLY = Boolean.getBoolean("bench.loadOnly");
  private static final String COPY_COLUMNS =
      "collection_id, document_id, ordinal, text, search_text, content_hash, token_count, metadata,"
          + " %s, model_a, text_hash_a";

  private PgVectorLoadBenchmark() {}

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
    int runs = args.length > 0 ? positive(args[0], "runs", 20) : 3;
    // All vectors and texts are generated in memory: about 0.5 GB per 10,000 documents.
    int documents = args.length > 1 ? positive(args[1], "documents", 50_000) : 10_000;
    String url = System.getenv("PORTFOLIO_BENCH_JDBC_URL");
    if (url == null || url.isBlank()) {
      url = System.getenv("PORTFOLIO_TEST_JDBC_URL");
    }
    if (url == null || url.isBlank()) {
      url = DEFAULT_URL;
    }
    System.out.printf(
        Locale.ROOT,
        "pgvector load benchmark: %d documents x %d chunks, %d-d vectors, %d runs, %s%n",
        documents,
        CHUNKS_PER_DOCUMENT,
        DIMENSION,
        runs,
        PgPoolOptions.redact(url));
    long t0 = System.nanoTime();
    Dataset data = Dataset.generate(documents, 1);
    System.out.printf(
        Locale.ROOT,
        "data generated in %.1f s (%d chunks, mean text %d chars; vectors: 200 topics, 32-d latent"
            + " projected to %d-d + noise, normalised)%n",
        (System.nanoTime() - t0) / 1e9,
        data.chunks(),
        data.meanTextLength(),
        DIMENSION);

    List<Map<String, Double>> results = new ArrayList<>();
    try (HikariDataSource pool =
        PgDataSources.pooled(
            PgPoolOptions.builder(url).poolSize(4).statementTimeout(Duration.ofHours(1)).build())) {
      System.out.printf(Locale.ROOT, "server: %s%n", serverInfo(pool));
      warmUp(pool, data);
      for (int run = 1; run <= runs; run++) {
        results.add(run(pool, data, run));
      }
      drop(pool);
    }
    report(results, runs, documents);
  }

  private static Map<String, Double> run(HikariDataSource pool, Dataset data, int run)
      throws SQLException {
    drop(pool);
    PortfolioSchema.install(pool, SchemaOptions.forSchema(SCHEMA));
    settle(pool);

    double rawA = rawCopy(pool, "bench_raw_a", bareTable("bench_raw_a"), "embedding", data);
    double rawB =
        rawCopy(
            pool,
            "bench_raw_b",
            "CREATE TABLE " + SCHEMA + ".bench_raw_b (LIKE " + SCHEMA + ".chunks INCLUDING ALL)",
            "embedding_a",
            data);
    execute(pool, "DROP TABLE " + SCHEMA + ".bench_raw_a, " + SCHEMA + ".bench_raw_b");
    settle(pool);

    double load;
    double update;
    double hnsw;
    double recall;
    double recall100 = 0;
    try (PgVectorStore store =
        PgVectorStore.builder(pool)
            .schema(SCHEMA)
            .annIndexOnCreate(false)
            .operationLog(false)
            .indexBuildMemoryMb(INDEX_MEMORY_MB)
            .build()) {
      store.createCollection(CollectionSpec.of("bench", "bench:synthetic-384", DIMENSION));
      load = upsertAll(store, "bench", data.documents());
      update = upsertAll(store, "bench", data.updated());
      if (LOAD_ONLY) {
        hnsw = 0;
        recall = 0;
      } else {
        long start = System.nanoTime();
        store.createAnnIndex("bench");
        hnsw = (System.nanoTime() - start) / 1e9;
        execute(pool, "ANALYZE " + SCHEMA + ".chunks");
        recall = recall(store, data, 0);
        recall100 = recall(store, data, 100);
      }
    }
    System.out.printf(
        Locale.ROOT,
        "run %d: raw COPY (a) %.2f s, raw COPY (b) %.2f s, upsert load %.2f s, upsert update %.2f s,"
            + " HNSW build %.1f s, recall@10 %.3f (ef_search 100: %.3f)%n",
        run,
        rawA,
        rawB,
        load,
        update,
        hnsw,
        recall,
        recall100);
    return Map.of(
        "rawA", rawA,
        "rawB", rawB,
        "load", load,
        "update", update,
        "hnsw", hnsw,
        "recall", recall,
        "recall100", recall100);
  }

  /** Compiles the JVM's hot paths (ours and the COPY encoder) before anything is timed. */
  private static void warmUp(HikariDataSource pool, Dataset data) throws SQLException {
    drop(pool);
    PortfolioSchema.install(pool, SchemaOptions.forSchema(SCHEMA));
    List<DocumentInput> some = data.documents().subList(0, Math.min(1000, data.documents().size()));
    try (PgVectorStore store =
        PgVectorStore.builder(pool).schema(SCHEMA).annIndexOnCreate(false).build()) {
      store.createCollection(CollectionSpec.of("warm-up", "bench:synthetic-384", DIMENSION));
      upsertAll(store, "warm-up", some);
      upsertAll(store, "warm-up", data.updated().subList(0, some.size()));
    }
    System.out.println("warm-up done");
  }

  /** One upsert call for all documents: the store batches them (1,000 documents per batch). */
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

  private static String bareTable(String name) {
    return "CREATE TABLE "
        + SCHEMA
        + "."
        + name
        + " (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, collection_id bigint,"
        + " document_id bigint, ordinal integer, text text, search_text text, content_hash text,"
        + " token_count integer,"
        + " metadata jsonb, embedding vector, model_a text, text_hash_a text)";
  }

  /** Raw COPY of the chunk rows in one transaction; returns seconds. */
  private static double rawCopy(
      HikariDataSource pool, String table, String ddl, String vectorColumn, Dataset data)
      throws SQLException {
    execute(pool, ddl);
    String sql =
        "COPY "
            + SCHEMA
            + "."
            + table
            + " ("
            + String.format(Locale.ROOT, COPY_COLUMNS, vectorColumn)
            + ") FROM STDIN (FORMAT binary)";
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      long start = System.nanoTime();
      try (BinaryCopyWriter w = BinaryCopyWriter.start(c, sql)) {
        List<DocumentInput> docs = data.documents();
        for (int d = 0; d < docs.size(); d++) {
          List<ChunkInput> chunks = docs.get(d).chunks();
          for (int i = 0; i < chunks.size(); i++) {
            ChunkInput ch = chunks.get(i);
            String hash = data.hash(d, i);
            w.startRow(11);
            w.writeLong(1);
            w.writeLong(d + 1L);
            w.writeInt(ch.ordinal());
            w.writeText(ch.text());
            // The same per-row work as the store's path: the baselines differ only in the table.
            w.writeText(KeywordTokenizer.searchText(ch.text()));
            w.writeText(hash);
            w.writeInt(ch.tokenCount());
            w.writeJsonb(ch.metadata());
            w.writeVector(ch.embedding());
            w.writeText(ch.embeddingModel());
            w.writeText(hash);
          }
        }
        w.finish();
      }
      c.commit();
      return (System.nanoTime() - start) / 1e9;
    }
  }

  private static double recall(PgVectorStore store, Dataset data, int efSearch) {
    int found = 0;
    for (int q = 0; q < data.queries().size(); q++) {
      List<SearchHit> hits =
          store.search(VectorQuery.of("bench", data.queries().get(q), 10).withEfSearch(efSearch));
      long[] exact = data.exactTop10(q);
      for (SearchHit h : hits) {
        String key = h.documentKey();
        long global = Long.parseLong(key.substring(4)) * CHUNKS_PER_DOCUMENT + h.ordinal();
        for (long e : exact) {
          if (e == global) {
            found++;
            break;
          }
        }
      }
    }
    return found / (10.0 * data.queries().size());
  }

  private static void report(List<Map<String, Double>> results, int runs, int documents) {
    double rawA = median(results, "rawA");
    double rawB = median(results, "rawB");
    double load = median(results, "load");
    double update = median(results, "update");
    // Ratios are taken within each run (same machine state), then the median across runs.
    double loadVsB = medianOf(results, m -> m.get("rawB") / m.get("load"));
    double loadVsA = medianOf(results, m -> m.get("rawA") / m.get("load"));
    double updateVsB = medianOf(results, m -> m.get("rawB") / m.get("update"));
    double rows = documents * (double) CHUNKS_PER_DOCUMENT;
    System.out.println();
    System.out.printf(Locale.ROOT, "Medians of %d runs (%,.0f chunks):%n", runs, rows);
    System.out.printf(
        Locale.ROOT,
        "  raw COPY (a) bare table:          %7.2f s  %,9.0f rows/s%n",
        rawA,
        rows / rawA);
    System.out.printf(
        Locale.ROOT,
        "  raw COPY (b) chunks-shaped table: %7.2f s  %,9.0f rows/s%n",
        rawB,
        rows / rawB);
    System.out.printf(
        Locale.ROOT,
        "  upsert, load (all inserts):       %7.2f s  %,9.0f rows/s  = %.2fx of (b) [bar >= 0.85],"
            + " %.2fx of (a)%n",
        load,
        rows / load,
        loadVsB,
        loadVsA);
    System.out.printf(
        Locale.ROOT,
        "  upsert, again with new vectors:   %7.2f s  %,9.0f rows/s  = %.2fx of (b) [bar >= 0.5]%n",
        update,
        rows / update,
        updateVsB);
    System.out.printf(
        Locale.ROOT,
        "  HNSW build after load (m=16, ef_construction=64, maintenance_work_mem=%dMB): %.1f s%n",
        INDEX_MEMORY_MB,
        median(results, "hnsw"));
    System.out.printf(
        Locale.ROOT,
        "  recall@10 of HNSW vs exact, %d queries, default ef_search (40): %.3f [bar >= 0.95];"
            + " at ef_search 100: %.3f%n",
        QUERIES,
        median(results, "recall"),
        median(results, "recall100"));
    System.out.println(
        "  reference (from the issue, not measured here): LangChain4j addAll ~0.65x of (a)");
    System.out.println();
    System.out.println("Reproduce: scripts/bench-pgvector.sh " + runs + " " + documents);
  }

  private static double median(List<Map<String, Double>> results, String key) {
    return medianOf(results, m -> m.get(key));
  }

  private static double medianOf(
      List<Map<String, Double>> results, ToDoubleFunction<Map<String, Double>> value) {
    double[] v = results.stream().mapToDouble(value).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
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

  private static void drop(HikariDataSource pool) throws SQLException {
    execute(pool, "DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
  }

  private static void settle(HikariDataSource pool) throws SQLException {
    // Settle the previous step's dirty pages before timing the next one.
    execute(pool, "SELECT pg_sleep(0.5)");
  }

  private static void execute(HikariDataSource pool, String sql) throws SQLException {
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /**
   * Synthetic documents whose vectors are shaped like text embeddings of a corpus: each document
   * belongs to one of 200 topics, its chunks scatter around the document, and everything lives in a
   * 32-dimensional latent space projected to 384 dimensions plus isotropic noise, then normalised
   * (embedding models produce vectors of low intrinsic dimension, and chunks of one document or
   * topic are similar). Queries are drawn the same way, not taken from the data. Texts are ~500
   * characters of Zipf-distributed pseudo-words from a 5,000-word vocabulary.
   */
  private record Dataset(
      List<DocumentInput> documents,
      List<DocumentInput> updated,
      List<Embedding> queries,
      String[] hashes,
      long[][] exact,
      int chunks,
      int meanTextLength) {

    static Dataset generate(int docs, long seed) {
      SplittableRandom r = new SplittableRandom(seed);
      float[][] projection = new float[LATENT][DIMENSION];
      for (float[] row : projection) {
        for (int j = 0; j < DIMENSION; j++) {
          row[j] = (float) r.nextGaussian();
        }
      }
      String[] vocabulary = vocabulary(r, 5000);
      int chunks = docs * CHUNKS_PER_DOCUMENT;
      String[] texts = new String[chunks];
      long textChars = 0;
      for (int i = 0; i < chunks; i++) {
        texts[i] = text(r, vocabulary, 500);
        textChars += texts[i].length();
      }
      String[] hashes =
          IntStream.range(0, chunks)
              .parallel()
              .mapToObj(i -> dev.portfolio.core.text.Fingerprints.sha256Hex(texts[i]))
              .toArray(String[]::new);
      List<DocumentInput> documents =
          documents(docs, texts, projection, new SplittableRandom(seed + 1));
      float[] stored = new float[chunks * DIMENSION];
      List<DocumentInput> updated =
          documents(docs, texts, projection, new SplittableRandom(seed + 2));
      for (int d = 0; d < docs; d++) {
        for (int i = 0; i < CHUNKS_PER_DOCUMENT; i++) {
          Embedding e = updated.get(d).chunks().get(i).embedding();
          for (int j = 0; j < DIMENSION; j++) {
            stored[(d * CHUNKS_PER_DOCUMENT + i) * DIMENSION + j] = e.get(j);
          }
        }
      }
      SplittableRandom qr = new SplittableRandom(seed + 3);
      List<Embedding> queries = new ArrayList<>();
      for (int q = 0; q < QUERIES; q++) {
        queries.add(embedding(qr, projection, documentLatent(qr, qr.nextInt(TOPICS))));
      }
      return new Dataset(
          documents,
          updated,
          queries,
          hashes,
          computeExact(queries, stored, chunks),
          chunks,
          (int) (textChars / chunks));
    }

    String hash(int document, int ordinal) {
      return hashes[document * CHUNKS_PER_DOCUMENT + ordinal];
    }

    /** The ids (document * 10 + ordinal) of the 10 stored vectors nearest to a query. */
    long[] exactTop10(int query) {
      return exact[query];
    }

    private static long[][] computeExact(List<Embedding> queries, float[] stored, int chunks) {
      long start = System.nanoTime();
      long[][] out =
          IntStream.range(0, queries.size())
              .parallel()
              .mapToObj(
                  q -> {
                    float[] v = queries.get(q).toArray();
                    long[] best = new long[10];
                    double[] bestScore = new double[10];
                    Arrays.fill(bestScore, Double.NEGATIVE_INFINITY);
                    for (int i = 0; i < chunks; i++) {
                      double dot = 0;
                      int base = i * DIMENSION;
                      for (int j = 0; j < DIMENSION; j++) {
                        dot += v[j] * stored[base + j];
                      }
                      if (dot > bestScore[9]) {
                        int k = 9;
                        while (k > 0 && bestScore[k - 1] < dot) {
                          bestScore[k] = bestScore[k - 1];
                          best[k] = best[k - 1];
                          k--;
                        }
                        bestScore[k] = dot;
                        best[k] = i;
                      }
                    }
                    return best;
                  })
              .toArray(long[][]::new);
      System.out.printf(
          Locale.ROOT, "exact top-10 computed in %.1f s%n", (System.nanoTime() - start) / 1e9);
      return out;
    }

    private static List<DocumentInput> documents(
        int docs, String[] texts, float[][] projection, SplittableRandom r) {
      List<DocumentInput> out = new ArrayList<>(docs);
      for (int d = 0; d < docs; d++) {
        double[] doc = documentLatent(r, d % TOPICS);
        List<ChunkInput> chunks = new ArrayList<>(CHUNKS_PER_DOCUMENT);
        for (int i = 0; i < CHUNKS_PER_DOCUMENT; i++) {
          chunks.add(
              new ChunkInput(
                  i,
                  texts[d * CHUNKS_PER_DOCUMENT + i],
                  110,
                  embedding(r, projection, doc),
                  "bench:synthetic-384",
                  null));
        }
        out.add(
            DocumentInput.builder("doc-" + d)
                .sourceId("source-" + (d % 100))
                .fingerprint("fp-" + d)
                .metadata("corpus", "bench")
                .chunks(chunks)
                .build());
      }
      return out;
    }

    private static double[] documentLatent(SplittableRandom r, int topic) {
      double[] doc = new double[LATENT];
      for (int k = 0; k < LATENT; k++) {
        doc[k] = TOPIC_SPREAD * TOPIC_CENTERS[topic][k] + DOC_SPREAD * r.nextGaussian();
      }
      return doc;
    }

    private static Embedding embedding(
        SplittableRandom r, float[][] projection, double[] document) {
      double[] latent = new double[LATENT];
      for (int k = 0; k < LATENT; k++) {
        latent[k] = document[k] + CHUNK_SPREAD * r.nextGaussian();
      }
      float[] v = new float[DIMENSION];
      double norm = 0;
      for (int j = 0; j < DIMENSION; j++) {
        double x = 0.3 * r.nextGaussian();
        for (int k = 0; k < LATENT; k++) {
          x += latent[k] * projection[k][j];
        }
        v[j] = (float) x;
        norm += x * x;
      }
      float inv = (float) (1 / Math.sqrt(norm));
      for (int j = 0; j < DIMENSION; j++) {
        v[j] *= inv;
      }
      return Embedding.of(v);
    }

    private static String[] vocabulary(SplittableRandom r, int size) {
      String letters = "etaoinshrdlcumwfgypbvkjxqz";
      String[] words = new String[size];
      for (int i = 0; i < size; i++) {
        int len = 2 + r.nextInt(9);
        StringBuilder sb = new StringBuilder(len);
        for (int c = 0; c < len; c++) {
          sb.append(letters.charAt((int) Math.min(25, Math.abs(r.nextGaussian()) * 8)));
        }
        words[i] = sb.toString();
      }
      return words;
    }

    private static String text(SplittableRandom r, String[] vocabulary, int target) {
      StringBuilder sb = new StringBuilder(target + 16);
      while (sb.length() < target) {
        // Zipf-like: frequent words are common, as in prose.
        int w =
            (int)
                Math.min(
                    vocabulary.length - 1, Math.exp(r.nextDouble() * Math.log(vocabulary.length)));
        sb.append(vocabulary[w]).append(sb.length() % 97 == 0 ? ". " : " ");
      }
      return sb.toString().trim();
    }
  }
}
