package dev.portfolio.index.pgvector;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.portfolio.core.model.CollectionSpec;
import dev.portfolio.core.model.UpsertResult;
import dev.portfolio.core.model.VectorQuery;
import dev.portfolio.index.testing.PostgresSchemaExtension;
import dev.portfolio.index.testing.TestSchema;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresSchemaExtension.class)
class PgVectorStoreSmokeIT {
  @Test
  void upsertThenSearchFindsTheNearestChunk(TestSchema db) {
    TestStores.install(db);
    try (HikariDataSource ds = TestStores.pool(db);
        PgVectorStore store = PgVectorStore.builder(ds).schema(db.name()).build()) {
      store.createCollection(CollectionSpec.of("docs", "test-model", 8));
      UpsertResult r =
          store.upsert("docs", List.of(TestStores.doc("a", 3, 8, 1), TestStores.doc("b", 2, 8, 2)));
      assertThat(r.inserted()).isEqualTo(2);
      UpsertResult again =
          store.upsert("docs", List.of(TestStores.doc("a", 3, 8, 1), TestStores.doc("b", 2, 8, 3)));
      assertThat(again.unchanged()).isEqualTo(1);
      assertThat(again.updated()).isEqualTo(1);
      var hits = store.search(VectorQuery.of("docs", TestStores.vector(1001, 8), 3));
      assertThat(hits.get(0).documentKey()).isEqualTo("a");
      assertThat(hits.get(0).ordinal()).isEqualTo(1);
      assertThat(hits.get(0).score()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
    }
  }
}
