package dev.portfolio.maintenance.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.PortfolioException;
import dev.portfolio.core.hashing.HashingEmbedder;
import dev.portfolio.core.model.LockHolder;
import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.spi.MaintenanceLock;
import dev.portfolio.index.pgvector.PgVectorStore;
import dev.portfolio.index.pgvector.TestStores;
import dev.portfolio.index.testing.PostgresSchemaExtension;
import dev.portfolio.index.testing.TestSchema;
import dev.portfolio.maintenance.Maintenance;
import dev.portfolio.maintenance.cleanup.DeletedCleanupOptions;
import dev.portfolio.maintenance.modelswitch.SwitchOptions;
import dev.portfolio.maintenance.modelswitch.SwitchOutcome;
import dev.portfolio.maintenance.reembed.ReembedMode;
import dev.portfolio.maintenance.reembed.ReembedOptions;
import dev.portfolio.maintenance.testing.BlockingEmbedder;
import dev.portfolio.maintenance.testing.Fixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The job-level maintenance lock on PostgreSQL: the units of a re-embed job, on two workers with
 * their own pools (two database sessions), hold the collection's lock shared, side by side, while a
 * switch, a cleanup or an inline re-embed of the collection is refused with a message that names
 * the job; a unit waits while an exclusive operation holds the lock, then runs.
 */
@ExtendWith(PostgresSchemaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobLockIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int DIMENSION = 16;

  private TestSchema db;
  private final List<HikariDataSource> pools = new ArrayList<>();
  private final List<PgVectorStore> stores = new ArrayList<>();
  private final List<JobWorker> workers = new ArrayList<>();

  @BeforeAll
  void install(TestSchema schema) {
    db = schema;
    TestStores.install(db);
  }

  @AfterEach
  void stopWorkers() {
    workers.forEach(JobWorker::close);
    workers.clear();
  }

  @AfterAll
  void close() {
    stores.forEach(PgVectorStore::close);
    pools.forEach(HikariDataSource::close);
  }

  private PgVectorStore store() {
    HikariDataSource pool = TestStores.pool(db);
    pools.add(pool);
    PgVectorStore store =
        PgVectorStore.builder(pool).schema(db.name()).annIndexOnCreate(false).build();
    stores.add(store);
    return store;
  }

  private JobWorker worker(Maintenance maintenance, PgVectorStore store) {
    JobWorker w =
        JobWorker.builder(PgJobQueue.on(store))
            .handlers(maintenance.jobHandlers())
            .lease(Duration.ofSeconds(5))
            .heartbeat(Duration.ofMillis(200))
            .pollInterval(Duration.ofMillis(50))
            .retryDelay(Duration.ofMillis(200))
            .shutdownTimeout(Duration.ofSeconds(20))
            .build()
            .start();
    workers.add(w);
    return w;
  }

  @Test
  void aRunningReembedJobRefusesASwitchAndACleanupOfItsCollectionNamingTheJob() throws Exception {
    PgVectorStore store = store();
    Fixture.load(store, "locked", DIMENSION, 20, 5);
    assertThat(store.softDelete("locked", "doc-19")).isTrue();
    BlockingEmbedder blocking = new BlockingEmbedder(new HashingEmbedder(DIMENSION));
    Maintenance inline = Fixture.maintenance(store, new HashingEmbedder(DIMENSION), null);
    // Two workers, each with its own pool: the units hold the lock in two sessions at once.
    PgVectorStore second = store();
    worker(Fixture.maintenance(store, blocking, null), store);
    worker(Fixture.maintenance(second, blocking, null), second);

    PgJobQueue queue = PgJobQueue.on(store);
    Job job =
        queue.submit(
            ReembedJobHandler.request(
                    ReembedOptions.builder("locked").mode(ReembedMode.ALL).batchSize(10).build(),
                    50)
                .build());
    blocking.awaitCalled();
    Await.until(
        WAIT,
        "both units running, one on each worker",
        () ->
            queue.units(job.id()).stream().filter(u -> u.status() == UnitStatus.RUNNING).count()
                == 2);
    assertThat(queue.units(job.id()).stream().map(JobUnit::leaseOwner).distinct()).hasSize(2);

    String name = "reembed job " + job.id() + " of locked";
    LockHolder holder = inline.runningOperation("locked").orElseThrow();
    assertThat(holder.operation()).isEqualTo(name);

    assertThatThrownBy(
            () ->
                inline.switchModel(
                    "locked", new HashingEmbedder(DIMENSION + 8), SwitchOptions.defaults()))
        .isInstanceOfSatisfying(
            PortfolioException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT))
        .hasMessageContaining("Cannot start 'switch locked to")
        .hasMessageContaining("collection 'locked' is busy with '" + name + "'");
    assertThatThrownBy(
            () ->
                inline.cleanupDeleted(DeletedCleanupOptions.builder().collection("locked").build()))
        .isInstanceOf(PortfolioException.class)
        .hasMessageContaining("busy with '" + name + "'");
    assertThatThrownBy(() -> inline.reembed(ReembedOptions.builder("locked").build()))
        .isInstanceOf(PortfolioException.class)
        .hasMessageContaining("busy with '" + name + "'");
    assertThat(store.findDocument("locked", "doc-19")).isPresent();

    blocking.release();
    Job done =
        Await.value(WAIT, "the job", () -> queue.require(job.id()), j -> j.status().finished());
    assertThat(done.status()).as(done.summary()).isEqualTo(JobStatus.COMPLETED);
    assertThat(done.progressCurrent()).isEqualTo(95);
    Await.until(WAIT, "the lock freed", () -> inline.runningOperation("locked").isEmpty());

    // Once the job is over, the same operations run.
    assertThat(
            inline
                .cleanupDeleted(DeletedCleanupOptions.builder().collection("locked").build())
                .total()
                .documents())
        .isEqualTo(1);
    Embedder next = new HashingEmbedder(DIMENSION + 8);
    assertThat(inline.switchModel("locked", next, SwitchOptions.defaults()).outcome())
        .isEqualTo(SwitchOutcome.ACTIVATED);
  }

  @Test
  void aUnitWaitsWhileAnExclusiveOperationHoldsTheCollectionThenRuns() {
    PgVectorStore store = store();
    Fixture.load(store, "waiting", DIMENSION, 10, 3);
    worker(Fixture.maintenance(store, new HashingEmbedder(DIMENSION), null), store);
    PgJobQueue queue = PgJobQueue.on(store);
    Job job;
    try (MaintenanceLock manual = store().lockForMaintenance("waiting", "manual repair")) {
      job =
          queue.submit(
              ReembedJobHandler.request(ReembedOptions.builder("waiting").build()).build());
      JobUnit refused =
          Await.value(
              WAIT,
              "the unit refused",
              () -> queue.units(job.id()).isEmpty() ? null : queue.units(job.id()).get(0),
              u -> u != null && u.error() != null);
      assertThat(refused.error())
          .contains("Unit 0 of job " + job.id() + " waits for the collection's maintenance lock")
          .contains("busy with 'manual repair'");
      assertThat(queue.require(job.id()).status().finished()).isFalse();
      assertThat(manual.isHeld()).isTrue();
    }
    Job done =
        Await.value(WAIT, "the job", () -> queue.require(job.id()), j -> j.status().finished());
    assertThat(done.status()).as(done.summary()).isEqualTo(JobStatus.COMPLETED);
    assertThat(store.stats("waiting", 0).missingChunks()).isZero();
  }
}
