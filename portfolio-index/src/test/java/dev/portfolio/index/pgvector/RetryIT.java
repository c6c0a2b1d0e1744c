package dev.portfolio.index.pgvector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.PortfolioException;
import dev.portfolio.core.error.RetriableException;
import dev.portfolio.core.model.CollectionSpec;
import dev.portfolio.core.model.DocumentStatus;
import dev.portfolio.index.internal.SqlErrors;
import dev.portfolio.index.testing.PostgresSchemaExtension;
import dev.portfolio.index.testing.TestSchema;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Transient failures of idempotent operations are retried; everything else surfaces at once. */
@ExtendWith(PostgresSchemaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RetryIT {
  private HikariDataSource pool;
  private FlakyDataSource flaky;
  private PgVectorStore store;

  @BeforeAll
  void open(TestSchema db) {
    TestStores.install(db);
    pool = TestStores.pool(db);
    flaky = new FlakyDataSource(pool);
    store =
        PgVectorStore.builder(flaky)
            .schema(db.name())
            .retryAttempts(3)
            .retryInitialBackoff(Duration.ofMillis(5))
            .retryMaxBackoff(Duration.ofMillis(20))
            .build();
    store.createCollection(CollectionSpec.of("docs", "m", 8));
  }

  @AfterAll
  void close() {
    store.close();
    pool.close();
  }

  @Test
  void anUpsertThatHitsADeadlockIsRetriedAndSucceeds() {
    flaky.failNext(2, "for update", SqlErrors.DEADLOCK);

    assertThat(store.upsert("docs", List.of(TestStores.doc("dl", 2, 8, 1))).inserted())
        .isEqualTo(1);
    assertThat(flaky.matched()).as("two failed attempts, then the one that worked").isEqualTo(3);
    assertThat(store.chunks("docs", "dl")).hasSize(2);
  }

  @Test
  void aSerializationFailureOnSearchIsRetried() {
    store.upsert("docs", List.of(TestStores.doc("sf", 1, 8, 2)));
    flaky.failNext(1, "<=>", SqlErrors.SERIALIZATION_FAILURE);

    assertThat(
            store.search(
                dev.portfolio.core.model.VectorQuery.of("docs", TestStores.vector(2000, 8), 1)))
        .hasSize(1);
    assertThat(flaky.matched()).isEqualTo(2);
  }

  @Test
  void aLostConnectionThatPersistsEndsInARetriableErrorAfterTheLastAttempt() {
    flaky.failNext(10, "from \"", "08006");

    assertThatThrownBy(() -> store.findCollection("docs"))
        .isInstanceOfSatisfying(
            RetriableException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE))
        .hasMessageContaining("Reading collection 'docs' failed with a transient database error")
        .hasMessageContaining("(SQLState 08006)")
        .hasRootCauseInstanceOf(java.sql.SQLException.class);
    assertThat(flaky.matched()).isEqualTo(3);
    flaky.failNext(0, "", "00000");
  }

  @Test
  void permanentErrorsSurfaceAtOnceWithTheirSqlState() {
    flaky.failNext(1, "from \"", "XX000");

    assertThatThrownBy(() -> store.findCollection("docs"))
        .isInstanceOfSatisfying(
            PortfolioException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.STORE_FAILURE);
              assertThat(e.isRetriable()).isFalse();
            })
        .hasMessage("Reading collection 'docs' failed: simulated failure (XX000) (SQLState XX000)");
    assertThat(flaky.matched()).isEqualTo(1);
  }

  @Test
  void recordingAFailureIsNotRepeatedBecauseItCountsAnAttempt() {
    store.upsert("docs", List.of(TestStores.doc("status", 1, 8, 3)));
    flaky.failNext(1, "update \"", "08006");

    assertThatThrownBy(() -> store.updateStatus("docs", "status", DocumentStatus.FAILED, "x"))
        .isInstanceOf(RetriableException.class);
    assertThat(flaky.matched()).isEqualTo(1);
    assertThat(store.findDocument("docs", "status").orElseThrow().attempts()).isZero();
  }
}
