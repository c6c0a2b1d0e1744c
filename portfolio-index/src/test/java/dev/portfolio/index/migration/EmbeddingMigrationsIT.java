package dev.portfolio.index.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.PortfolioException;
import dev.portfolio.core.model.CollectionInfo;
import dev.portfolio.core.model.CollectionSpec;
import dev.portfolio.core.model.Distance;
import dev.portfolio.core.model.EmbeddingSet;
import dev.portfolio.core.model.EmbeddingUpdate;
import dev.portfolio.core.model.SearchHit;
import dev.portfolio.core.model.SetState;
import dev.portfolio.core.model.VectorQuery;
import dev.portfolio.index.pgvector.PgVectorStore;
import dev.portfolio.index.pgvector.TestStores;
import dev.portfolio.index.testing.PostgresSchemaExtension;
import dev.portfolio.index.testing.TestSchema;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresSchemaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmbeddingMigrationsIT {
  private TestSchema db;
  private HikariDataSource pool;
  private PgVectorStore store;
  private EmbeddingMigrations migrations;

  @BeforeAll
  void open(TestSchema schema) {
    db = schema;
    TestStores.install(db);
    pool = TestStores.pool(db);
    store = PgVectorStore.builder(pool).schema(db.name()).build();
    migrations = EmbeddingMigrations.on(pool, db.name());
  }

  @AfterAll
  void close() {
    store.close();
    pool.close();
  }

  @Test
  void generatedSqlCreatesABuildingSetWhileSearchesKeepReadingTheActiveOne() throws Exception {
    CollectionInfo c =
        store.createCollection(new CollectionSpec("gen-sql", "old-model", 8, Distance.L2));
    store.upsert(c.name(), List.of(TestStores.doc("d1", 3, 8, 1), TestStores.doc("d2", 3, 8, 2)));
    List<SearchHit> before = store.search(VectorQuery.of(c.name(), TestStores.vector(1001, 8), 3));

    EmbeddingMigration m = migrations.plan(c.name(), "new-model", 1536);

    long active = store.activeSet(c.name()).id();
    assertThat(m.activeSetId()).isEqualTo(active);
    assertThat(m.setId()).isGreaterThan(active);
    assertThat(m.fromModel()).isEqualTo("old-model");
    String partition = "\"" + db.name() + "\".\"embeddings_" + m.setId() + "\"";
    assertThat(m.prepareSql())
        .startsWith("-- Portfolio embedding migration for collection 'gen-sql'")
        .contains("--   from old-model (8 dimensions, set " + active + ", searched now)")
        .contains("--   to   new-model (1536 dimensions, building set " + m.setId())
        .contains("SET standard_conforming_strings = on;\nBEGIN;\n")
        .contains("values (" + m.setId() + ", " + c.id() + ", 'new-model', 1536, 'building')")
        .contains("CHECK (vector_dims(embedding) = 1536)")
        .contains("ATTACH PARTITION " + partition + " FOR VALUES IN (" + m.setId() + ")");
    assertThat(m.indexSql())
        .contains(
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS \"embeddings_"
                + m.setId()
                + "_ann\" ON "
                + partition
                + " USING hnsw ((embedding::vector(1536)) vector_l2_ops)"
                + " WITH (m = 16, ef_construction = 64)");
    assertThat(m.downSql()).contains("DROP TABLE IF EXISTS " + partition);

    psql(m.upSql(), true);

    EmbeddingSet building = store.buildingSet(c.name()).orElseThrow();
    assertThat(building.id()).isEqualTo(m.setId());
    assertThat(building.model()).isEqualTo("new-model");
    assertThat(indexExists("embeddings_" + m.setId() + "_ann")).isTrue();
    // The building set fills; searches stay on the active set.
    List<EmbeddingUpdate> vectors = new ArrayList<>();
    store
        .streamChunks(dev.portfolio.core.model.ChunkQuery.of(c.name(), 100).inSet(m.setId()))
        .forEach(
            ch ->
                vectors.add(
                    new EmbeddingUpdate(
                        ch.id(), TestStores.vector(ch.id(), 1536), "new-model", ch.contentHash())));
    assertThat(store.writeVectors(c.name(), m.setId(), vectors)).isEqualTo(6);
    assertThat(store.search(VectorQuery.of(c.name(), TestStores.vector(1001, 8), 3)))
        .isEqualTo(before);
    assertThat(store.findCollection(c.name()).orElseThrow().model()).isEqualTo("old-model");
    assertThat(store.stats(c.name(), m.setId()).embeddedChunks()).isEqualTo(6);

    psql(m.downSql(), true);

    assertThat(store.embeddingSets(c.name())).extracting(EmbeddingSet::id).containsExactly(active);
    assertThat(tableExists("embeddings_" + m.setId())).isFalse();
    assertThat(store.search(VectorQuery.of(c.name(), TestStores.vector(1001, 8), 3)))
        .isEqualTo(before);
  }

  @Test
  void theSameChangeAppliesProgrammaticallyAndReverts() throws SQLException {
    CollectionInfo c = store.createCollection(CollectionSpec.of("gen-api", "old-model", 4));
    store.upsert(c.name(), List.of(TestStores.doc("d1", 2, 4, 1)));
    EmbeddingMigration m = migrations.plan(c.name(), "big-model", 3072);

    migrations.apply(m, false);
    assertThat(store.buildingSet(c.name()).orElseThrow().dimension()).isEqualTo(3072);
    assertThat(indexExists("embeddings_" + m.setId() + "_ann")).isFalse();
    assertThat(migrations.plan(c.name(), "big-model", 3072))
        .as("planning the prepared migration again describes the same set")
        .isEqualTo(m);

    migrations.buildIndex(m);
    assertThat(indexExists("embeddings_" + m.setId() + "_ann")).isTrue();
    assertThat(indexDefinition("embeddings_" + m.setId() + "_ann"))
        .contains("halfvec(3072)")
        .contains("halfvec_cosine_ops");

    assertThat(migrations.revert(m)).isTrue();
    assertThat(store.buildingSet(c.name())).isEmpty();
    assertThat(tableExists("embeddings_" + m.setId())).isFalse();
    assertThat(migrations.revert(m)).as("a second revert finds nothing").isFalse();
  }

  @Test
  void aSecondMigrationWaitsForTheFirstAndANoOpIsRefused() {
    CollectionInfo c = store.createCollection(CollectionSpec.of("gen-guard", "m1", 4));
    EmbeddingMigration first = migrations.plan(c.name(), "m2", 8);
    migrations.apply(first, false);

    assertThatThrownBy(() -> migrations.plan(c.name(), "m3", 8))
        .isInstanceOfSatisfying(
            PortfolioException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT))
        .hasMessage(
            "Collection 'gen-guard' has a migration to model m2 (8 dimensions) prepared in"
                + " building set "
                + first.setId()
                + ". Finish it (activate the set) or revert it (its down SQL, or"
                + " EmbeddingMigrations.revert) before planning another.");
    assertThatThrownBy(() -> migrations.plan(c.name(), "m1", 4))
        .hasMessage(
            "Collection 'gen-guard' already uses model m1 with 4 dimensions; there is nothing to"
                + " migrate.");
    assertThatThrownBy(() -> migrations.plan("no-such-collection", "m", 4))
        .isInstanceOfSatisfying(
            PortfolioException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
  }

  @Test
  void downChangesNothingOnceTheSetWasActivated() throws Exception {
    CollectionInfo c = store.createCollection(CollectionSpec.of("gen-switched", "m1", 4));
    store.upsert(c.name(), List.of(TestStores.doc("d1", 2, 4, 1)));
    EmbeddingMigration m = migrations.plan(c.name(), "m2", 4);
    migrations.apply(m, false);
    List<EmbeddingUpdate> vectors = new ArrayList<>();
    for (var ch : store.chunks(c.name(), "d1")) {
      vectors.add(new EmbeddingUpdate(ch.id(), ch.embedding(), "m2", ch.contentHash()));
    }
    store.writeVectors(c.name(), m.setId(), vectors);
    store.activateSet(c.name(), m.setId());

    psql(m.downSql(), true);

    assertThat(store.activeSet(c.name()).id()).isEqualTo(m.setId());
    assertThat(store.activeSet(c.name()).state()).isEqualTo(SetState.ACTIVE);
    assertThat(store.findCollection(c.name()).orElseThrow().model()).isEqualTo("m2");
    assertThat(store.chunks(c.name(), "d1").get(0).embeddingModel()).isEqualTo("m2");
    assertThat(store.stats(c.name()).embeddedChunks()).isEqualTo(2);
  }

  @Test
  void hostileModelNamesStayLiteralsWhateverTheServersStringSetting() throws Exception {
    // With standard_conforming_strings off, a backslash in a literal is an escape: without the
    // script's own SET, this name would end the literal early and run the DROP.
    String hostile = "x\\', \"dimension\" = 16; DROP TABLE " + db.name() + ".chunks; -- $$";
    int n = 0;
    for (boolean conforming : new boolean[] {true, false}) {
      CollectionInfo c = store.createCollection(CollectionSpec.of("gen-hostile-" + n++, "m1", 4));
      EmbeddingMigration m = migrations.plan(c.name(), hostile, 4);
      assertThat(m.prepareSql())
          .startsWith("-- ")
          .contains("SET standard_conforming_strings = on;");

      psql(m.upSql(), conforming);

      EmbeddingSet building = store.buildingSet(c.name()).orElseThrow();
      assertThat(building.model()).isEqualTo(hostile);
      assertThat(building.dimension()).isEqualTo(4);
      assertThat(tableExists("chunks")).isTrue();
      psql(m.downSql(), conforming);
      assertThat(store.buildingSet(c.name())).isEmpty();
    }
    assertThatThrownBy(() -> migrations.plan("gen-hostile-0", "two\nlines", 4))
        .hasMessageContaining("contains control characters");
  }

  /**
   * Applies a script with psql, as a team would, on a server whose {@code
   * standard_conforming_strings} is on or off.
   */
  private void psql(String sql, boolean standardConformingStrings)
      throws IOException, InterruptedException {
    URI jdbc = URI.create(db.jdbcUrl().substring("jdbc:".length()));
    Map<String, String> params = new java.util.HashMap<>();
    if (jdbc.getQuery() != null) {
      for (String kv : jdbc.getQuery().split("&")) {
        int eq = kv.indexOf('=');
        params.put(kv.substring(0, eq), kv.substring(eq + 1));
      }
    }
    ProcessBuilder pb =
        new ProcessBuilder(
                "psql",
                "-X",
                "-q",
                "-v",
                "ON_ERROR_STOP=1",
                "-h",
                jdbc.getHost(),
                "-p",
                Integer.toString(jdbc.getPort() < 0 ? 5432 : jdbc.getPort()),
                "-d",
                jdbc.getPath().substring(1),
                "-f",
                "-")
            .redirectErrorStream(true);
    if (params.containsKey("user")) {
      pb.environment().put("PGUSER", params.get("user"));
    }
    if (params.containsKey("password")) {
      pb.environment().put("PGPASSWORD", params.get("password"));
    }
    pb.environment()
        .put(
            "PGOPTIONS",
            "-c standard_conforming_strings=" + (standardConformingStrings ? "on" : "off"));
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new IllegalStateException(
          "psql is needed to apply exported scripts as users do; install postgresql-client", e);
    }
    try (var in = p.getOutputStream()) {
      in.write(sql.getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("psql output: %s", out).isZero();
  }

  private boolean tableExists(String name) throws SQLException {
    return exists("SELECT 1 FROM pg_tables WHERE schemaname = ? AND tablename = ?", name);
  }

  private boolean indexExists(String name) throws SQLException {
    return exists("SELECT 1 FROM pg_indexes WHERE schemaname = ? AND indexname = ?", name);
  }

  private boolean exists(String sql, String name) throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, db.name());
      ps.setString(2, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private String indexDefinition(String name) throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT indexdef FROM pg_indexes WHERE schemaname = ? AND indexname = ?")) {
      ps.setString(1, db.name());
      ps.setString(2, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }
}
