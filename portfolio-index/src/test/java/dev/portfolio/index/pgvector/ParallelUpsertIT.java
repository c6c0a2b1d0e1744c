package dev.portfolio.index.pgvector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.model.Chunk;
import dev.portfolio.core.model.ChunkInput;
import dev.portfolio.core.model.CollectionSpec;
import dev.portfolio.core.model.DocumentInput;
import dev.portfolio.core.model.KeywordQuery;
import dev.portfolio.core.model.SearchHit;
import dev.portfolio.core.model.UpsertResult;
import dev.portfolio.index.testing.PostgresSchemaExtension;
import dev.portfolio.index.testing.TestSchema;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** An upsert that writes its batches on several connections at once. */
@ExtendWith(PostgresSchemaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ParallelUpsertIT {
  private TestSchema db;
  private HikariDataSource pool;
  private PgVectorStore serial;
  private PgVectorStore parallel;

  @BeforeAll
  void open(TestSchema schema) {
    db = schema;
    TestStores.install(db);
    pool = TestStores.pool(db);
    serial =
        PgVectorStore.builder(pool)
            .schema(db.name())
            .maxBatchDocuments(4)
            .upsertWriteConnections(1)
            .build();
    parallel =
        PgVectorStore.builder(pool)
            .schema(db.name())
            .maxBatchDocuments(4)
            .upsertWriteConnections(3)
            .build();
  }

  @AfterAll
  void close() {
    serial.close();
    parallel.close();
    pool.close();
  }

  @Test
  void batchesWrittenOnSeveralConnectionsGiveWhatOneConnectionGives() throws SQLException {
    serial.createCollection(CollectionSpec.of("one-connection", "m", 4));
    parallel.createCollection(CollectionSpec.of("three-connections", "m", 4));
    List<DocumentInput> docs = new ArrayList<>();
    for (int i = 0; i < 41; i++) {
      String text = i % 7 == 3 ? "forbidden" : "document " + i + " about river stones";
      docs.add(
          DocumentInput.builder(String.format("doc-%02d", i))
              .chunk(ChunkInput.embedded(0, text, TestStores.vector(i, 4), "m"))
              .chunk(ChunkInput.of(1, "second chunk of " + i))
              .build());
    }
    // A bad document the Java checks reject, and rows PostgreSQL itself rejects in several batches.
    docs.add(DocumentInput.builder("no-chunks").build());
    execute(
        "ALTER TABLE \""
            + db.name()
            + "\".chunks ADD CONSTRAINT parallel_forbidden CHECK (text <> 'forbidden')");
    UpsertResult one;
    UpsertResult three;
    try {
      one = serial.upsert("one-connection", docs);
      three = parallel.upsert("three-connections", docs);
    } finally {
      execute("ALTER TABLE \"" + db.name() + "\".chunks DROP CONSTRAINT parallel_forbidden");
    }

    assertThat(three).isEqualTo(one);
    assertThat(three.inserted()).isEqualTo(35);
    assertThat(three.failures())
        .extracting(UpsertResult.Failure::key)
        .containsExactly("no-chunks", "doc-03", "doc-10", "doc-17", "doc-24", "doc-31", "doc-38");
    for (DocumentInput d : docs.subList(0, 41)) {
      assertThat(texts(parallel.chunks("three-connections", d.key())))
          .as(d.key())
          .isEqualTo(texts(serial.chunks("one-connection", d.key())));
    }
    assertThat(keys(parallel.keywordSearch(KeywordQuery.of("three-connections", "river", 50))))
        .isEqualTo(keys(serial.keywordSearch(KeywordQuery.of("one-connection", "river", 50))))
        .hasSize(35);

    // Again, without the rule: the stored documents are unchanged, the rejected ones go in.
    UpsertResult again = parallel.upsert("three-connections", docs.subList(0, 41));
    assertThat(again.unchanged()).isEqualTo(35);
    assertThat(again.inserted()).isEqualTo(6);
    assertThat(again.failures()).isEmpty();
  }

  @Test
  void writeConnectionsOutOfRangeAreRejectedByName() {
    assertThatThrownBy(
            () -> PgVectorStore.builder(pool).schema(db.name()).upsertWriteConnections(0).build())
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("pgvector.upsertWriteConnections must be between 1 and 16 (was 0)");
  }

  private static List<String> texts(List<Chunk> chunks) {
    return chunks.stream().map(Chunk::text).toList();
  }

  private static List<String> keys(List<SearchHit> hits) {
    return hits.stream().map(h -> h.documentKey() + "/" + h.ordinal()).sorted().toList();
  }

  private void execute(String sql) throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
