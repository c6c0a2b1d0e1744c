package dev.portfolio.index.pgvector;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.portfolio.core.model.ChunkInput;
import dev.portfolio.core.model.CollectionInfo;
import dev.portfolio.core.model.CollectionSpec;
import dev.portfolio.core.model.DocumentInput;
import dev.portfolio.core.model.HybridQuery;
import dev.portfolio.core.model.KeywordQuery;
import dev.portfolio.core.model.SearchFilter;
import dev.portfolio.core.model.SearchHit;
import dev.portfolio.core.model.VectorQuery;
import dev.portfolio.index.testing.PostgresSchemaExtension;
import dev.portfolio.index.testing.TestSchema;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The plans of searches right after a bulk load, with no ANALYZE run by hand: vector search uses
 * the active set's HNSW index, keyword search the GIN index (also when most query words are in most
 * chunks), hybrid search both; and the store merged the keyword index's pending list.
 */
@ExtendWith(PostgresSchemaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SearchPlanIT {
  private static final int DIMENSION = 64;
  private static final int DOCUMENTS = 3000;

  private TestSchema db;
  private HikariDataSource pool;
  private PgVectorStore store;
  private CollectionInfo c;

  @BeforeAll
  void load(TestSchema schema) {
    db = schema;
    TestStores.install(db);
    pool = TestStores.pool(db);
    store = PgVectorStore.builder(pool).schema(db.name()).build();
    // The HNSW index exists from the start; one upsert of 3,000 chunks; nobody runs ANALYZE.
    c = store.createCollection(CollectionSpec.of("plans", "m", DIMENSION));
    List<DocumentInput> docs = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(7);
    for (int d = 0; d < DOCUMENTS; d++) {
      docs.add(
          DocumentInput.builder("doc-" + d)
              .sourceId("src-" + (d % 10))
              .chunk(ChunkInput.embedded(0, text(d, random), TestStores.vector(d, DIMENSION), "m"))
              .build());
    }
    store.upsert(c.name(), docs);
  }

  @AfterAll
  void close() {
    store.close();
    pool.close();
  }

  /**
   * Every chunk has "the" and "of", half have "process", a tenth "file"; "zeppelin" is in three;
   * plus a few words from a Zipf-like vocabulary of 2,000.
   */
  private static String text(int d, SplittableRandom random) {
    StringBuilder sb = new StringBuilder("the list of ");
    sb.append(d % 2 == 0 ? "process " : "thread ");
    sb.append(d % 10 == 0 ? "file " : "pipe ");
    if (d % 1000 == 7) {
      sb.append("zeppelin ");
    }
    for (int i = 0; i < 30; i++) {
      // Zipf-like: word k with probability ~ 1/k.
      int k = (int) Math.floor(Math.pow(2000, random.nextDouble()));
      sb.append("w").append(k).append(' ');
    }
    return sb.toString().strip();
  }

  @Test
  void vectorSearchUsesTheHnswIndexRightAfterABulkLoad() {
    String plan =
        store.explainSearch(VectorQuery.of(c.name(), TestStores.vector(5, DIMENSION), 10));

    assertThat(plan)
        .contains("Index Scan using embeddings_" + store.activeSet(c.name()).id() + "_ann")
        .doesNotContain("Seq Scan");
  }

  @Test
  void keywordSearchFindsCandidatesThroughTheGinIndex() {
    String rare = store.explainKeywordSearch(KeywordQuery.of(c.name(), "the zeppelin", 10));
    String filtered =
        store.explainKeywordSearch(
            new KeywordQuery(
                c.name(), "the file", 10, SearchFilter.builder().sourceId("src-0").build()));

    assertThat(rare)
        .contains("Bitmap Index Scan on chunks_text_tsv_idx")
        .doesNotContain("Seq Scan on chunks")
        .as("no per-row subquery")
        .doesNotContain("SubPlan")
        .as("documents are read by key for the best candidates only, never scanned")
        .doesNotContain("Seq Scan on documents")
        .containsPattern("Index Scan using documents_\\w+ on documents d\\b")
        .contains("Index Scan using chunks_pkey on chunks c");
    assertThat(filtered).contains("Bitmap Index Scan on chunks_text_tsv_idx");
    List<SearchHit> hits = store.keywordSearch(KeywordQuery.of(c.name(), "the zeppelin", 10));
    assertThat(hits)
        .extracting(SearchHit::documentKey)
        .containsExactlyInAnyOrder("doc-7", "doc-1007", "doc-2007");
  }

  @Test
  void wordsInMostChunksNeverMakeTheKeywordSearchReadEveryRow() {
    // "the", "of" and "list" are in every chunk, "process" in half: no word is rare, so the
    // candidates are the chunks with every word, and at most Search.MAX_MATCHES of them are read.
    String plan = store.explainKeywordSearch(KeywordQuery.of(c.name(), "the list of process", 10));

    assertThat(plan).contains("Limit").doesNotContain("SubPlan");
    List<SearchHit> hits =
        store.keywordSearch(KeywordQuery.of(c.name(), "the list of process", 10));
    assertThat(hits).hasSize(10);
    assertThat(hits).allSatisfy(h -> assertThat(h.text()).startsWith("the list of process"));
    assertThat(plan.split("Limit", -1).length - 1)
        .as("an inner Limit bounds the matches ranked")
        .isEqualTo(2);
  }

  @Test
  void hybridSearchUsesBothIndexes() {
    String plan =
        store.explainHybridSearch(
            HybridQuery.of(c.name(), TestStores.vector(5, DIMENSION), "zeppelin pipe", 10));

    assertThat(plan)
        .contains("-- vector search", "-- keyword search")
        .contains("Index Scan using embeddings_" + store.activeSet(c.name()).id() + "_ann")
        .contains("Bitmap Index Scan on chunks_text_tsv_idx")
        .as("the query vector is redacted")
        .contains("'[" + DIMENSION + " values]'");
  }

  @Test
  void theStoreMergedTheKeywordIndexPendingListAfterTheBulkLoad() throws SQLException {
    // The function returns the pending pages it merged: none are left after the store's merge.
    try (Connection conn = db.dataSource().getConnection();
        Statement s = conn.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT \"" + db.name() + "\".merge_keyword_pending_list()")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getLong(1)).isZero();
    }
  }
}
