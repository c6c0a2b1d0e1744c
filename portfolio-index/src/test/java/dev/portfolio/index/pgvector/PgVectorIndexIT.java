package dev.portfolio.index.pgvector;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.portfolio.core.model.Chunk;
import dev.portfolio.core.model.ChunkInput;
import dev.portfolio.core.model.ChunkQuery;
import dev.portfolio.core.model.CollectionInfo;
import dev.portfolio.core.model.CollectionSpec;
import dev.portfolio.core.model.Distance;
import dev.portfolio.core.model.DocumentInput;
import dev.portfolio.core.model.Embedding;
import dev.portfolio.core.model.SearchFilter;
import dev.portfolio.core.model.SearchHit;
import dev.portfolio.core.model.VectorQuery;
import dev.portfolio.index.testing.PostgresSchemaExtension;
import dev.portfolio.index.testing.TestSchema;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Searches use the active set's HNSW index, for vector and halfvec dimensions. */
@ExtendWith(PostgresSchemaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PgVectorIndexIT {
  private HikariDataSource pool;
  private PgVectorStore store;
  private PgVectorStore bulk;
  private TestSchema db;

  @BeforeAll
  void open(TestSchema schema) {
    db = schema;
    TestStores.install(db);
    pool = TestStores.pool(db);
    store = PgVectorStore.builder(pool).schema(db.name()).build();
    bulk = PgVectorStore.builder(pool).schema(db.name()).annIndexOnCreate(false).build();
  }

  @AfterAll
  void close() {
    bulk.close();
    store.close();
    pool.close();
  }

  @Test
  void vectorSearchIsServedByTheCollectionsPartialHnswIndex() throws SQLException {
    CollectionInfo c = bulk.createCollection(CollectionSpec.of("explain-384", "m", 384));
    CollectionInfo other = store.createCollection(CollectionSpec.of("explain-other", "m", 384));
    load(c.name(), 4000, 384, 1);
    load(other.name(), 500, 384, 2);
    bulk.createAnnIndex(c.name());
    analyze();

    String plan = store.explainSearch(VectorQuery.of(c.name(), TestStores.vector(7, 384), 10));
    String filtered =
        store.explainSearch(
            VectorQuery.of(c.name(), TestStores.vector(7, 384), 10)
                .withFilter(SearchFilter.builder().sourceId("src-3").build()));

    long set = store.activeSet(c.name()).id();
    String index = "embeddings_" + set + "_ann";
    assertThat(plan)
        .contains("Index Scan using " + index + " on embeddings_" + set)
        .doesNotContain("Seq Scan");
    assertThat(filtered).contains("Index Scan using " + index);
    assertThat(store.hasAnnIndex(c.name())).isTrue();
  }

  @Test
  void aBulkLoadLeavesStatisticsThatLetTheIndexServeSearchesWithoutAManualAnalyze()
      throws SQLException {
    CollectionInfo c = store.createCollection(CollectionSpec.of("fresh-load", "m", 384));
    // Statistics taken while the set was tiny: the planner would keep believing it is.
    load(c.name(), 20, 384, 6);
    try (Connection conn = db.dataSource().getConnection();
        Statement s = conn.createStatement()) {
      s.execute(
          "ANALYZE \""
              + db.name()
              + "\".embeddings_"
              + store.activeSet(c.name()).id()
              + ", \""
              + db.name()
              + "\".chunks, \""
              + db.name()
              + "\".documents");
    }
    loadFrom(c.name(), 20, 4000, 384, 6);

    String plan = store.explainSearch(VectorQuery.of(c.name(), TestStores.vector(11, 384), 10));

    assertThat(plan)
        .contains("Index Scan using embeddings_" + store.activeSet(c.name()).id() + "_ann")
        .as("the query vector is redacted")
        .contains("'[384 values]'")
        .doesNotContainPattern("\\[-?[0-9]+\\.[0-9]+,");
  }

  @Test
  void collectionsAbove2000DimensionsUseAHalfvecIndexAnd3072DimensionsWork() throws SQLException {
    CollectionInfo c = bulk.createCollection(CollectionSpec.of("large-3072", "m", 3072));
    assertThat(bulk.hasAnnIndex(c.name())).isFalse();
    load(c.name(), 3000, 3072, 3);
    assertThat(bulk.createAnnIndex(c.name())).isTrue();
    assertThat(bulk.createAnnIndex(c.name())).as("already built").isFalse();
    analyze();

    Embedding probe = TestStores.vector(3 * 1000 + 42, 3072);
    List<SearchHit> hits = store.search(VectorQuery.of(c.name(), probe, 5));
    String plan = store.explainSearch(VectorQuery.of(c.name(), probe, 5));

    assertThat(hits).isNotEmpty();
    assertThat(hits.get(0).documentKey()).isEqualTo("doc-42");
    assertThat(hits.get(0).score()).isGreaterThan(0.999);
    long set = store.activeSet(c.name()).id();
    assertThat(plan).contains("Index Scan using embeddings_" + set + "_ann");
    assertThat(indexDefinition("embeddings_" + set + "_ann"))
        .contains("USING hnsw (((embedding)::halfvec(3072)) halfvec_cosine_ops)");
    assertThat(store.chunks(c.name(), "doc-42").get(0).embedding()).isEqualTo(probe);
  }

  @Test
  void efSearchPerQueryTradesSpeedForRecall() throws SQLException {
    CollectionInfo c = bulk.createCollection(new CollectionSpec("ef-search", "m", 48, Distance.L2));
    load(c.name(), 5000, 48, 4);
    bulk.createAnnIndex(c.name());
    analyze();
    List<Chunk> all;
    try (var stream = store.streamChunks(ChunkQuery.of(c.name(), 5000))) {
      all = stream.toList();
    }

    double low = 0;
    double high = 0;
    int queries = 20;
    for (int q = 0; q < queries; q++) {
      Embedding probe = TestStores.vector(900_000 + q, 48);
      Set<Long> exact = exactTop10(all, probe);
      low += recall(exact, store.search(VectorQuery.of(c.name(), probe, 10).withEfSearch(10)));
      high += recall(exact, store.search(VectorQuery.of(c.name(), probe, 10).withEfSearch(400)));
    }

    assertThat(high / queries).isGreaterThanOrEqualTo(0.95);
    assertThat(low / queries).isLessThan(high / queries);
  }

  @Test
  void dimensionsAbove4000CannotBeIndexedAndSearchStaysExact() {
    CollectionInfo c = store.createCollection(CollectionSpec.of("huge-4096", "m", 4096));
    load(c.name(), 20, 4096, 5);

    assertThat(store.hasAnnIndex(c.name())).isFalse();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.createAnnIndex(c.name()))
        .hasMessage(
            "Embedding set "
                + store.activeSet(c.name()).id()
                + " of collection 'huge-4096' has 4096 dimensions; pgvector's HNSW index holds at"
                + " most 4000"
                + " (as halfvec). Its searches stay exact (sequential scan).");
    Embedding probe = TestStores.vector(5 * 1000 + 7, 4096);
    assertThat(store.search(VectorQuery.of(c.name(), probe, 1)).get(0).documentKey())
        .isEqualTo("doc-7");
  }

  private static Set<Long> exactTop10(List<Chunk> all, Embedding probe) {
    return all.stream()
        .sorted(Comparator.comparingDouble(ch -> Distance.L2.distance(probe, ch.embedding())))
        .limit(10)
        .map(Chunk::id)
        .collect(Collectors.toSet());
  }

  private static double recall(Set<Long> exact, List<SearchHit> hits) {
    return hits.stream().filter(h -> exact.contains(h.chunkId())).count() / 10.0;
  }

  private void load(String collection, int documents, int dimension, long seed) {
    loadFrom(collection, 0, documents, dimension, seed);
  }

  private void loadFrom(String collection, int from, int documents, int dimension, long seed) {
    List<DocumentInput> batch = new ArrayList<>();
    for (int d = from; d < documents; d++) {
      batch.add(
          DocumentInput.builder("doc-" + d)
              .sourceId("src-" + (d % 10))
              .chunk(
                  ChunkInput.embedded(
                      0, "text " + d, TestStores.vector(seed * 1000 + d, dimension), "m"))
              .build());
      if (batch.size() == 500) {
        store.upsert(collection, batch);
        batch.clear();
      }
    }
    if (!batch.isEmpty()) {
      store.upsert(collection, batch);
    }
  }

  private void analyze() throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("ANALYZE \"" + db.name() + "\".chunks");
      s.execute("ANALYZE \"" + db.name() + "\".documents");
    }
  }

  private String indexDefinition(String index) throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        var ps =
            c.prepareStatement(
                "SELECT indexdef FROM pg_indexes WHERE schemaname = ? AND indexname = ?")) {
      ps.setString(1, db.name());
      ps.setString(2, index);
      try (var rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : "";
      }
    }
  }
}
