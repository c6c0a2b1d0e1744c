package dev.portfolio.index.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.PortfolioException;
import dev.portfolio.core.model.CollectionInfo;
import dev.portfolio.core.model.CollectionSpec;
import dev.portfolio.core.model.Distance;
import dev.portfolio.core.model.SearchHit;
import dev.portfolio.core.model.VectorQuery;
import dev.portfolio.index.pgvector.PgVectorStore;
import dev.portfolio.index.pgvector.TestStores;
import dev.portfolio.index.testing.PostgresSchemaExtension;
import dev.portfolio.index.testing.TestSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
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
  void generatedSqlPreparesTheNextSlotWhileSearchesKeepUsingTheActiveOne() throws SQLException {
    CollectionInfo c =
        store.createCollection(new CollectionSpec("gen-sql", "old-model", 8, Distance.L2));
    store.upsert(c.name(), List.of(TestStores.doc("d1", 3, 8, 1), TestStores.doc("d2", 3, 8, 2)));
    List<SearchHit> before = store.search(VectorQuery.of(c.name(), TestStores.vector(1001, 8), 3));

    EmbeddingMigration m = migrations.plan(c.name(), "new-model", 1536);

    assertThat(m.activeSlot()).isEqualTo("a");
    assertThat(m.nextSlot()).isEqualTo("b");
    assertThat(m.fromModel()).isEqualTo("old-model");
    assertThat(m.prepareSql())
        .contains("--   from old-model (8 dimensions, slot a, searched now)")
        .contains("--   to   new-model (1536 dimensions, slot b, filled by the re-embed)")
        .contains(
            "update \""
                + db.name()
                + "\".\"collections\" set \"slot_b_model\" = 'new-model', \"slot_b_dimension\" ="
                + " 1536")
        .contains("where (\"id\" = " + c.id() + " and \"active_slot\" = 'a')");
    assertThat(m.indexSql())
        .contains(
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS \"chunks_ann_"
                + c.id()
                + "_b_1536\" ON \""
                + db.name()
                + "\".\"chunks\" USING hnsw ((\"embedding_b\"::vector(1536)) vector_l2_ops)"
                + " WITH (m = 16, ef_construction = 64) WHERE collection_id = "
                + c.id());
    assertThat(m.downSql()).contains("DROP INDEX CONCURRENTLY IF EXISTS");

    runScript(m.upSql());

    assertThat(slotB(c.id())).isEqualTo("new-model/1536");
    assertThat(indexExists("chunks_ann_" + c.id() + "_b_1536")).isTrue();
    // A chunk holds a second embedding in the next slot; searches stay on the active slot.
    execute(
        "UPDATE \""
            + db.name()
            + "\".chunks SET embedding_b = array_fill(0.5, ARRAY[1536])::vector,"
            + " model_b = 'new-model', text_hash_b = content_hash WHERE collection_id = "
            + c.id());
    assertThat(store.search(VectorQuery.of(c.name(), TestStores.vector(1001, 8), 3)))
        .isEqualTo(before);
    assertThat(store.findCollection(c.name()).orElseThrow().model()).isEqualTo("old-model");
    assertThat(store.stats(c.name()).embeddedChunks()).isEqualTo(6);

    runScript(m.downSql());

    assertThat(slotB(c.id())).isEqualTo("null/null");
    assertThat(indexExists("chunks_ann_" + c.id() + "_b_1536")).isFalse();
    assertThat(count("embedding_b IS NOT NULL AND collection_id = " + c.id())).isZero();
    assertThat(store.search(VectorQuery.of(c.name(), TestStores.vector(1001, 8), 3)))
        .isEqualTo(before);
  }

  @Test
  void theSameChangeAppliesProgrammaticallyAndReverts() throws SQLException {
    CollectionInfo c = store.createCollection(CollectionSpec.of("gen-api", "old-model", 4));
    store.upsert(c.name(), List.of(TestStores.doc("d1", 2, 4, 1)));
    EmbeddingMigration m = migrations.plan(c.name(), "big-model", 3072);

    migrations.apply(m, false);
    assertThat(slotB(c.id())).isEqualTo("big-model/3072");
    assertThat(indexExists("chunks_ann_" + c.id() + "_b_3072h")).isFalse();
    assertThat(migrations.plan(c.name(), "big-model", 3072))
        .as("planning the prepared migration again is idempotent")
        .isEqualTo(m);

    migrations.buildIndex(m);
    assertThat(indexExists("chunks_ann_" + c.id() + "_b_3072h")).isTrue();

    migrations.revert(m);
    assertThat(slotB(c.id())).isEqualTo("null/null");
    assertThat(indexExists("chunks_ann_" + c.id() + "_b_3072h")).isFalse();
  }

  @Test
  void aSecondMigrationWaitsForTheFirstAndANoOpIsRefused() {
    CollectionInfo c = store.createCollection(CollectionSpec.of("gen-guard", "m1", 4));
    migrations.apply(migrations.plan(c.name(), "m2", 8), false);

    assertThatThrownBy(() -> migrations.plan(c.name(), "m3", 8))
        .isInstanceOfSatisfying(
            PortfolioException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT))
        .hasMessage(
            "Collection 'gen-guard' has a migration to model m2 (8 dimensions) prepared in slot b."
                + " Finish or revert it (its down SQL, or EmbeddingMigrations.revert) before"
                + " planning another.");
    assertThatThrownBy(() -> migrations.plan(c.name(), "m1", 4))
        .hasMessage(
            "Collection 'gen-guard' already uses model m1 with 4 dimensions; there is nothing to"
                + " migrate.");
    assertThatThrownBy(() -> migrations.plan("no-such-collection", "m", 4))
        .isInstanceOfSatisfying(
            PortfolioException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
  }

  @Test
  void downChangesNothingOnceTheCollectionSwitchedToTheNextSlot() throws SQLException {
    CollectionInfo c = store.createCollection(CollectionSpec.of("gen-switched", "m1", 4));
    store.upsert(c.name(), List.of(TestStores.doc("d1", 2, 4, 1)));
    EmbeddingMigration m = migrations.plan(c.name(), "m2", 4);
    migrations.apply(m, false);
    execute(
        "UPDATE \""
            + db.name()
            + "\".chunks SET embedding_b = embedding_a, model_b = 'm2', text_hash_b = content_hash"
            + " WHERE collection_id = "
            + c.id());
    execute("UPDATE \"" + db.name() + "\".collections SET active_slot = 'b' WHERE id = " + c.id());

    runScript(m.downSql());

    assertThat(slotB(c.id())).isEqualTo("m2/4");
    assertThat(count("embedding_b IS NOT NULL AND collection_id = " + c.id())).isEqualTo(2);
    assertThat(store.findCollection(c.name()).orElseThrow().model()).isEqualTo("m2");
    assertThat(store.chunks(c.name(), "d1").get(0).embeddingModel()).isEqualTo("m2");
  }

  @Test
  void hostileModelNamesBecomeEscapedLiterals() throws SQLException {
    CollectionInfo c = store.createCollection(CollectionSpec.of("gen-hostile", "m1", 4));
    String hostile = "x'; DROP TABLE chunks; -- \\ $$";
    EmbeddingMigration m = migrations.plan(c.name(), hostile, 4);

    assertThat(m.prepareSql()).contains("\"slot_b_model\" = 'x''; DROP TABLE chunks; -- \\ $$'");
    assertThatThrownBy(() -> migrations.plan(c.name(), "two\nlines", 4))
        .hasMessageContaining("contains control characters");
    runScript(m.upSql());

    assertThat(slotB(c.id())).isEqualTo(hostile + "/4");
    runScript(m.downSql());
  }

  /** Runs a script the way psql would: statement by statement, CONCURRENTLY outside BEGIN. */
  private void runScript(String sql) throws SQLException {
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : sql.split("\n")) {
      if (line.startsWith("--")) {
        continue;
      }
      current.append(line).append('\n');
      if (line.endsWith(";")) {
        statements.add(current.toString());
        current.setLength(0);
      }
    }
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    }
  }

  private String slotB(long id) throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT slot_b_model || '', slot_b_dimension FROM \""
                    + db.name()
                    + "\".collections WHERE id = ?")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getString(1) + "/" + rs.getString(2);
      }
    }
  }

  private boolean indexExists(String name) throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT 1 FROM pg_indexes WHERE schemaname = ? AND indexname = ?")) {
      ps.setString(1, db.name());
      ps.setString(2, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private long count(String where) throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT count(*) FROM \"" + db.name() + "\".chunks WHERE " + where)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private void execute(String sql) throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
