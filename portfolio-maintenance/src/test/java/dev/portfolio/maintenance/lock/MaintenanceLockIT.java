package dev.portfolio.maintenance.lock;

import static dev.portfolio.maintenance.testing.Fixture.maintenance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.PortfolioException;
import dev.portfolio.core.hashing.HashingEmbedder;
import dev.portfolio.core.model.LockHolder;
import dev.portfolio.core.spi.MaintenanceLock;
import dev.portfolio.core.spi.ProgressReporter;
import dev.portfolio.index.pgvector.PgVectorStore;
import dev.portfolio.index.pgvector.TestStores;
import dev.portfolio.index.testing.PostgresSchemaExtension;
import dev.portfolio.index.testing.TestSchema;
import dev.portfolio.maintenance.Maintenance;
import dev.portfolio.maintenance.cleanup.DeletedCleanupOptions;
import dev.portfolio.maintenance.modelswitch.SwitchOptions;
import dev.portfolio.maintenance.reembed.ReembedOptions;
import dev.portfolio.maintenance.reembed.ReembedResult;
import dev.portfolio.maintenance.testing.BlockingEmbedder;
import dev.portfolio.maintenance.testing.Fixture;
import dev.portfolio.maintenance.testing.RenamedEmbedder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Maintenance operations that change a collection never overlap on PostgreSQL: the second is
 * refused with the first one named, also from another pool (another process, as far as PostgreSQL
 * can tell), and a holder whose backend is terminated frees the lock.
 */
@ExtendWith(PostgresSchemaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MaintenanceLockIT {
  private TestSchema db;
  private HikariDataSource poolA;
  private HikariDataSource poolB;
  private PgVectorStore storeA;
  private PgVectorStore storeB;

  @BeforeAll
  void open(TestSchema schema) {
    db = schema;
    TestStores.install(db);
    poolA = TestStores.pool(db);
    poolB = TestStores.pool(db);
    storeA = PgVectorStore.builder(poolA).schema(db.name()).build();
    storeB = PgVectorStore.builder(poolB).schema(db.name()).build();
  }

  @AfterAll
  void close() {
    storeA.close();
    storeB.close();
    poolA.close();
    poolB.close();
  }

  @Test
  void aReembedRunningInOneProcessRefusesASwitchACleanupAndARollbackInAnother() throws Exception {
    HashingEmbedder hashing = new HashingEmbedder(8);
    Fixture.load(storeA, "busy", 8, 20, 3);
    storeA.softDelete("busy", "doc-0");
    BlockingEmbedder blocking = new BlockingEmbedder(hashing);
    Maintenance first = maintenance(storeA, blocking, ProgressReporter.SILENT);
    Maintenance second = maintenance(storeB, hashing, ProgressReporter.SILENT);
    CompletableFuture<ReembedResult> running =
        CompletableFuture.supplyAsync(() -> first.reembed(ReembedOptions.builder("busy").build()));
    try {
      blocking.awaitCalled();
      String op = "reembed busy";

      assertRefused(
          () ->
              second.switchModel(
                  "busy",
                  new RenamedEmbedder(new HashingEmbedder(12), "next-model"),
                  SwitchOptions.defaults()),
          op);
      assertRefused(() -> second.deleteSource("busy", "src-1"), op);
      assertRefused(() -> second.reembed(ReembedOptions.builder("busy").build()), op);
      assertRefused(() -> second.rollback("busy"), op);
      assertRefused(
          () -> second.cleanupDeleted(DeletedCleanupOptions.builder().collection("busy").build()),
          op);
      assertThat(second.runningOperation("busy"))
          .hasValueSatisfying(
              h -> {
                assertThat(h.operation()).isEqualTo(op);
                assertThat(h.session()).startsWith("backend pid ");
                assertThat(h.processId()).isEqualTo(ProcessHandle.current().pid());
              });
      // A dry run changes nothing and is not refused.
      assertThat(second.deleteSource("busy", "src-1", true).documents()).isEqualTo(7);
    } finally {
      blocking.release();
    }

    assertThat(running.get(60, TimeUnit.SECONDS).processed()).isEqualTo(57);
    assertThat(second.runningOperation("busy")).isEmpty();
    assertThat(second.deleteSource("busy", "src-1").documents()).isEqualTo(7);
  }

  @Test
  void aHolderWhoseBackendIsTerminatedFreesTheLock() throws Exception {
    Fixture.load(storeA, "killed", 4, 2, 1);
    MaintenanceLock held = storeA.lockForMaintenance("killed", "reembed killed");
    try {
      LockHolder holder = storeB.maintenanceLockHolder("killed").orElseThrow();
      assertThat(holder.operation()).isEqualTo("reembed killed");
      int pid = Integer.parseInt(holder.session().replace("backend pid ", ""));
      assertThatThrownBy(() -> storeB.lockForMaintenance("killed", "cleanup-orphans"))
          .hasMessageContaining("busy with 'reembed killed'")
          .hasMessageContaining("backend pid " + pid);

      terminate(pid);

      MaintenanceLock taken = pollForLock("killed", "cleanup-orphans");
      try {
        assertThat(held.isHeld()).isFalse();
        assertThat(storeA.maintenanceLockHolder("killed"))
            .map(LockHolder::operation)
            .hasValue("cleanup-orphans");
      } finally {
        taken.close();
      }
    } finally {
      held.close(); // on a dead connection: must not throw
    }
    assertThat(storeB.maintenanceLockHolder("killed")).isEmpty();
    // The pool recovered: the store works on.
    assertThat(storeA.stats("killed").chunks()).isEqualTo(2);
  }

  private MaintenanceLock pollForLock(String collection, String operation)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    PortfolioException last = null;
    while (System.nanoTime() < deadline) {
      try {
        return storeB.lockForMaintenance(collection, operation);
      } catch (PortfolioException e) {
        last = e;
        Thread.onSpinWait();
      }
    }
    throw new AssertionError("the lock was never freed", last);
  }

  private void terminate(int pid) throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT pg_terminate_backend(?)")) {
      ps.setInt(1, pid);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        assertThat(rs.getBoolean(1)).as("terminated backend %s", pid).isTrue();
      }
    }
  }

  private static void assertRefused(Runnable operation, String running) {
    assertThatThrownBy(operation::run)
        .isInstanceOfSatisfying(
            PortfolioException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT))
        .hasMessageContaining("is busy with '" + running + "' (since ")
        .hasMessageContaining("backend pid ")
        .hasMessageContaining("Wait for it to finish and run again");
  }
}
