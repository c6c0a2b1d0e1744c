package dev.portfolio.index.pgvector;

import com.zaxxer.hikari.HikariDataSource;
import dev.portfolio.core.spi.VectorStore;
import dev.portfolio.core.testkit.VectorStoreContract;
import dev.portfolio.index.testing.PostgresSchemaExtension;
import dev.portfolio.index.testing.TestSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** The pgvector store passes the same contract as the in-memory store. */
@ExtendWith(PostgresSchemaExtension.class)
class PgVectorStoreContractIT extends VectorStoreContract {
  private static HikariDataSource pool;
  private static String schema;

  PgVectorStoreContractIT(TestSchema db) {
    synchronized (PgVectorStoreContractIT.class) {
      if (pool == null || !db.name().equals(schema)) {
        TestStores.install(db);
        pool = TestStores.pool(db);
        schema = db.name();
      }
    }
  }

  @AfterAll
  static void closePool() {
    if (pool != null) {
      pool.close();
      pool = null;
    }
  }

  @Override
  protected VectorStore createStore() {
    return PgVectorStore.builder(pool).schema(schema).build();
  }
}
