package dev.portfolio.index.pgvector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.error.PortfolioException;
import dev.portfolio.core.model.Chunk;
import dev.portfolio.core.model.ChunkInput;
import dev.portfolio.core.model.ChunkQuery;
import dev.portfolio.core.model.CollectionSpec;
import dev.portfolio.core.model.Document;
import dev.portfolio.core.model.DocumentInput;
import dev.portfolio.core.model.DocumentQuery;
import dev.portfolio.core.model.Embedding;
import dev.portfolio.core.model.EmbeddingUpdate;
import dev.portfolio.core.model.KeywordQuery;
import dev.portfolio.core.model.SearchFilter;
import dev.portfolio.core.model.SearchHit;
import dev.portfolio.core.model.UpsertResult;
import dev.portfolio.core.model.VectorQuery;
import dev.portfolio.index.testing.PostgresSchemaExtension;
import dev.portfolio.index.testing.TestSchema;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** pgvector-specific behaviour beyond the shared contract. */
@ExtendWith(PostgresSchemaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PgVectorStoreIT {
  private static final List<String> HOSTILE =
      List.of(
          "'; DROP TABLE chunks; --",
          "\"; DROP SCHEMA public CASCADE; --",
          "$$ OR 1=1 $$",
          "\\' OR '1'='1",
          "%_%",
          "a\"b'c\\d",
          "{\"json\": [1, 2]}",
          "quick' | brown & !fox <-> :* (x)");

  private TestSchema db;
  private HikariDataSource pool;
  private PgVectorStore store;

  @BeforeAll
  void open(TestSchema schema) {
    db = schema;
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
  void aChunkWhoseKeywordVectorExceedsPostgresLimitIsRejectedAloneAndNamed() {
    store.createCollection(CollectionSpec.of("tsv-limit", "m", 3));
    // 10,000 distinct words of six U+3316 each: NFKC turns each character into six katakana, so
    // the text's distinct words take over 1 MiB, more than a tsvector holds.
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 10_000; i++) {
      text.append("\u3316".repeat(6))
          .append((char) ('a' + i % 26))
          .append((char) ('a' + i / 26 % 26))
          .append((char) ('a' + i / 676 % 26))
          .append(' ');
    }
    DocumentInput huge =
        DocumentInput.builder("huge").chunk(ChunkInput.of(0, text.toString().strip())).build();
    DocumentInput fine = TestStores.doc("fine", 2, 3, 1);

    UpsertResult result = store.upsert("tsv-limit", List.of(huge, fine));

    assertThat(result.inserted()).isEqualTo(1);
    assertThat(result.failures())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.key()).isEqualTo("huge");
              assertThat(f.reason()).startsWith("chunk 0: ").contains("bytes");
            });
    assertThat(store.findDocument("tsv-limit", "huge")).isEmpty();
    assertThat(store.chunks("tsv-limit", "fine")).hasSize(2);
  }

  @Test
  void keywordQueriesIgnoreWordsTooLongToBeIndexed() {
    store.createCollection(CollectionSpec.of("tsv-long", "m", 3));
    store.upsert("tsv-long", List.of(TestStores.doc("d", 1, 3, 2)));
    String word = store.chunks("tsv-long", "d").get(0).text().split(" ")[0];

    assertThat(store.keywordSearch(KeywordQuery.of("tsv-long", "x".repeat(3000) + " " + word, 5)))
        .hasSize(1);
    assertThat(store.keywordSearch(KeywordQuery.of("tsv-long", "y".repeat(3000), 5))).isEmpty();
  }

  @Test
  void hostileValuesInEveryUserChosenFieldAreStoredVerbatimAndNeverExecuted() throws SQLException {
    String c = "hostile";
    int tables = tableCount();
    store.createCollection(CollectionSpec.of(c, "model '; DROP TABLE x; --", 3));
    List<DocumentInput> docs = new ArrayList<>();
    for (int i = 0; i < HOSTILE.size(); i++) {
      String v = HOSTILE.get(i);
      docs.add(
          DocumentInput.builder(v)
              .sourceId(v)
              .workspace(v)
              .fingerprint(v)
              .metadata(v, v)
              .chunk(
                  new ChunkInput(0, "text " + v, 1, Embedding.of(1, i, 0), v, Map.of(v, v, "k", v)))
              .build());
    }

    assertThat(store.upsert(c, docs).inserted()).isEqualTo(HOSTILE.size());

    for (String v : HOSTILE) {
      Document d = store.findDocument(c, v).orElseThrow();
      assertThat(List.of(d.key(), d.sourceId(), d.workspace(), d.fingerprint())).containsOnly(v);
      assertThat(d.metadata()).isEqualTo(Map.of(v, v));
      Chunk chunk = store.chunks(c, v).get(0);
      assertThat(chunk.text()).isEqualTo("text " + v);
      assertThat(chunk.embeddingModel()).isEqualTo(v);
      assertThat(chunk.metadata()).isEqualTo(Map.of(v, v, "k", v));

      SearchFilter bySource = SearchFilter.builder().sourceId(v).build();
      SearchFilter byWorkspace = SearchFilter.builder().workspace(v).build();
      SearchFilter byMetadata = SearchFilter.builder().metadata(v, v).build();
      for (SearchFilter f : List.of(bySource, byWorkspace, byMetadata)) {
        assertThat(store.search(VectorQuery.of(c, Embedding.of(1, 0, 0), 100).withFilter(f)))
            .as("search filtered by %s", f)
            .extracting(SearchHit::documentKey)
            .containsExactly(v);
        assertThat(store.listDocuments(new DocumentQuery(c, f, 0, 100)).items())
            .extracting(Document::key)
            .containsExactly(v);
      }
      assertThat(store.keywordSearch(KeywordQuery.of(c, v, 100))).isNotNull();
    }
    assertThat(
            store.search(
                VectorQuery.of(c, Embedding.of(1, 0, 0), 100)
                    .withFilter(SearchFilter.builder().sourceId("' OR '1'='1").build())))
        .as("a filter value is a value, not a condition")
        .isEmpty();
    assertThat(store.keywordSearch(KeywordQuery.of(c, "DROP TABLE chunks", 100)))
        .extracting(SearchHit::documentKey)
        .contains("'; DROP TABLE chunks; --");
    assertThat(store.deleteBySource(c, "%_%").documents()).isEqualTo(1);
    assertThat(store.deleteDocument(c, "a\"b'c\\d").documents()).isEqualTo(1);
    assertThat(tableCount()).isEqualTo(tables).isGreaterThanOrEqualTo(7);
    assertThat(store.listDocuments(DocumentQuery.of(c, 100)).items()).hasSize(HOSTILE.size() - 2);
  }

  @Test
  void hostileIdentifiersAreRejectedBeforeAnySqlIsBuilt() {
    for (String schema : List.of("x\"; DROP SCHEMA public; --", "Public", "pg_catalog", "a b")) {
      assertThatThrownBy(() -> PgVectorStore.builder(pool).schema(schema).build())
          .as(schema)
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("schema name");
    }
    for (String collection : List.of("c'; DROP TABLE chunks; --", "C", "c\"", "c;")) {
      assertThatThrownBy(() -> store.findCollection(collection))
          .as(collection)
          .isInstanceOf(InvalidInputException.class)
          .hasMessageStartingWith("Invalid collection name");
    }
  }

  @Test
  void aRowThePostgresqlConstraintsRejectFailsAloneAndTheRestOfTheBatchIsStored()
      throws SQLException {
    String c = "db-rejects";
    store.createCollection(CollectionSpec.of(c, "m", 3));
    store.upsert(c, List.of(doc("kept", "kept v1")));
    // An operator's own rule the Java checks know nothing about.
    execute(
        "ALTER TABLE \""
            + db.name()
            + "\".chunks ADD CONSTRAINT no_forbidden CHECK (text <> 'forbidden')");
    try {
      UpsertResult result =
          store.upsert(
              c,
              List.of(
                  doc("good-1", "fine"),
                  doc("bad", "forbidden"),
                  doc("kept", "forbidden"),
                  doc("good-2", "also fine")));

      assertThat(result.inserted()).isEqualTo(2);
      assertThat(result.failures())
          .extracting(UpsertResult.Failure::key)
          .containsExactlyInAnyOrder("bad", "kept");
      assertThat(result.failures().get(0).reason())
          .startsWith("PostgreSQL rejected the document: new row for relation \"chunks\"")
          .contains("violates check constraint \"no_forbidden\"")
          .endsWith("(SQLState 23514)");
      assertThat(store.findDocument(c, "bad")).isEmpty();
      assertThat(store.chunks(c, "kept")).extracting(Chunk::text).containsExactly("kept v1");
      assertThat(store.chunks(c, "good-2")).extracting(Chunk::text).containsExactly("also fine");
    } finally {
      execute("ALTER TABLE \"" + db.name() + "\".chunks DROP CONSTRAINT no_forbidden");
    }
  }

  @Test
  void concurrentBatchesOverTheSameKeysInOppositeOrderNeitherDeadlockNorDuplicate()
      throws Exception {
    String c = "contended";
    store.createCollection(CollectionSpec.of(c, "m", 8));
    List<DocumentInput> forward = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      forward.add(TestStores.doc("k" + i, 3, 8, i));
    }
    List<DocumentInput> backward = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      backward.add(TestStores.doc("k" + i, 2, 8, 1000 + i));
    }
    Collections.reverse(backward);
    try (PgVectorStore small =
            PgVectorStore.builder(pool).schema(db.name()).maxBatchDocuments(25).build();
        ExecutorService threads = Executors.newFixedThreadPool(2)) {
      for (int round = 0; round < 3; round++) {
        CountDownLatch go = new CountDownLatch(1);
        Future<UpsertResult> a =
            threads.submit(
                () -> {
                  go.await();
                  return small.upsert(c, forward);
                });
        Future<UpsertResult> b =
            threads.submit(
                () -> {
                  go.await();
                  return small.upsert(c, backward);
                });
        go.countDown();
        assertThat(a.get(120, TimeUnit.SECONDS).failures()).isEmpty();
        assertThat(b.get(120, TimeUnit.SECONDS).failures()).isEmpty();
      }
    }
    assertThat(store.listDocuments(DocumentQuery.of(c, 1000)).items()).hasSize(200);
    for (Document d : store.listDocuments(DocumentQuery.of(c, 1000)).items()) {
      List<Chunk> chunks = store.chunks(c, d.key());
      assertThat(chunks.size()).as(d.key()).isIn(2, 3);
    }
    long total = store.listChunks(ChunkQuery.of(c, 10_000)).items().size();
    assertThat(store.stats(c).chunks()).isEqualTo(total);
  }

  @Test
  void writesAreRecordedInTheOperationLog() throws SQLException {
    String c = "logged";
    store.createCollection(CollectionSpec.of(c, "m", 3));
    store.upsert(c, List.of(doc("one", "text one"), doc("two", "text two")));
    long chunkId = store.chunks(c, "one").get(0).id();
    assertThatThrownBy(
            () ->
                store.updateEmbeddings(
                    c, List.of(new EmbeddingUpdate(chunkId, Embedding.of(1, 2), "m", "h"))))
        .isInstanceOfSatisfying(
            PortfolioException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.DIMENSION_MISMATCH));

    List<String> rows = new ArrayList<>();
    try (Connection conn = db.dataSource().getConnection();
        Statement s = conn.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT operation, rows, success, coalesce(error, ''), duration_ms >= 0 FROM \""
                    + db.name()
                    + "\".operation_log WHERE collection = 'logged' ORDER BY id")) {
      while (rs.next()) {
        rows.add(
            rs.getString(1)
                + " rows="
                + rs.getLong(2)
                + " ok="
                + rs.getBoolean(3)
                + " timed="
                + rs.getBoolean(5)
                + (rs.getString(4).isEmpty() ? "" : " error=" + rs.getString(4).substring(0, 19)));
      }
    }
    assertThat(rows)
        .containsExactly(
            "create_collection rows=1 ok=true timed=true",
            "upsert rows=2 ok=true timed=true",
            "update_embeddings rows=0 ok=false timed=true error=Dimension mismatch:");
  }

  @Test
  void deletingADocumentRowCascadesToItsChunksAndSoftDeleteIsAStatusWithATimestamp()
      throws SQLException {
    String c = "cascade";
    store.createCollection(CollectionSpec.of(c, "m", 8));
    store.upsert(c, List.of(TestStores.doc("gone", 4, 8, 1), TestStores.doc("hidden", 2, 8, 2)));
    long id = store.findDocument(c, "gone").orElseThrow().id();

    // An operator deleting by hand: the foreign key takes the chunks with the document.
    execute("DELETE FROM \"" + db.name() + "\".documents WHERE id = " + id);
    assertThat(store.chunks(c, "gone")).isEmpty();
    assertThat(store.stats(c).chunks()).isEqualTo(2);

    store.softDelete(c, "hidden");
    Document hidden = store.findDocument(c, "hidden").orElseThrow();
    assertThat(hidden.status()).isEqualTo(dev.portfolio.core.model.DocumentStatus.DELETED);
    assertThat(hidden.deletedAt()).isNotNull();
    assertThatThrownBy(
            () ->
                execute(
                    "UPDATE \""
                        + db.name()
                        + "\".documents SET deleted_at = NULL WHERE id = "
                        + hidden.id()))
        .as("the schema keeps status and deleted_at consistent")
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("documents_deleted_at_check");
  }

  @Test
  void ensureAnnIndexesBuildsWhatIsMissing() {
    try (PgVectorStore noIndex =
        PgVectorStore.builder(pool).schema(db.name()).annIndexOnCreate(false).build()) {
      noIndex.createCollection(CollectionSpec.of("late-index", "m", 16));
      assertThat(noIndex.hasAnnIndex("late-index")).isFalse();

      assertThat(noIndex.ensureAnnIndexes()).contains("late-index");
      assertThat(noIndex.hasAnnIndex("late-index")).isTrue();
      assertThat(noIndex.ensureAnnIndexes()).doesNotContain("late-index");
    }
  }

  private static DocumentInput doc(String key, String text) {
    return DocumentInput.builder(key).chunk(ChunkInput.of(0, text)).build();
  }

  private int tableCount() throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = '"
                    + db.name()
                    + "' AND table_name NOT LIKE 'embeddings\\_%'")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private void execute(String sql) throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  @Test
  void reUpsertAfterUpdateEmbeddingsComparesStoredChunksWhenNoDigestIsKnown() {
    String c = "digestless";
    store.createCollection(CollectionSpec.of(c, "m", 3));
    DocumentInput doc =
        DocumentInput.builder("d")
            .chunk(ChunkInput.embedded(0, "first text", Embedding.of(1, 0, 0), "m"))
            .chunk(ChunkInput.embedded(1, "second text", Embedding.of(0, 1, 0), "m"))
            .build();
    assertThat(store.upsert(c, List.of(doc)).inserted()).isEqualTo(1);

    // updateEmbeddings writes chunks by another path: the stored digest is cleared.
    List<Chunk> chunks = store.chunks(c, "d");
    store.updateEmbeddings(
        c,
        List.of(
            new EmbeddingUpdate(
                chunks.get(0).id(), Embedding.of(1, 0, 0), "m", chunks.get(0).contentHash())));

    // Same vectors: found equal by comparing the stored chunks, so unchanged.
    UpsertResult same = store.upsert(c, List.of(doc));
    assertThat(same.unchanged()).isEqualTo(1);
    assertThat(same.written()).isZero();
    assertThat(store.chunks(c, "d"))
        .extracting(Chunk::id)
        .isEqualTo(chunks.stream().map(Chunk::id).toList());

    // And once more after a real change of vector: counted as an update.
    store.updateEmbeddings(
        c,
        List.of(
            new EmbeddingUpdate(
                chunks.get(1).id(), Embedding.of(0, 0, 1), "m", chunks.get(1).contentHash())));
    UpsertResult changed = store.upsert(c, List.of(doc));
    assertThat(changed.updated()).isEqualTo(1);
    assertThat(store.chunks(c, "d").get(1).embedding()).isEqualTo(Embedding.of(0, 1, 0));
  }

  @Test
  void theOperationLogKeepsRowsForItsRetention() throws java.sql.SQLException {
    String log = "\"" + db.name() + "\".operation_log";
    try (java.sql.Connection c = pool.getConnection();
        java.sql.Statement s = c.createStatement()) {
      s.execute("DELETE FROM " + log);
      s.execute(
          "INSERT INTO "
              + log
              + " (operation, started_at, duration_ms, success) SELECT 'old', now() - interval"
              + " '40 days', 1, true FROM generate_series(1, 3)");
      s.execute(
          "INSERT INTO "
              + log
              + " (operation, started_at, duration_ms, success) VALUES ('recent', now() -"
              + " interval '1 day', 1, true)");
    }
    String count = "SELECT count(*) FROM " + log + " WHERE operation = ?";
    PgVectorStore keeping =
        PgVectorStore.builder(pool).schema(db.name()).operationLogRetention(Duration.ZERO).build();
    keeping.createCollection(CollectionSpec.of("log-kept", "m", 4));
    assertThat(single(count, "old")).as("retention zero keeps every row").isEqualTo(3);

    // A new instance prunes on its first write; the default retention is 30 days.
    PgVectorStore pruning = PgVectorStore.builder(pool).schema(db.name()).build();
    pruning.createCollection(CollectionSpec.of("log-pruned", "m", 4));

    assertThat(single(count, "old")).isZero();
    assertThat(single(count, "recent")).isEqualTo(1);
    assertThat(single(count, "create_collection")).isEqualTo(2);
    assertThatThrownBy(
            () -> PgVectorStore.builder(pool).operationLogRetention(Duration.ofMinutes(30)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("at least one hour");
  }

  private long single(String sql, String operation) throws java.sql.SQLException {
    try (java.sql.Connection c = pool.getConnection();
        java.sql.PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, operation);
      try (java.sql.ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
