package dev.portfolio.maintenance.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.portfolio.index.pgvector.PgDataSources;
import dev.portfolio.index.pgvector.PgPoolOptions;
import dev.portfolio.index.pgvector.TestStores;
import dev.portfolio.index.testing.PostgresSchemaExtension;
import dev.portfolio.index.testing.TestSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Backends of the worker's pool terminated with {@code pg_terminate_backend} while it claims and
 * renews leases: no job is lost (every one completes) and none runs twice.
 */
@ExtendWith(PostgresSchemaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TerminatedBackendIT {
  private static final Duration WAIT = Duration.ofMinutes(2);

  private TestSchema db;
  private HikariDataSource pool;
  private String application;
  private JobWorker worker;

  @BeforeAll
  void install(TestSchema schema) {
    db = schema;
    TestStores.install(db);
  }

  @BeforeEach
  void openPool() {
    application =
        "portfolio-jobs-it-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    pool =
        PgDataSources.pooled(
            PgPoolOptions.builder(db.jdbcUrl() + "&ApplicationName=" + application)
                .poolSize(4)
                .connectionTimeout(Duration.ofSeconds(10))
                .build());
  }

  @AfterEach
  void close() {
    if (worker != null) {
      worker.close();
    }
    pool.close();
  }

  private JobWorker start(JobQueue queue, StepHandler handler, int concurrency) {
    worker =
        JobWorker.builder(queue)
            .handler(handler)
            .concurrency(concurrency)
            .lease(Duration.ofSeconds(5))
            .heartbeat(Duration.ofMillis(100))
            .pollInterval(Duration.ofMillis(20))
            .checkpointInterval(Duration.ZERO)
            .retryDelay(Duration.ofMillis(10))
            .build()
            .start();
    return worker;
  }

  @Test
  void claimsAndHeartbeatsWhoseAnswerWasLostAreNeitherLostNorRunTwice() {
    LostReplyDataSource lossy = new LostReplyDataSource(pool, db.dataSource());
    JobQueue queue = PgJobQueue.create(lossy, db.name());
    StepHandler h = new StepHandler("lost", true);
    Job job =
        queue.submit(JobRequest.builder("lost").param("units", "2").param("steps", "3").build());

    // The claim of the plan, then the claim of unit 0, commit and lose their answers.
    lossy.loseNext(2, "FOR UPDATE SKIP LOCKED");
    start(queue, h, 1);
    Await.until(WAIT, "two lost claims", () -> lossy.lost() == 2);
    Await.until(WAIT, "unit 0 running", () -> h.runs.containsKey(job.id() + "/0"));

    // Two lease renewals commit and lose their answers.
    lossy.loseNext(2, "heartbeat_at = now() FROM unnest");
    Await.until(WAIT, "two lost heartbeats", () -> lossy.lost() == 2);

    h.allow(100);
    Job done =
        Await.value(WAIT, "the job", () -> queue.require(job.id()), j -> j.status().finished());

    assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
    assertThat(h.planned).containsExactly(job.id());
    assertThat(h.finished).containsExactly(job.id());
    assertThat(h.runs)
        .hasSize(2)
        .allSatisfy((unit, runs) -> assertThat(runs.get()).as(unit).isOne());
    assertThat(h.stepsOf(job.id(), 0)).containsExactly(0, 1, 2);
    assertThat(h.stepsOf(job.id(), 1)).containsExactly(0, 1, 2);
    assertThat(queue.units(job.id())).allSatisfy(u -> assertThat(u.attempts()).isOne());
    assertThat(h.stops).isEmpty();
  }

  @Test
  void terminatingThePoolsBackendsOverAndOverLosesAndRepeatsNoJob() throws Exception {
    JobQueue queue = PgJobQueue.create(pool, db.name());
    StepHandler h = new StepHandler("churn", false);
    List<Long> ids = new ArrayList<>();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger terminated = new AtomicInteger();
    Thread killer =
        new Thread(
            () -> {
              while (!stop.get()) {
                try (Connection c = db.dataSource().getConnection();
                    PreparedStatement ps =
                        c.prepareStatement(
                            "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))"
                                + " FROM pg_stat_activity WHERE application_name = ?")) {
                  ps.setString(1, application);
                  try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    terminated.addAndGet(rs.getInt(1));
                  }
                  Thread.sleep(150 + ThreadLocalRandom.current().nextInt(200));
                } catch (InterruptedException e) {
                  return;
                } catch (Exception e) {
                  // keep going
                }
              }
            });
    // The test watches through a connection of its own, which is never terminated.
    JobQueue observer = PgJobQueue.create(db.dataSource(), db.name());
    killer.start();
    try {
      start(queue, h, 2);
      // Waves of 30 jobs until the pool has lost more than 10 backends: on a quiet machine one
      // wave can finish between two terminations.
      for (int wave = 0; wave < 40 && (wave == 0 || terminated.get() <= 10); wave++) {
        for (int i = 0; i < 30; i++) {
          ids.add(
              observer
                  .submit(
                      JobRequest.builder("churn").param("units", "2").param("steps", "3").build())
                  .id());
        }
        Await.until(
            WAIT,
            "every job finished",
            () -> ids.stream().allMatch(id -> observer.require(id).status().finished()));
      }
    } finally {
      stop.set(true);
      killer.join();
    }

    System.out.printf(
        "[terminated-backend] %d backends of the worker's pool terminated while it ran %d jobs%n",
        terminated.get(), ids.size());
    assertThat(terminated.get()).isGreaterThan(10);
    for (long id : ids) {
      assertThat(observer.require(id).status()).isEqualTo(JobStatus.COMPLETED);
      assertThat(h.stepsOf(id, 0)).containsExactly(0, 1, 2);
      assertThat(h.stepsOf(id, 1)).containsExactly(0, 1, 2);
    }
    assertThat(h.planned).hasSize(ids.size()).doesNotHaveDuplicates();
    assertThat(h.finished).hasSize(ids.size()).doesNotHaveDuplicates();
    assertThat(h.runs)
        .hasSize(2 * ids.size())
        .allSatisfy((unit, runs) -> assertThat(runs.get()).as(unit).isOne());
  }
}
