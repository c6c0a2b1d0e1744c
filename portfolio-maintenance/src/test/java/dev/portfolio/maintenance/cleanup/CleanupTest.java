package dev.portfolio.maintenance.cleanup;

import static dev.portfolio.maintenance.testing.Fixture.maintenance;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portfolio.core.memory.InMemoryVectorStore;
import dev.portfolio.core.model.VacuumOutcome;
import dev.portfolio.core.spi.ProgressReporter;
import dev.portfolio.core.spi.VectorStore;
import dev.portfolio.maintenance.Maintenance;
import org.junit.jupiter.api.Test;

/** The cleanup operations on the in-memory store. */
class CleanupTest extends CleanupScenarios {
  private final VectorStore store = new InMemoryVectorStore();

  @Override
  protected VectorStore store() {
    return store;
  }

  @Override
  protected boolean vacuums() {
    return false;
  }

  @Test
  void anEmptyStoreGivesZeroResultsAndTheMemoryStoreNeedsNoVacuum() {
    Maintenance m = maintenance(new InMemoryVectorStore(), null, ProgressReporter.SILENT);

    assertThat(m.cleanupOrphans(false, 100).found()).isZero();
    assertThat(m.cleanupDeleted((java.time.Duration) null).collections()).isEmpty();
    assertThat(store.vacuum(java.util.EnumSet.allOf(dev.portfolio.core.model.StoreTable.class)))
        .extracting(VacuumOutcome::status)
        .containsOnly(VacuumOutcome.Status.NOT_NEEDED);
  }
}
