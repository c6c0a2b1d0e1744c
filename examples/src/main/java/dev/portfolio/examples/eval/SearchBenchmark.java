package dev.portfolio.examples.eval;

import com.zaxxer.hikari.HikariDataSource;
import dev.portfolio.core.hashing.HashingEmbedder;
import dev.portfolio.core.model.ChunkInput;
import dev.portfolio.core.model.CollectionSpec;
import dev.portfolio.core.model.DocumentInput;
import dev.portfolio.core.model.Embedding;
import dev.portfolio.core.model.HybridQuery;
import dev.portfolio.core.model.KeywordQuery;
import dev.portfolio.core.model.UpsertResult;
import dev.portfolio.core.model.VectorQuery;
import dev.portfolio.core.spi.InputType;
import dev.portfolio.core.text.Chunker;
import dev.portfolio.core.text.ChunkerOptions;
import dev.portfolio.index.pgvector.PgVectorStore;
import dev.portfolio.index.schema.PortfolioSchema;
import dev.portfolio.index.schema.SchemaOptions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

/**
 * Search latency on a large collection of real text, against PostgreSQL's own full-text search over
 * the same rows in the same run.
 *
 * <p>The collection: the chunks of the Linux man pages ({@link ManPages}, about 10,000 chunks of
 * 256 tokens) repeated until it holds the requested number of chunks (default 100,000), each copy
 * after the first with a random tenth of its words left out, so that texts, vocabulary and word
 * frequencies are those of real documentation. Every chunk carries a 384-d hashing-embedder vector.
 * The chunks are written with {@code upsert} in batches of 500 documents, then the HNSW index is
 * built; nobody runs ANALYZE by hand.
 *
 * <p>The queries: the 139 evaluation questions ({@code eval/manpages/questions.tsv}), natural
 * phrases full of common words ("how do I create a pipe between a parent and a child process"),
 * each timed once per round (default 3 rounds after a warm-up round), top 10, for: plain FTS
 * ({@code websearch_to_tsquery('simple', q)} ranked by {@code ts_rank_cd}, through the same GIN
 * index on the same {@code tsvector}), keyword, vector and hybrid search, and the document-level
 * keyword and hybrid searches (10 distinct documents).
 *
 * <p>Before timing, the plans are checked: the vector search must use the active set's HNSW index
 * and the keyword search the GIN index. Prints the plans' verdicts and a markdown table of p50
 * (median) and p99 with each p50's ratio to plain FTS, and the p50 of the warm-up round, when each
 * question is asked for the first time (the keyword statistics have not yet counted its rare
 * words).
 *
 * <p>JDBC URL: {@code PORTFOLIO_BENCH_JDBC_URL}, else {@code PORTFOLIO_TEST_JDBC_URL}, else the
 * local test database. Schema: {@code PORTFOLIO_BENCH_SCHEMA}, else {@value #DEFAULT_SCHEMA};
 * dropped and recreated.
 */
public final class SearchBenchmark {
  static final String DEFAULT_SCHEMA = "portfolio_search_bench";
  private static final String COLLECTION = "manpages";
  private static final int DIMENSION = 384;
  private static final int LIMIT = 10;

  private SearchBenchmark() {}

  /**
   * Runs the benchmark.
   *
   * @param args {@code [chunks (100000)] [rounds (3)]}
   * @throws Exception when the corpus is missing or the database fails
   */
  public static void main(String[] args) throws Exception {
    int targetChunks = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    String schema = System.getenv().getOrDefault("PORTFOLIO_BENCH_SCHEMA", DEFAULT_SCHEMA);
    if (schema.isBlank()) {
      schema = DEFAULT_SCHEMA;
    }
    if (!schema.matches("[a-z_][a-z0-9_]{0,62}")) {
      throw new IllegalArgumentException(
          "PORTFOLIO_BENCH_SCHEMA must be a lower-case SQL identifier (letters, digits, _), was '"
              + schema
              + "'");
    }
    ManPages corpus = ManPages.installed();
    List<KeywordSearchEvaluation.Question> questions = KeywordSearchEvaluation.questions(corpus);
    Chunker chunker = new Chunker(ChunkerOptions.builder().size(256).overlap(32).build());
    List<DocumentInput> documents = KeywordSearchEvaluation.documents(corpus, chunker);
    System.out.printf(
        Locale.ROOT,
        "corpus: %s: %d pages, %d chunks (256 tokens, 32 overlap); %d questions%n",
        corpus.packageVersions(),
        corpus.pages().size(),
        documents.stream().mapToInt(d -> d.chunks().size()).sum(),
        questions.size());
    run(schema, documents, questions, targetChunks, rounds);
  }

  private static void run(
      String schema,
      List<DocumentInput> corpus,
      List<KeywordSearchEvaluation.Question> questions,
      int targetChunks,
      int rounds)
      throws SQLException {
    HashingEmbedder embedder = new HashingEmbedder(DIMENSION);
    try (HikariDataSource pool = KeywordSearchEvaluation.pool()) {
      execute(pool, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      PortfolioSchema.install(pool, SchemaOptions.forSchema(schema));
      try (PgVectorStore store =
          PgVectorStore.builder(pool)
              .schema(schema)
              .annIndexOnCreate(false)
              .operationLog(false)
              .indexBuildMemoryMb(512)
              .build()) {
        store.createCollection(
            CollectionSpec.of(COLLECTION, embedder.info().modelRef(), DIMENSION));
        long loaded = load(store, embedder, corpus, targetChunks);
        long start = System.nanoTime();
        store.createAnnIndex(COLLECTION);
        System.out.printf(
            Locale.ROOT, "HNSW index built in %.1f s%n", (System.nanoTime() - start) / 1e9);
        long collectionId = collectionId(pool, schema);
        List<Embedding> vectors =
            embedder
                .embed(
                    questions.stream().map(KeywordSearchEvaluation.Question::text).toList(),
                    InputType.QUERY)
                .embeddings();
        checkPlans(store, vectors.get(0), questions.get(0).text());
        time(store, pool, schema, collectionId, questions, vectors, loaded, rounds);
      } finally {
        if (!Boolean.getBoolean("bench.keep")) {
          execute(pool, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
      }
    }
  }

  /** Writes copies of the corpus until {@code targetChunks} chunks are stored. */
  private static long load(
      PgVectorStore store, HashingEmbedder embedder, List<DocumentInput> corpus, int targetChunks) {
    long start = System.nanoTime();
    long loaded = 0;
    int copy = 0;
    while (loaded < targetChunks) {
      SplittableRandom random = new SplittableRandom(copy);
      List<DocumentInput> batch = new ArrayList<>();
      for (DocumentInput d : corpus) {
        if (loaded >= targetChunks) {
          break;
        }
        DocumentInput.Builder b =
            DocumentInput.builder(copy == 0 ? d.key() : d.key() + "#" + copy).sourceId("manpages");
        List<String> texts = new ArrayList<>();
        for (ChunkInput c : d.chunks()) {
          texts.add(copy == 0 ? c.text() : thin(c.text(), random));
        }
        List<Embedding> vectors = embedder.embed(texts, InputType.DOCUMENT).embeddings();
        for (int i = 0; i < texts.size(); i++) {
          b.chunk(ChunkInput.embedded(i, texts.get(i), vectors.get(i), embedder.info().modelRef()));
        }
        batch.add(b.build());
        loaded += texts.size();
        if (batch.size() == 500) {
          upsert(store, batch);
          batch.clear();
        }
      }
      upsert(store, batch);
      copy++;
    }
    System.out.printf(
        Locale.ROOT,
        "loaded %,d chunks (%d copies of the corpus) in %.1f s%n",
        loaded,
        copy,
        (System.nanoTime() - start) / 1e9);
    return loaded;
  }

  private static void upsert(PgVectorStore store, List<DocumentInput> batch) {
    if (batch.isEmpty()) {
      return;
    }
    UpsertResult r = store.upsert(COLLECTION, batch);
    if (!r.failures().isEmpty()) {
      throw new IllegalStateException("Upsert failed: " + r.failures());
    }
  }

  /** Fails unless the vector search uses the HNSW index and the keyword search the GIN index. */
  private static void checkPlans(PgVectorStore store, Embedding vector, String text) {
    String vectorPlan = store.explainSearch(VectorQuery.of(COLLECTION, vector, LIMIT));
    String keywordPlan = store.explainKeywordSearch(KeywordQuery.of(COLLECTION, text, LIMIT));
    boolean hnsw = vectorPlan.contains("_ann");
    boolean gin = keywordPlan.contains("chunks_text_tsv_idx");
    System.out.println(
        "vector search plan right after the load (no manual ANALYZE): "
            + (hnsw ? "HNSW index scan" : "NO HNSW INDEX"));
    System.out.println(
        "keyword search candidate plan: " + (gin ? "GIN index scan" : "NO GIN INDEX"));
    if (!hnsw || !gin) {
      System.out.println(vectorPlan);
      System.out.println(keywordPlan);
      throw new IllegalStateException("A search does not use its index; plans above");
    }
  }

  private static void time(
      PgVectorStore store,
      HikariDataSource pool,
      String schema,
      long collectionId,
      List<KeywordSearchEvaluation.Question> questions,
      List<Embedding> vectors,
      long loaded,
      int rounds) {
    Map<String, IntConsumer> searches = new LinkedHashMap<>();
    searches.put(
        "plain FTS (websearch_to_tsquery + ts_rank_cd)",
        i -> plainFts(pool, schema, collectionId, questions.get(i).text()));
    searches.put(
        "keyword",
        i -> store.keywordSearch(KeywordQuery.of(COLLECTION, questions.get(i).text(), LIMIT)));
    searches.put("vector", i -> store.search(VectorQuery.of(COLLECTION, vectors.get(i), LIMIT)));
    searches.put(
        "hybrid",
        i ->
            store.hybridSearch(
                HybridQuery.of(COLLECTION, vectors.get(i), questions.get(i).text(), LIMIT)));
    searches.put(
        "keyword, 10 documents",
        i ->
            store.keywordSearchDocuments(
                KeywordQuery.of(COLLECTION, questions.get(i).text(), LIMIT)));
    searches.put(
        "hybrid, 10 documents",
        i ->
            store.hybridSearchDocuments(
                HybridQuery.of(COLLECTION, vectors.get(i), questions.get(i).text(), LIMIT)));
    String[] names = searches.keySet().toArray(String[]::new);
    IntConsumer[] runs = searches.values().toArray(IntConsumer[]::new);
    int n = questions.size();
    long[][] nanos = new long[names.length][n * rounds];
    long[][] first = new long[names.length][n];
    for (int round = -1; round < rounds; round++) {
      for (int i = 0; i < n; i++) {
        for (int s = 0; s < names.length; s++) {
          long t0 = System.nanoTime();
          runs[s].accept(i);
          long elapsed = System.nanoTime() - t0;
          if (round >= 0) {
            nanos[s][round * n + i] = elapsed;
          } else {
            first[s][i] = elapsed;
          }
        }
      }
    }
    double plain = percentile(nanos[0], 0.5);
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "| search (top %d, %,d chunks, %d queries) | p50 ms | p99 ms | p50 / plain FTS p50"
            + " | first asked: p50 ms |%n",
        LIMIT,
        loaded,
        nanos[0].length);
    System.out.println("|---|---|---|---|---|");
    for (int s = 0; s < names.length; s++) {
      System.out.printf(
          Locale.ROOT,
          "| %s | %.2f | %.2f | %.2f | %.2f |%n",
          names[s],
          percentile(nanos[s], 0.5) / 1e6,
          percentile(nanos[s], 0.99) / 1e6,
          percentile(nanos[s], 0.5) / plain,
          percentile(first[s], 0.5) / 1e6);
    }
  }

  /** PostgreSQL's own full-text search over the same chunks, as an application would write it. */
  private static int plainFts(HikariDataSource pool, String schema, long collectionId, String q) {
    String sql =
        "SELECT c.id, c.text, d.key FROM "
            + schema
            + ".chunks c JOIN "
            + schema
            + ".documents d ON d.id = c.document_id,"
            + " websearch_to_tsquery('simple', ?) q"
            + " WHERE c.collection_id = ? AND c.text_tsv @@ q"
            + " ORDER BY ts_rank_cd(c.text_tsv, q) DESC, c.id LIMIT ?";
    try (Connection c = pool.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, q);
      s.setLong(2, collectionId);
      s.setInt(3, LIMIT);
      int rows = 0;
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          rows++;
        }
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException("Plain full-text search failed: " + e.getMessage(), e);
    }
  }

  /** A copy of a text with a random tenth of its words left out. */
  static String thin(String text, SplittableRandom random) {
    StringBuilder sb = new StringBuilder(text.length());
    for (String w : text.split(" ")) {
      if (random.nextInt(10) != 0) {
        sb.append(w).append(' ');
      }
    }
    String s = sb.toString().strip();
    return s.isBlank() ? text : s;
  }

  static double percentile(long[] values, double p) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int index = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  private static long collectionId(HikariDataSource pool, String schema) throws SQLException {
    try (Connection c = pool.getConnection();
        PreparedStatement s =
            c.prepareStatement("SELECT id FROM " + schema + ".collections WHERE name = ?")) {
      s.setString(1, COLLECTION);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static void execute(HikariDataSource pool, String sql) throws SQLException {
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
