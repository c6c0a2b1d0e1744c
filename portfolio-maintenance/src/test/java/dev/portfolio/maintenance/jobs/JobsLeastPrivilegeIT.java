package dev.portfolio.maintenance.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.portfolio.index.pgvector.TestStores;
import dev.portfolio.index.schema.PortfolioSchema;
import dev.portfolio.index.testing.PostgresSchemaExtension;
import dev.portfolio.index.testing.TestSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The job queue works under a role with DML rights only (what {@link
 * PortfolioSchema#grantRuntimeAccess} grants): submit, claim, heartbeat, checkpoint, complete,
 * pause, cancel, list and cleanup.
 */
@ExtendWith(PostgresSchemaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobsLeastPrivilegeIT {
  private TestSchema db;
  private String role;
  private HikariDataSource runtimePool;

  @BeforeAll
  void createRuntimeRole(TestSchema schema) throws SQLException {
    db = schema;
    TestStores.install(db);
    role = "portfolio_jobs_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE ROLE " + role + " NOLOGIN");
      s.execute("GRANT " + role + " TO current_user");
    }
    PortfolioSchema.grantRuntimeAccess(db.dataSource(), db.name(), role);
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(db.jdbcUrl());
    config.setMaximumPoolSize(4);
    config.setConnectionInitSql("SET ROLE " + role);
    runtimePool = new HikariDataSource(config);
  }

  @AfterAll
  void dropRuntimeRole() throws SQLException {
    if (runtimePool != null) {
      runtimePool.close();
    }
    if (role != null) {
      try (Connection c = db.dataSource().getConnection();
          Statement s = c.createStatement()) {
        s.execute("DROP OWNED BY " + role);
        s.execute("DROP ROLE IF EXISTS " + role);
      }
    }
  }

  @Test
  void aRoleWithDataPrivilegesOnlyRunsTheWholeQueue() throws SQLException {
    try (Connection c = runtimePool.getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT current_user, has_schema_privilege(?, 'CREATE')")) {
      ps.setString(1, db.name());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo(role);
        assertThat(rs.getBoolean(2)).as("CREATE on the schema").isFalse();
      }
    }
    JobQueue queue = PgJobQueue.create(runtimePool, db.name());
    StepHandler h = new StepHandler("dml", false);
    Job done =
        queue.submit(JobRequest.builder("dml").param("units", "3").param("steps", "2").build());
    Job cancelled = queue.submit(JobRequest.builder("dml").build());
    queue.pause(cancelled.id());
    queue.cancel(cancelled.id());
    try (JobWorker worker =
        JobWorker.builder(queue)
            .handler(h)
            .concurrency(2)
            .lease(Duration.ofSeconds(2))
            .heartbeat(Duration.ofMillis(100))
            .pollInterval(Duration.ofMillis(20))
            .checkpointInterval(Duration.ZERO)
            .build()
            .start()) {
      Await.value(
          Duration.ofSeconds(30),
          "the job",
          () -> queue.require(done.id()),
          j -> j.status() == JobStatus.COMPLETED);
      assertThat(worker.completed()).isEqualTo(5);
    }
    assertThat(h.steps).hasSize(6);
    assertThat(queue.list(JobQuery.all()).counts())
        .containsEntry(JobStatus.COMPLETED, 1L)
        .containsEntry(JobStatus.CANCELLED, 1L);
    Await.until(Duration.ofSeconds(30), "a cleanup", () -> queue.cleanup(Duration.ZERO) == 2);
    assertThat(queue.list(JobQuery.all()).jobs()).isEmpty();
  }
}
