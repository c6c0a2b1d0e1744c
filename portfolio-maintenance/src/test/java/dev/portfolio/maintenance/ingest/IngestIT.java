package dev.portfolio.maintenance.ingest;

import com.zaxxer.hikari.HikariDataSource;
import dev.portfolio.core.spi.VectorStore;
import dev.portfolio.index.pgvector.PgVectorStore;
import dev.portfolio.index.pgvector.TestStores;
import dev.portfolio.index.testing.PostgresSchemaExtension;
import dev.portfolio.index.testing.TestSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Ingestion on PostgreSQL: every scenario, bad input included, against the real store. */
@ExtendWith(PostgresSchemaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IngestIT extends IngestScenarios {
  private HikariDataSource pool;
  private PgVectorStore store;

  @BeforeAll
  void open(TestSchema db) {
    TestStores.install(db);
    pool = TestStores.pool(db);
    store = PgVectorStore.builder(pool).schema(db.name()).build();
  }

  @AfterAll
  void close() {
    store.close();
    pool.close();
  }

  @Override
  VectorStore store() {
    return store;
  }
}
