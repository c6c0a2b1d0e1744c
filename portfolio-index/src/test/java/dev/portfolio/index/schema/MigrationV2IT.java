package dev.portfolio.index.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portfolio.core.model.ChunkQuery;
import dev.portfolio.core.model.CollectionStats;
import dev.portfolio.core.model.EmbeddingSet;
import dev.portfolio.core.model.EmbeddingState;
import dev.portfolio.core.model.KeywordQuery;
import dev.portfolio.core.model.SetState;
import dev.portfolio.core.model.VectorQuery;
import dev.portfolio.index.pgvector.PgVectorStore;
import dev.portfolio.index.pgvector.TestStores;
import dev.portfolio.index.testing.PostgresSchemaExtension;
import dev.portfolio.index.testing.TestSchema;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The version 2 migration converts a populated version 1 schema in place: each model slot becomes
 * an embedding set, every vector moves into its set's partition unchanged, chunk ids and keyword
 * vectors are kept, and the store works on the result.
 */
@ExtendWith(PostgresSchemaExtension.class)
class MigrationV2IT {
  @Test
  void aPopulatedVersion1SchemaBecomesEmbeddingSetsWithNoVectorLost(TestSchema db)
      throws SQLException {
    String s = "\"" + db.name() + "\"";
    PortfolioSchema.install(db.dataSource(), SchemaOptions.forSchema(db.name()), 1);
    execute(
        db,
        "INSERT INTO "
            + s
            + ".collections (id, name, distance, active_slot, slot_a_model, slot_a_dimension,"
            + " slot_b_model, slot_b_dimension) VALUES"
            + " (1, 'docs', 'cosine', 'a', 'm1', 8, 'next', 3),"
            + " (2, 'other', 'l2', 'b', NULL, NULL, 'm3', 4)",
        "INSERT INTO "
            + s
            + ".documents (id, collection_id, key, source_id, status)"
            + " SELECT g, CASE WHEN g <= 40 THEN 1 ELSE 2 END, 'doc-' || g, 'src', 'ready'"
            + " FROM generate_series(1, 50) g",
        // docs: 400 chunks with an 8-d vector in slot a (one of another model, one missing),
        // half of them with a 3-d vector of the prepared model in slot b.
        "INSERT INTO "
            + s
            + ".chunks (collection_id, document_id, ordinal, text, content_hash, embedding_a,"
            + " model_a, text_hash_a, embedding_b, model_b, text_hash_b, search_text)"
            + " SELECT 1, (g - 1) / 10 + 1, (g - 1) % 10, 'alpha bravo ' || g, 'h' || g,"
            + " CASE WHEN g <> 7 THEN (SELECT array_agg(sin(g * k)::real) FROM"
            + " generate_series(1, 8) k)::vector END,"
            + " CASE WHEN g = 9 THEN 'other-model' WHEN g <> 7 THEN 'm1' END,"
            + " CASE WHEN g <> 7 THEN 'h' || g END,"
            + " CASE WHEN g % 2 = 0 THEN (SELECT array_agg(cos(g * k)::real) FROM"
            + " generate_series(1, 3) k)::vector END,"
            + " CASE WHEN g % 2 = 0 THEN 'next' END,"
            + " CASE WHEN g % 2 = 0 THEN 'h' || g END, 'alpha bravo ' || g"
            + " FROM generate_series(1, 400) g",
        // other: active slot b with 4-d vectors.
        "INSERT INTO "
            + s
            + ".chunks (collection_id, document_id, ordinal, text, content_hash, embedding_b,"
            + " model_b, text_hash_b, search_text)"
            + " SELECT 2, 41 + (g - 1) / 10, (g - 1) % 10, 'charlie ' || g, 'c' || g,"
            + " (SELECT array_agg(sin(g + k)::real) FROM generate_series(1, 4) k)::vector,"
            + " 'm3', 'c' || g, 'charlie ' || g FROM generate_series(1, 100) g",
        // The rows above chose their ids; move the sequences past them.
        "SELECT setval(pg_get_serial_sequence('" + s + ".collections', 'id'), 2)",
        "SELECT setval(pg_get_serial_sequence('" + s + ".documents', 'id'), 50)");
    String slotA = digest(db, "SELECT embedding_a::text FROM " + s + ".chunks", "1", "id");
    String slotB = digest(db, "SELECT embedding_b::text FROM " + s + ".chunks", "1", "id");
    String otherB = digest(db, "SELECT embedding_b::text FROM " + s + ".chunks", "2", "id");
    long chunkIds = single(db, "SELECT sum(id) FROM " + s + ".chunks");

    MigrationResult result =
        PortfolioSchema.install(db.dataSource(), SchemaOptions.forSchema(db.name()));

    assertThat(result.applied()).startsWith(2);
    assertThat(single(db, "SELECT sum(id) FROM " + s + ".chunks")).isEqualTo(chunkIds);
    try (PgVectorStore store = PgVectorStore.builder(db.dataSource()).schema(db.name()).build()) {
      List<EmbeddingSet> sets = store.embeddingSets("docs");
      assertThat(sets)
          .extracting(EmbeddingSet::model, EmbeddingSet::dimension, EmbeddingSet::state)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("m1", 8, SetState.ACTIVE),
              org.assertj.core.groups.Tuple.tuple("next", 3, SetState.BUILDING));
      long active = sets.get(0).id();
      long building = sets.get(1).id();
      String embeddings = "SELECT embedding::text FROM " + s + ".embeddings WHERE set_id = ";
      assertThat(digest(db, embeddings + active, "1", "chunk_id")).isEqualTo(slotA);
      assertThat(digest(db, embeddings + building, "1", "chunk_id")).isEqualTo(slotB);

      CollectionStats stats = store.stats("docs");
      assertThat(stats.chunks()).isEqualTo(400);
      assertThat(stats.embeddedChunks()).isEqualTo(399);
      assertThat(stats.foreignModelChunks()).isEqualTo(1);
      assertThat(stats.staleChunks()).isZero();
      assertThat(store.stats("docs", building).embeddedChunks()).isEqualTo(200);
      assertThat(
              store
                  .listChunks(
                      ChunkQuery.of("docs", 1000).withEmbeddingState(EmbeddingState.MISSING))
                  .items())
          .extracting(c -> c.ordinal())
          .containsExactly(6);

      // The active set's index came along, searches use it, and keyword vectors were kept.
      assertThat(store.hasAnnIndex("docs")).isTrue();
      VectorQuery query = VectorQuery.of("docs", TestStores.vector(3, 8), 5);
      assertThat(store.search(query)).hasSize(5);
      assertThat(store.keywordSearch(KeywordQuery.of("docs", "bravo 123", 3)).get(0).text())
          .isEqualTo("alpha bravo 123");

      EmbeddingSet other = store.activeSet("other");
      assertThat(other.model()).isEqualTo("m3");
      assertThat(store.embeddingSets("other")).hasSize(1);
      assertThat(digest(db, embeddings + other.id(), "2", "chunk_id")).isEqualTo(otherB);
      assertThat(store.findCollection("other").orElseThrow().dimension()).isEqualTo(4);

      // The switch that was prepared in slot b goes on as a building set.
      store.activateSet("docs", building);
      assertThat(store.findCollection("docs").orElseThrow().model()).isEqualTo("next");
      assertThat(store.search(VectorQuery.of("docs", TestStores.vector(5, 3), 3))).hasSize(3);
      assertThat(store.upsert("docs", List.of(TestStores.doc("new", 2, 3, 5))).inserted())
          .isEqualTo(1);
      assertThat(store.chunks("docs", "new")).hasSize(2);
    }
  }

  private static void execute(TestSchema db, String... sql) throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        Statement st = c.createStatement()) {
      for (String q : sql) {
        st.execute(q);
      }
    }
  }

  /** An MD5 over every non-null value of a query's column, in id order. */
  private static String digest(TestSchema db, String select, String collection, String order)
      throws SQLException {
    String sql =
        "SELECT md5(string_agg(v, '|' ORDER BY o)) FROM ("
            + select.replace("SELECT ", "SELECT " + order + " AS o, ")
            + (select.contains(" WHERE ") ? " AND " : " WHERE ")
            + "collection_id = "
            + collection
            + ") x(o, v) WHERE v IS NOT NULL";
    try (Connection c = db.dataSource().getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static long single(TestSchema db, String sql) throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
