package dev.portfolio.maintenance.jobs;

import com.zaxxer.hikari.HikariDataSource;
import dev.portfolio.index.pgvector.TestStores;
import dev.portfolio.index.testing.PostgresSchemaExtension;
import dev.portfolio.index.testing.TestSchema;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** The queue contract on PostgreSQL. */
@ExtendWith(PostgresSchemaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PgJobQueueIT extends JobQueueContract {
  private HikariDataSource pool;
  private TestSchema db;

  @BeforeAll
  void install(TestSchema schema) {
    db = schema;
    TestStores.install(db);
    pool = TestStores.pool(db);
  }

  @AfterAll
  void close() {
    pool.close();
  }

  @Override
  protected JobQueue emptyQueue() {
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement()) {
      s.execute("DELETE FROM \"" + db.name() + "\".jobs");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return PgJobQueue.create(pool, db.name());
  }
}
