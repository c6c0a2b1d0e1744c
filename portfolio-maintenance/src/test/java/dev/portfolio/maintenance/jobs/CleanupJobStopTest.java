package dev.portfolio.maintenance.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portfolio.core.memory.InMemoryVectorStore;
import dev.portfolio.core.model.PurgeResult;
import dev.portfolio.core.spi.ProgressReporter;
import dev.portfolio.maintenance.Maintenance;
import dev.portfolio.maintenance.cleanup.DeletedCleanupOptions;
import dev.portfolio.maintenance.testing.Fixture;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A cleanup job unit asked to stop (pause, cancel, worker shutdown) stops at a batch boundary. */
class CleanupJobStopTest {
  private final InMemoryVectorStore store = new InMemoryVectorStore();
  private final Maintenance maintenance = Fixture.maintenance(store, null, ProgressReporter.SILENT);

  /** A unit whose stop check says stop from its {@code asks + 1}-th question on. */
  private static final class Unit implements JobContext {
    private final JobParams params;
    private final long progressAtStart;
    private final int asks;
    private final AtomicInteger asked = new AtomicInteger();
    long current = -2;
    long total = -2;
    String summary;

    Unit(JobParams params, long progressAtStart, int asks) {
      this.params = params;
      this.progressAtStart = progressAtStart;
      this.asks = asks;
    }

    @Override
    public long jobId() {
      return 1;
    }

    @Override
    public String kind() {
      return JobKinds.CLEANUP;
    }

    @Override
    public JobParams params() {
      return params;
    }

    @Override
    public int unit() {
      return 0;
    }

    @Override
    public JobParams unitParams() {
      return JobParams.empty();
    }

    @Override
    public JobParams checkpoint() {
      return JobParams.empty();
    }

    @Override
    public long progressAtStart() {
      return progressAtStart;
    }

    @Override
    public int attempt() {
      return 1;
    }

    @Override
    public void checkpoint(JobParams checkpoint, long current, long total) {
      this.current = current;
      this.total = total;
      this.summary = checkpoint.require("summary");
    }

    @Override
    public boolean stopRequested() {
      return asked.incrementAndGet() > asks;
    }

    @Override
    public Optional<StopReason> stopReason() {
      return Optional.empty();
    }
  }

  @Test
  void aStoppedCleanupUnitKeepsItsCommittedBatchesAndTheNextRunPurgesTheRest() {
    Fixture.load(store, "docs", 8, 10, 2);
    for (int i = 0; i < 7; i++) {
      assertThat(store.softDelete("docs", "doc-" + i)).isTrue();
    }
    JobParams params =
        CleanupJobHandler.deleted(
                DeletedCleanupOptions.builder().collection("docs").batchSize(2).build())
            .build()
            .params();
    CleanupJobHandler handler = CleanupJobHandler.of(maintenance);

    Unit stopped = new Unit(params, 0, 2);
    UnitOutcome first = handler.run(stopped);

    assertThat(first).isEqualTo(UnitOutcome.STOPPED);
    assertThat(stopped.current).as("two batches of 2").isEqualTo(4);
    assertThat(stopped.total).as("what is left is not known").isEqualTo(-1);
    assertThat(stopped.summary).contains("cancelled at a batch boundary");
    assertThat(store.countDeleted("docs", null)).isEqualTo(new PurgeResult(3, 6, 0));

    Unit again = new Unit(params, stopped.current, Integer.MAX_VALUE);
    UnitOutcome second = handler.run(again);

    assertThat(second).isEqualTo(UnitOutcome.DONE);
    assertThat(again.current).isEqualTo(7);
    assertThat(again.total).isEqualTo(7);
    assertThat(store.countDeleted("docs", null)).isEqualTo(PurgeResult.NONE);
  }
}
