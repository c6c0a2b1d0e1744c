package dev.portfolio.index.pgvector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.RetriableException;
import dev.portfolio.core.model.CollectionSpec;
import dev.portfolio.core.model.DocumentInput;
import dev.portfolio.core.model.SearchHit;
import dev.portfolio.core.model.UpsertResult;
import dev.portfolio.core.model.VectorQuery;
import dev.portfolio.index.testing.PostgresSchemaExtension;
import dev.portfolio.index.testing.TestSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Lost connections through the real pool: the store's backend is terminated with {@code
 * pg_terminate_backend} while it runs a statement (an upsert's COPY, a search), and the store
 * retries on a fresh connection from HikariCP. The statement is made to wait on a table lock held
 * by the test, so the termination lands inside it every time.
 */
@ExtendWith(PostgresSchemaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConnectionLossIT {
  private TestSchema db;
  private HikariDataSource pool;

  @BeforeAll
  void open(TestSchema schema) {
    db = schema;
    TestStores.install(db);
    pool = PgDataSources.pooled(PgPoolOptions.builder(db.jdbcUrl()).poolSize(4).build());
  }

  @AfterAll
  void close() {
    pool.close();
  }

  private PgVectorStore store(int attempts) {
    return PgVectorStore.builder(pool)
        .schema(db.name())
        .retryAttempts(attempts)
        .retryInitialBackoff(Duration.ofMillis(20))
        .retryMaxBackoff(Duration.ofMillis(100))
        .build();
  }

  @Test
  void anUpsertWhoseBackendIsTerminatedDuringCopyIsRetriedAndStoresEverythingOnce()
      throws Exception {
    try (PgVectorStore store = store(3)) {
      store.createCollection(CollectionSpec.of("loss-upsert", "m", 8));
      List<DocumentInput> docs = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        docs.add(TestStores.doc("d" + i, 5, 8, i));
      }

      UpsertResult result =
          terminateWhileWaiting(
              "chunks",
              "COPY \"" + db.name() + "\".chunks %",
              () -> store.upsert("loss-upsert", docs));

      assertThat(result.inserted()).isEqualTo(200);
      assertThat(result.failed()).isZero();
      assertThat(store.stats("loss-upsert").chunks()).isEqualTo(1000);
      assertThat(store.stats("loss-upsert").embeddedChunks()).isEqualTo(1000);
      assertThat(count("SELECT count(*) FROM %s.documents")).isEqualTo(200);
    }
  }

  @Test
  void aSearchWhoseBackendIsTerminatedIsRetried() throws Exception {
    try (PgVectorStore store = store(3)) {
      store.createCollection(CollectionSpec.of("loss-search", "m", 8));
      store.upsert("loss-search", List.of(TestStores.doc("s", 3, 8, 7)));
      VectorQuery query = VectorQuery.of("loss-search", TestStores.vector(7000, 8), 3);
      List<SearchHit> expected = store.search(query);

      List<SearchHit> hits =
          terminateWhileWaiting("embeddings", searchLike(), () -> store.search(query));

      assertThat(hits).isEqualTo(expected);
    }
  }

  @Test
  void withoutRetriesTheTerminationSurfacesAsRetriableWithItsSqlState() {
    try (PgVectorStore store = store(1)) {
      store.createCollection(CollectionSpec.of("loss-once", "m", 8));
      store.upsert("loss-once", List.of(TestStores.doc("s", 3, 8, 7)));
      VectorQuery query = VectorQuery.of("loss-once", TestStores.vector(7000, 8), 3);

      assertThatThrownBy(
              () -> terminateWhileWaiting("embeddings", searchLike(), () -> store.search(query)))
          .hasCauseInstanceOf(RetriableException.class)
          .cause()
          .satisfies(
              e ->
                  assertThat(((RetriableException) e).code())
                      .isEqualTo(ErrorCode.STORE_UNAVAILABLE))
          .hasMessageContaining("(SQLState 57P01)")
          .hasMessageNotContaining("Connection is closed");
    }
  }

  /**
   * Holds a lock on a table so that the operation's statement waits on it, terminates the backend
   * running that statement, releases the lock, and returns what the operation returned.
   */
  private <T> T terminateWhileWaiting(String table, String queryLike, Supplier<T> operation)
      throws Exception {
    CompletableFuture<T> result;
    try (Connection blocker = db.dataSource().getConnection()) {
      blocker.setAutoCommit(false);
      try (Statement s = blocker.createStatement()) {
        s.execute("LOCK TABLE \"" + db.name() + "\"." + table + " IN ACCESS EXCLUSIVE MODE");
      }
      result = CompletableFuture.supplyAsync(operation);
      int pid = waitingBackend(queryLike, result);
      try (PreparedStatement ps = blocker.prepareStatement("SELECT pg_terminate_backend(?)")) {
        ps.setInt(1, pid);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          assertThat(rs.getBoolean(1)).as("terminated backend %s", pid).isTrue();
        }
      }
      blocker.rollback();
    }
    try {
      return result.get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the operation failed", e.getCause());
    }
  }

  private int waitingBackend(String queryLike, CompletableFuture<?> running)
      throws SQLException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    try (Connection c = db.dataSource().getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                    + " AND wait_event_type = 'Lock' AND query LIKE ?")) {
      ps.setString(1, queryLike);
      while (System.nanoTime() < deadline) {
        assertThat(running).as("the operation ended before it could be interrupted").isNotDone();
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            return rs.getInt(1);
          }
        }
        Thread.onSpinWait();
      }
    }
    StringBuilder seen = new StringBuilder();
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT pid, state, wait_event_type, left(query, 300) FROM pg_stat_activity"
                    + " WHERE datname = current_database()")) {
      while (rs.next()) {
        seen.append('\n')
            .append(rs.getInt(1))
            .append(' ')
            .append(rs.getString(2))
            .append(' ')
            .append(rs.getString(3))
            .append(' ')
            .append(rs.getString(4));
      }
    }
    throw new AssertionError(
        "no backend waited on the lock with a query like " + queryLike + "; backends:" + seen);
  }

  private String searchLike() {
    return "%<=>%\"" + db.name() + "\".\"embeddings\"%";
  }

  private long count(String sql) throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(String.format(sql, "\"" + db.name() + "\""))) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
