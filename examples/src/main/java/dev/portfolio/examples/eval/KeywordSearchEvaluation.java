package dev.portfolio.examples.eval;

import com.zaxxer.hikari.HikariDataSource;
import dev.portfolio.core.hashing.HashingEmbedder;
import dev.portfolio.core.memory.InMemoryVectorStore;
import dev.portfolio.core.model.ChunkInput;
import dev.portfolio.core.model.CollectionSpec;
import dev.portfolio.core.model.DocumentInput;
import dev.portfolio.core.model.KeywordQuery;
import dev.portfolio.core.model.SearchHit;
import dev.portfolio.core.model.UpsertResult;
import dev.portfolio.core.spi.VectorStore;
import dev.portfolio.core.text.Chunker;
import dev.portfolio.core.text.ChunkerOptions;
import dev.portfolio.core.text.TextChunk;
import dev.portfolio.index.pgvector.PgDataSources;
import dev.portfolio.index.pgvector.PgPoolOptions;
import dev.portfolio.index.pgvector.PgVectorStore;
import dev.portfolio.index.schema.PortfolioSchema;
import dev.portfolio.index.schema.SchemaOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Measures keyword search on a real corpus: the Linux man pages of Debian's {@code manpages} and
 * {@code manpages-dev} packages (about 1,100 pages; see {@link ManPages}) and 139 hand-written
 * questions with their expected pages ({@code eval/manpages/questions.tsv}).
 *
 * <p>{@code quality} (the default) chunks every page with the core {@link Chunker} (256 tokens, 32
 * of overlap), loads the chunks without vectors into the in-memory store and into the pgvector
 * store, and prints, at the document level (the distinct pages of the hits, in hit order),
 * recall@1, recall@5 and MRR@10 of {@code keywordSearch}, next to PostgreSQL's own {@code
 * websearch_to_tsquery('simple', q)} ranked by {@code ts_rank_cd} over the same rows.
 *
 * <p>{@code latency [chunks] [rounds]} runs {@link SearchBenchmark} ({@code
 * scripts/bench-search.sh}).
 *
 * <p>JDBC URL: {@code PORTFOLIO_BENCH_JDBC_URL}, else {@code PORTFOLIO_TEST_JDBC_URL}, else the
 * local test database. Uses (and drops) the schema {@value #SCHEMA}.
 */
public final class KeywordSearchEvaluation {
  static final String SCHEMA = "portfolio_kw_eval";
  private static final String COLLECTION = "manpages";
  private static final String DEFAULT_URL =
      "jdbc:postgresql://127.0.0.1:5432/portfolio_test?user=portfolio&password=portfolio";
  private static final String QUESTIONS = "/eval/manpages/questions.tsv";
  private static final int HITS = 100;
  private static final int DIMENSION = 384;

  private KeywordSearchEvaluation() {}

  /**
   * Runs the evaluation.
   *
   * @param args {@code quality [memory|pgvector|all]} (default), or {@code latency [chunks]
   *     [rounds]}
   * @throws Exception when the corpus is missing or the database fails
   */
  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "quality";
    ManPages corpus = ManPages.installed();
    List<Question> questions = questions(corpus);
    Chunker chunker = new Chunker(ChunkerOptions.builder().size(256).overlap(32).build());
    List<DocumentInput> documents = documents(corpus, chunker);
    int chunks = documents.stream().mapToInt(d -> d.chunks().size()).sum();
    System.out.printf(
        Locale.ROOT,
        "corpus: %s: %d pages, %d chunks (256 tokens, 32 overlap); %d questions%n",
        corpus.packageVersions(),
        corpus.pages().size(),
        chunks,
        questions.size());
    switch (mode) {
      case "quality" -> quality(documents, questions, args.length > 1 ? args[1] : "all");
      case "latency" -> SearchBenchmark.main(Arrays.copyOfRange(args, 1, args.length));
      default ->
          throw new IllegalArgumentException(
              "Unknown mode '" + mode + "': use quality, or latency [chunks] [rounds]");
    }
  }

  // ------------------------------------------------------------------------------------ quality

  private static void quality(
      List<DocumentInput> documents, List<Question> questions, String stores) throws SQLException {
    List<String> rows = new ArrayList<>();
    if (!stores.equals("pgvector")) {
      qualityInMemory(documents, questions, rows);
    }
    if (!stores.equals("memory")) {
      qualityPgVector(documents, questions, rows);
    }
    System.out.println();
    System.out.println("| search | recall@1 | recall@5 | MRR@10 | p50 ms |");
    System.out.println("|---|---|---|---|---|");
    rows.forEach(System.out::println);
  }

  private static void qualityInMemory(
      List<DocumentInput> documents, List<Question> questions, List<String> rows) {
    try (VectorStore memory = new InMemoryVectorStore()) {
      memory.createCollection(CollectionSpec.of(COLLECTION, "eval:none", 3));
      upsert(memory, documents);
      rows.add(
          score(
              "in-memory keywordSearch",
              questions,
              q -> keys(memory.keywordSearch(KeywordQuery.of(COLLECTION, q, HITS)))));
    }
  }

  private static void qualityPgVector(
      List<DocumentInput> documents, List<Question> questions, List<String> rows)
      throws SQLException {
    try (HikariDataSource pool = pool()) {
      try (PgVectorStore store = pgStore(pool)) {
        upsert(store, documents);
        analyze(pool);
        long collectionId = collectionId(pool);
        rows.add(
            score(
                "pgvector keywordSearch",
                questions,
                q -> keys(store.keywordSearch(KeywordQuery.of(COLLECTION, q, HITS)))));
        rows.add(
            score(
                "PostgreSQL websearch_to_tsquery + ts_rank_cd",
                questions,
                q -> plainFts(pool, collectionId, q, HITS)));
      }
      drop(pool);
    }
  }

  private static String score(
      String name, List<Question> questions, Function<String, List<String>> search) {
    int at1 = 0;
    int at5 = 0;
    double mrr = 0;
    long[] nanos = new long[questions.size()];
    List<String> misses = new ArrayList<>();
    for (int i = 0; i < questions.size(); i++) {
      Question q = questions.get(i);
      long start = System.nanoTime();
      List<String> docs = search.apply(q.text());
      nanos[i] = System.nanoTime() - start;
      int rank = 0;
      for (int r = 0; r < docs.size() && r < 10; r++) {
        if (q.answers().contains(docs.get(r))) {
          rank = r + 1;
          break;
        }
      }
      at1 += rank == 1 ? 1 : 0;
      at5 += rank >= 1 && rank <= 5 ? 1 : 0;
      mrr += rank == 0 ? 0 : 1.0 / rank;
      if (rank != 1 && Boolean.getBoolean("eval.misses")) {
        misses.add(
            String.format(
                Locale.ROOT,
                "  %s: rank %s for \"%s\" (expected %s; got %s)",
                name,
                rank == 0 ? ">10" : rank,
                q.text(),
                q.answers(),
                docs.subList(0, Math.min(5, docs.size()))));
      }
    }
    misses.forEach(System.out::println);
    Arrays.sort(nanos);
    int n = questions.size();
    return String.format(
        Locale.ROOT,
        "| %s | %.3f | %.3f | %.3f | %.2f |",
        name,
        (double) at1 / n,
        (double) at5 / n,
        mrr / n,
        nanos[n / 2] / 1e6);
  }

  /** The distinct documents of the hits, in the order of their best hit. */
  private static List<String> keys(List<SearchHit> hits) {
    Set<String> keys = new LinkedHashSet<>();
    for (SearchHit h : hits) {
      keys.add(h.documentKey().replaceFirst("#\\d+$", ""));
    }
    return List.copyOf(keys);
  }

  // ------------------------------------------------------------------------------------ corpus

  /** A question and the page keys that answer it. */
  record Question(String text, Set<String> answers) {}

  static List<Question> questions(ManPages corpus) throws IOException {
    List<Question> questions = new ArrayList<>();
    InputStream resource = KeywordSearchEvaluation.class.getResourceAsStream(QUESTIONS);
    if (resource == null) {
      throw new IllegalStateException("Missing resource " + QUESTIONS);
    }
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(resource, StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] cols = line.split("\t");
        Set<String> answers = new LinkedHashSet<>();
        for (String key : cols[0].split(",")) {
          String page = corpus.resolve(key.strip());
          if (!corpus.pages().containsKey(page)) {
            throw new IllegalStateException(
                "Question \"" + cols[1] + "\" expects " + key + ", which is not in the corpus");
          }
          answers.add(page);
        }
        questions.add(new Question(cols[1].strip(), Set.copyOf(answers)));
      }
    }
    return questions;
  }

  static List<DocumentInput> documents(ManPages corpus, Chunker chunker) {
    List<DocumentInput> documents = new ArrayList<>();
    for (Map.Entry<String, String> page : corpus.pages().entrySet()) {
      List<TextChunk> chunks = chunker.chunk(page.getValue());
      if (chunks.isEmpty()) {
        continue;
      }
      DocumentInput.Builder b = DocumentInput.builder(page.getKey()).sourceId("manpages");
      for (TextChunk c : chunks) {
        b.chunk(ChunkInput.of(c.ordinal(), c.text()));
      }
      documents.add(b.build());
    }
    return documents;
  }

  private static void upsert(VectorStore store, List<DocumentInput> documents) {
    for (int i = 0; i < documents.size(); i += 500) {
      UpsertResult r =
          store.upsert(COLLECTION, documents.subList(i, Math.min(documents.size(), i + 500)));
      if (!r.failures().isEmpty()) {
        throw new IllegalStateException("Upsert failed: " + r.failures());
      }
    }
  }

  // ------------------------------------------------------------------------------------ database

  static HikariDataSource pool() {
    String url = System.getenv("PORTFOLIO_BENCH_JDBC_URL");
    if (url == null || url.isBlank()) {
      url = System.getenv("PORTFOLIO_TEST_JDBC_URL");
    }
    if (url == null || url.isBlank()) {
      url = DEFAULT_URL;
    }
    return PgDataSources.pooled(
        PgPoolOptions.builder(url).poolSize(4).statementTimeout(Duration.ofHours(1)).build());
  }

  private static PgVectorStore pgStore(HikariDataSource pool) throws SQLException {
    drop(pool);
    PortfolioSchema.install(pool, SchemaOptions.forSchema(SCHEMA));
    PgVectorStore store =
        PgVectorStore.builder(pool)
            .schema(SCHEMA)
            .annIndexOnCreate(false)
            .operationLog(false)
            .indexBuildMemoryMb(512)
            .build();
    store.createCollection(
        CollectionSpec.of(COLLECTION, new HashingEmbedder(DIMENSION).info().modelRef(), DIMENSION));
    return store;
  }

  private static long collectionId(HikariDataSource pool) throws SQLException {
    try (Connection c = pool.getConnection();
        PreparedStatement s =
            c.prepareStatement("SELECT id FROM " + SCHEMA + ".collections WHERE name = ?")) {
      s.setString(1, COLLECTION);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** PostgreSQL's own full-text search over the same chunks, as an application would write it. */
  private static List<String> plainFts(
      HikariDataSource pool, long collectionId, String text, int limit) {
    String sql =
        "SELECT d.key FROM "
            + SCHEMA
            + ".chunks c JOIN "
            + SCHEMA
            + ".documents d ON d.id = c.document_id,"
            + " websearch_to_tsquery('simple', ?) q"
            + " WHERE c.collection_id = ? AND c.text_tsv @@ q"
            + " ORDER BY ts_rank_cd(c.text_tsv, q) DESC, c.id LIMIT ?";
    try (Connection c = pool.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, text);
      s.setLong(2, collectionId);
      s.setInt(3, limit);
      Set<String> keys = new LinkedHashSet<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          keys.add(rs.getString(1).replaceFirst("#\\d+$", ""));
        }
      }
      return List.copyOf(keys);
    } catch (SQLException e) {
      throw new IllegalStateException("Plain full-text search failed: " + e.getMessage(), e);
    }
  }

  private static void analyze(HikariDataSource pool) throws SQLException {
    execute(
        pool, "ANALYZE " + SCHEMA + ".documents, " + SCHEMA + ".chunks, " + SCHEMA + ".embeddings");
  }

  private static void drop(HikariDataSource pool) throws SQLException {
    if (Boolean.getBoolean("eval.keep")) {
      return;
    }
    execute(pool, "DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
  }

  private static void execute(HikariDataSource pool, String sql) throws SQLException {
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
