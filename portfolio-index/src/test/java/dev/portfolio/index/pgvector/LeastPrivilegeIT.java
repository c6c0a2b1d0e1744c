package dev.portfolio.index.pgvector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.PortfolioException;
import dev.portfolio.core.model.Chunk;
import dev.portfolio.core.model.ChunkInput;
import dev.portfolio.core.model.ChunkQuery;
import dev.portfolio.core.model.CollectionSpec;
import dev.portfolio.core.model.DeleteResult;
import dev.portfolio.core.model.DocumentInput;
import dev.portfolio.core.model.DocumentQuery;
import dev.portfolio.core.model.DocumentStatus;
import dev.portfolio.core.model.EmbeddingUpdate;
import dev.portfolio.core.model.HybridQuery;
import dev.portfolio.core.model.KeywordQuery;
import dev.portfolio.core.model.VectorQuery;
import dev.portfolio.index.schema.PortfolioSchema;
import dev.portfolio.index.testing.PostgresSchemaExtension;
import dev.portfolio.index.testing.TestSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * After the schema is installed by its owner, every runtime operation works under a role with only
 * SELECT, INSERT, UPDATE, DELETE on the tables and USAGE on the schema and its sequences: upserts,
 * searches, deletes and writing vectors into an existing set. Creating a collection or a set (a
 * partition) and building an index are DDL, and the error names the SQL an owner must run.
 */
@ExtendWith(PostgresSchemaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LeastPrivilegeIT {
  private TestSchema db;
  private String role;
  private HikariDataSource runtimePool;

  @BeforeAll
  void createRuntimeRole(TestSchema schema) throws SQLException {
    db = schema;
    TestStores.install(db);
    role = "portfolio_rt_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement()) {
      requireCreateRole(c);
      s.execute("CREATE ROLE " + role + " NOLOGIN");
      // The test connects as the owner and switches to the runtime role with SET ROLE.
      s.execute("GRANT " + role + " TO current_user");
    }
    PortfolioSchema.grantRuntimeAccess(db.dataSource(), db.name(), role);
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(db.jdbcUrl());
    config.setMaximumPoolSize(3);
    config.setConnectionInitSql("SET ROLE " + role);
    runtimePool = new HikariDataSource(config);
  }

  @AfterAll
  void dropRuntimeRole() throws SQLException {
    if (runtimePool != null) {
      runtimePool.close();
    }
    if (role != null) {
      try (Connection c = db.dataSource().getConnection();
          Statement s = c.createStatement()) {
        s.execute("DROP OWNED BY " + role);
        s.execute("DROP ROLE IF EXISTS " + role);
      }
    }
  }

  @Test
  void theRuntimeRoleHasNoDdlRights() throws SQLException {
    try (Connection c = runtimePool.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT current_user, has_schema_privilege(?, 'CREATE'),"
                    + " pg_has_role(current_user, (SELECT relowner FROM pg_class"
                    + " WHERE oid = to_regclass(?)), 'USAGE')")) {
      ps.setString(1, db.name());
      ps.setString(2, "\"" + db.name() + "\".chunks");
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo(role);
        assertThat(rs.getBoolean(2)).as("CREATE on the schema").isFalse();
        assertThat(rs.getBoolean(3)).as("owns the chunks table").isFalse();
      }
    }
  }

  @Test
  void everyRuntimeOperationWorksWithDataPrivilegesOnly() {
    String name = "rt-docs";
    long building;
    try (PgVectorStore owner = PgVectorStore.builder(db.dataSource()).schema(db.name()).build()) {
      owner.createCollection(CollectionSpec.of(name, "m", 3));
      building = owner.createBuildingSet(name, "m2", 2).id();
    }
    try (PgVectorStore store = PgVectorStore.builder(runtimePool).schema(db.name()).build()) {
      assertThat(store.findCollection(name)).isPresent();
      assertThat(store.listCollections()).isNotEmpty();
      assertThat(store.embeddingSets(name)).hasSize(2);

      assertThat(
              store
                  .upsert(
                      name,
                      List.of(
                          DocumentInput.builder("a")
                              .sourceId("s1")
                              .chunk(ChunkInput.embedded(0, "alpha words", vec(1, 0, 0), "m"))
                              .chunk(ChunkInput.of(1, "beta words"))
                              .build(),
                          DocumentInput.builder("b")
                              .sourceId("s2")
                              .chunk(ChunkInput.embedded(0, "gamma words", vec(0, 1, 0), "m"))
                              .build()))
                  .inserted())
          .isEqualTo(2);
      assertThat(store.upsert(name, List.of(TestStores.doc("b", 1, 3, 9))).updated()).isEqualTo(1);
      assertThat(store.search(VectorQuery.of(name, vec(1, 0, 0), 5))).isNotEmpty();
      assertThat(store.explainSearch(VectorQuery.of(name, vec(1, 0, 0), 5))).contains("Limit");
      assertThat(store.keywordSearch(KeywordQuery.of(name, "alpha", 5))).hasSize(1);
      assertThat(store.hybridSearch(HybridQuery.of(name, vec(1, 0, 0), "words", 5))).isNotEmpty();
      assertThat(store.listDocuments(DocumentQuery.of(name, 10)).items()).hasSize(2);
      List<Chunk> missing;
      try (Stream<Chunk> s =
          store.streamChunks(
              ChunkQuery.of(name, 1)
                  .withEmbeddingState(dev.portfolio.core.model.EmbeddingState.MISSING))) {
        missing = s.toList();
      }
      assertThat(missing).hasSize(1);
      assertThat(
              store.updateEmbeddings(
                  name,
                  List.of(
                      new EmbeddingUpdate(
                          missing.get(0).id(), vec(0, 0, 1), "m", missing.get(0).contentHash()))))
          .isEqualTo(1);
      // Writing a building set's vectors is DML: the runtime role re-embeds.
      List<EmbeddingUpdate> next = new java.util.ArrayList<>();
      try (Stream<Chunk> s =
          store.streamChunks(
              ChunkQuery.of(name, 10)
                  .inSet(building)
                  .withEmbeddingState(dev.portfolio.core.model.EmbeddingState.MISSING))) {
        s.forEach(c -> next.add(new EmbeddingUpdate(c.id(), vec(1, 1), "m2", c.contentHash())));
      }
      assertThat(store.writeVectors(name, building, next)).isEqualTo(3);
      assertThat(store.stats(name, building).coverage()).isEqualTo(1.0);
      assertThatThrownBy(() -> store.dropSet(name, building))
          .isInstanceOfSatisfying(
              PortfolioException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION_DENIED))
          .hasMessageContaining("needs DDL")
          .hasMessageContaining("DROP TABLE IF EXISTS \"" + db.name() + "\".\"embeddings_");
      assertThat(store.embeddingSets(name)).as("nothing dropped").hasSize(2);
      assertThat(store.updateStatus(name, "a", DocumentStatus.FAILED, "boom")).isTrue();
      assertThat(store.softDelete(name, "a")).isTrue();
      assertThat(store.restore(name, "a")).isTrue();
      assertThat(store.stats(name).chunks()).isEqualTo(3);
      assertThat(store.storageBytes(name).orElseThrow()).isPositive();
      assertThat(store.deleteDocument(name, "a")).isEqualTo(new DeleteResult(1, 2));
      assertThat(store.deleteBySource(name, "b")).isEqualTo(new DeleteResult(1, 1));
      assertThat(store.dropCollection(name)).isTrue();
      assertThat(store.findCollection(name)).isEmpty();
    }
  }

  @Test
  void creatingACollectionOrASetWithoutDdlRightsNamesTheSqlAnOwnerMustRun() throws SQLException {
    String message;
    try (PgVectorStore store = PgVectorStore.builder(runtimePool).schema(db.name()).build()) {
      Throwable thrown =
          org.assertj.core.api.Assertions.catchThrowable(
              () -> store.createCollection(CollectionSpec.of("rt-new", "m", 3)));
      assertThat(thrown)
          .isInstanceOfSatisfying(
              PortfolioException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION_DENIED))
          .hasMessageContaining("Creating collection 'rt-new' needs DDL")
          .hasMessageContaining("ATTACH PARTITION");
      assertThat(store.findCollection("rt-new")).as("nothing half-created").isEmpty();
      message = thrown.getMessage();
    }
    // The SQL in the message is complete: the owner runs it, and the collection exists.
    String sql = message.substring(message.indexOf("execute:\n") + "execute:\n".length());
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
    try (PgVectorStore store = PgVectorStore.builder(runtimePool).schema(db.name()).build()) {
      assertThat(store.findCollection("rt-new")).isPresent();
      assertThat(store.hasAnnIndex("rt-new")).isTrue();
      store.upsert("rt-new", List.of(TestStores.doc("x", 2, 3, 1)));
      assertThat(store.search(VectorQuery.of("rt-new", vec(1, 0, 0), 5))).hasSize(2);
      assertThatThrownBy(() -> store.createBuildingSet("rt-new", "m2", 4))
          .isInstanceOfSatisfying(
              PortfolioException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION_DENIED))
          .hasMessageContaining("needs DDL")
          .hasMessageContaining("CHECK (vector_dims(embedding) = 4)");
      assertThat(store.buildingSet("rt-new")).isEmpty();
    }
  }

  @Test
  void declaringFiltersWithoutDdlRightsRecordsTheKeysAndNamesTheIndexSqlAnOwnerMustRun()
      throws SQLException {
    long id;
    try (PgVectorStore owner = PgVectorStore.builder(db.dataSource()).schema(db.name()).build()) {
      id = owner.createCollection(CollectionSpec.of("rt-filters", "m", 3)).id();
    }
    String message;
    try (PgVectorStore store = PgVectorStore.builder(runtimePool).schema(db.name()).build()) {
      Throwable thrown =
          org.assertj.core.api.Assertions.catchThrowable(
              () -> store.defineFilters("rt-filters", java.util.Set.of("lang")));
      assertThat(thrown)
          .isInstanceOfSatisfying(
              PortfolioException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION_DENIED))
          .hasMessageStartingWith(
              "Metadata filters [lang] of collection 'rt-filters' are recorded, but their index is"
                  + " DDL: it needs ownership of table \""
                  + db.name()
                  + "\".documents, which"
                  + " role '"
                  + role
                  + "' lacks.")
          .hasMessageEndingWith(
              "execute: CREATE INDEX CONCURRENTLY IF NOT EXISTS documents_"
                  + id
                  + "_filters ON \""
                  + db.name()
                  + "\".documents USING gin (metadata jsonb_path_ops) WHERE collection_id = "
                  + id
                  + ";");
      message = thrown.getMessage();
      assertThat(store.filters("rt-filters").keys()).containsExactly("lang");
      assertThat(store.filters("rt-filters").index())
          .isEqualTo(dev.portfolio.core.model.MetadataFilters.IndexState.MISSING);
    }
    // The statement in the message is complete: the owner runs it, and the filters are usable.
    String sql = message.substring(message.indexOf("execute: ") + "execute: ".length());
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql.substring(0, sql.length() - 1));
    }
    try (PgVectorStore store = PgVectorStore.builder(runtimePool).schema(db.name()).build()) {
      assertThat(store.filters("rt-filters").index())
          .isEqualTo(dev.portfolio.core.model.MetadataFilters.IndexState.VALID);
      assertThat(store.defineFilters("rt-filters", java.util.Set.of("lang")).isUsable()).isTrue();
    }
  }

  @Test
  void buildingAnAnnIndexWithoutOwnershipSaysWhatToRun() {
    try (PgVectorStore owner =
        PgVectorStore.builder(db.dataSource()).schema(db.name()).annIndexOnCreate(false).build()) {
      owner.createCollection(CollectionSpec.of("rt-index", "m", 3));
    }
    try (PgVectorStore store = PgVectorStore.builder(runtimePool).schema(db.name()).build()) {
      assertThat(store.hasAnnIndex("rt-index")).isFalse();
      assertThatThrownBy(() -> store.createAnnIndex("rt-index"))
          .isInstanceOfSatisfying(
              PortfolioException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION_DENIED))
          .hasMessageContaining("needs ownership of table \"" + db.name() + "\".embeddings_")
          .hasMessageContaining("which role '" + role + "' lacks")
          .hasMessageContaining("CREATE INDEX CONCURRENTLY IF NOT EXISTS \"embeddings_")
          .hasMessageContaining("USING hnsw ((embedding::vector(3)) vector_cosine_ops)");
    }
    try (PgVectorStore owner = PgVectorStore.builder(db.dataSource()).schema(db.name()).build()) {
      assertThat(owner.createAnnIndex("rt-index")).isTrue();
      assertThat(owner.hasAnnIndex("rt-index")).isTrue();
    }
  }

  private static void requireCreateRole(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = current_user")) {
      rs.next();
      if (!rs.getBoolean(1)) {
        throw new IllegalStateException(
            "The test database role lacks CREATEROLE, which the least-privilege tests need to"
                + " create a runtime role. Re-run scripts/provision-postgres.sh (it grants it), or"
                + " as a superuser: ALTER ROLE <role> CREATEROLE;");
      }
    }
  }

  private static dev.portfolio.core.model.Embedding vec(float... v) {
    return dev.portfolio.core.model.Embedding.of(v);
  }

  @Test
  void theRuntimeRoleMergesTheKeywordIndexPendingListThroughTheSchemasFunction()
      throws SQLException {
    try (Connection c = runtimePool.getConnection();
        Statement s = c.createStatement()) {
      try (ResultSet rs =
          s.executeQuery("SELECT \"" + db.name() + "\".merge_keyword_pending_list()")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong(1)).isNotNegative();
      }
      assertThatThrownBy(
              () ->
                  s.executeQuery(
                      "SELECT gin_clean_pending_list('\""
                          + db.name()
                          + "\".chunks_text_tsv_idx'::regclass)"))
          .hasMessageContaining("must be owner");
    }
  }
}
