package dev.portfolio.index.pgvector;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.portfolio.core.model.ChunkInput;
import dev.portfolio.core.model.CollectionInfo;
import dev.portfolio.core.model.CollectionSpec;
import dev.portfolio.core.model.DocumentInput;
import dev.portfolio.core.model.KeywordQuery;
import dev.portfolio.core.model.MetadataFilters;
import dev.portfolio.core.model.SearchFilter;
import dev.portfolio.core.model.SearchHit;
import dev.portfolio.core.model.VectorQuery;
import dev.portfolio.index.testing.PostgresSchemaExtension;
import dev.portfolio.index.testing.TestSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Per-collection metadata filters on PostgreSQL: the keys recorded in the collection's row, the
 * partial GIN index {@code documents_<id>_filters} that filtered keyword and vector searches use
 * (per {@code EXPLAIN}, on a collection of 3,000 documents beside another collection), an invalid
 * leftover rebuilt, and the index dropped with its collection.
 */
@ExtendWith(PostgresSchemaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetadataFilterIndexIT {
  private static final int DIMENSION = 16;
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
    c = store.createCollection(CollectionSpec.of("manuals", "m", DIMENSION));
    CollectionInfo other = store.createCollection(CollectionSpec.of("others", "m", DIMENSION));
    store.upsert(c.name(), documents("doc-", DOCUMENTS));
    store.upsert(other.name(), documents("other-", 1000));
  }

  /** One document in a hundred is French; every document has a product. */
  private static List<DocumentInput> documents(String prefix, int count) {
    List<DocumentInput> docs = new ArrayList<>();
    for (int d = 0; d < count; d++) {
      docs.add(
          DocumentInput.builder(prefix + d)
              .sourceId("src-" + (d % 10))
              .metadata("lang", d % 100 == 0 ? "fr" : "en")
              .metadata("product", "p" + (d % 7))
              .chunk(
                  ChunkInput.embedded(
                      0,
                      "manual page " + d + (d % 2 == 0 ? " printer setup" : " scanner setup"),
                      TestStores.vector(d, DIMENSION),
                      "m"))
              .build());
    }
    return docs;
  }

  @AfterAll
  void close() {
    store.close();
    pool.close();
  }

  private static SearchFilter french() {
    return SearchFilter.builder().metadata("lang", "fr").build();
  }

  @Test
  void definedFiltersAreRecordedIndexedAndUsedByFilteredSearches() throws SQLException {
    String index = "documents_" + c.id() + "_filters";

    MetadataFilters first = store.defineFilters(c.name(), Set.of("lang", "product"));
    long oid = indexOid(index);
    MetadataFilters second = store.defineFilters(c.name(), Set.of("lang"));

    assertThat(first.keys()).containsExactly("lang", "product");
    assertThat(first.index()).isEqualTo(MetadataFilters.IndexState.VALID);
    assertThat(first.indexName()).isEqualTo(index);
    assertThat(second).as("defining the same keys again is a no-op").isEqualTo(first);
    assertThat(indexOid(index)).as("the index was not rebuilt").isEqualTo(oid);
    assertThat(settings(c.id())).isEqualTo("{\"filters\": [\"lang\", \"product\"]}");
    assertThat(indexDefinition(index))
        .contains("USING gin (metadata jsonb_path_ops)")
        .contains("WHERE (collection_id = " + c.id() + ")");
    assertThat(store.filterIndexSql(c.name()))
        .isEqualTo(
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS "
                + index
                + " ON \""
                + db.name()
                + "\".documents USING gin (metadata jsonb_path_ops) WHERE collection_id = "
                + c.id());

    String keyword =
        store.explainKeywordSearch(new KeywordQuery(c.name(), "printer setup", 10, french()));
    String vector =
        store.explainSearch(
            VectorQuery.of(c.name(), TestStores.vector(3, DIMENSION), 10).withFilter(french()));

    String common =
        store.explainSearch(
            VectorQuery.of(c.name(), TestStores.vector(3, DIMENSION), 10)
                .withFilter(SearchFilter.builder().metadata("lang", "en").build()));

    assertThat(keyword).contains("Bitmap Index Scan on " + index);
    assertThat(vector).contains("Bitmap Index Scan on " + index);
    assertThat(common)
        .as("a filter most documents pass keeps the HNSW scan")
        .contains("Index Scan using embeddings_" + store.activeSet(c.name()).id() + "_ann");
    List<SearchHit> hits =
        store.keywordSearch(new KeywordQuery(c.name(), "printer setup", 50, french()));
    assertThat(hits).hasSize(DOCUMENTS / 100);
    assertThat(hits).allSatisfy(h -> assertThat(h.metadata()).containsEntry("lang", "fr"));
    assertThat(
            store.search(
                VectorQuery.of(c.name(), TestStores.vector(300, DIMENSION), 3)
                    .withFilter(french())))
        .extracting(SearchHit::documentKey)
        .first()
        .isEqualTo("doc-300");
  }

  @Test
  void aMissingOrInvalidIndexIsReportedAndRebuiltByTheNextDefinition() throws SQLException {
    CollectionInfo col = store.createCollection(CollectionSpec.of("rebuilt", "m", DIMENSION));
    store.upsert(col.name(), documents("r-", 50));
    String index = "documents_" + col.id() + "_filters";
    store.defineFilters(col.name(), Set.of("lang"));

    execute("DROP INDEX \"" + db.name() + "\"." + index);
    assertThat(store.filters(col.name()).index()).isEqualTo(MetadataFilters.IndexState.MISSING);
    assertThat(store.filters(col.name()).isUsable()).isFalse();
    assertThat(store.defineFilters(col.name(), Set.of()).index())
        .isEqualTo(MetadataFilters.IndexState.VALID);

    // A failed concurrent build leaves an invalid index behind under the same name.
    execute("DROP INDEX \"" + db.name() + "\"." + index);
    try {
      execute(
          "CREATE UNIQUE INDEX CONCURRENTLY "
              + index
              + " ON \""
              + db.name()
              + "\".documents (collection_id) WHERE collection_id = "
              + col.id());
    } catch (SQLException expected) {
      assertThat(expected.getSQLState()).isEqualTo("23505");
    }
    assertThat(store.filters(col.name()).index()).isEqualTo(MetadataFilters.IndexState.INVALID);

    MetadataFilters rebuilt = store.defineFilters(col.name(), Set.of("lang"));

    assertThat(rebuilt.index()).isEqualTo(MetadataFilters.IndexState.VALID);
    assertThat(indexDefinition(index)).contains("jsonb_path_ops");
  }

  @Test
  void droppingTheCollectionDropsItsFilterIndex() throws SQLException {
    CollectionInfo col = store.createCollection(CollectionSpec.of("dropped", "m", DIMENSION));
    String index = "documents_" + col.id() + "_filters";
    store.defineFilters(col.name(), Set.of("lang"));
    assertThat(indexOid(index)).isPositive();

    assertThat(store.dropCollection(col.name())).isTrue();

    assertThat(indexOid(index)).as("no index named " + index).isZero();
    store.createCollection(CollectionSpec.of("dropped", "m", DIMENSION));
    assertThat(store.filters("dropped").keys()).isEmpty();
  }

  private long indexOid(String index) throws SQLException {
    try (Connection conn = db.dataSource().getConnection();
        PreparedStatement ps = conn.prepareStatement("SELECT coalesce(to_regclass(?)::oid, 0)")) {
      ps.setString(1, "\"" + db.name() + "\"." + index);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private String indexDefinition(String index) throws SQLException {
    try (Connection conn = db.dataSource().getConnection();
        PreparedStatement ps =
            conn.prepareStatement(
                "SELECT indexdef FROM pg_indexes WHERE schemaname = ? AND indexname = ?")) {
      ps.setString(1, db.name());
      ps.setString(2, index);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  private String settings(long collectionId) throws SQLException {
    try (Connection conn = db.dataSource().getConnection();
        PreparedStatement ps =
            conn.prepareStatement(
                "SELECT settings::text FROM \"" + db.name() + "\".collections WHERE id = ?")) {
      ps.setLong(1, collectionId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  private void execute(String sql) throws SQLException {
    try (Connection conn = db.dataSource().getConnection();
        Statement s = conn.createStatement()) {
      s.execute(sql);
    }
  }
}
