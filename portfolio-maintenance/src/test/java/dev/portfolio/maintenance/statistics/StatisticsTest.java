package dev.portfolio.maintenance.statistics;

import static dev.portfolio.maintenance.testing.Fixture.maintenance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.inspect.OperationLatency;
import dev.portfolio.core.memory.InMemoryVectorStore;
import dev.portfolio.core.model.Embedding;
import dev.portfolio.core.model.VectorQuery;
import dev.portfolio.core.spi.ProgressReporter;
import dev.portfolio.maintenance.Maintenance;
import dev.portfolio.maintenance.testing.Scene;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StatisticsTest {
  private final InMemoryVectorStore store = new InMemoryVectorStore();
  private final Maintenance maintenance = maintenance(store, null, ProgressReporter.SILENT);

  @Test
  void statisticsCountTheStoreOrOneWorkspace() {
    Scene.load(store, "docs");

    StatisticsReport all = maintenance.statistics(null);
    StatisticsReport a = maintenance.statistics("ws-a");

    assertThat(all.workspace()).isNull();
    assertThat(all.documents()).isEqualTo(19);
    assertThat(all.failedDocuments()).isEqualTo(2);
    assertThat(all.chunks()).isEqualTo(57);
    assertThat(all.sources()).isEqualTo(3);
    assertThat(a.workspace()).isEqualTo("ws-a");
    assertThat(a.documents()).as("even documents: doc-0, doc-2 ... doc-18").isEqualTo(10);
    assertThat(a.failedDocuments()).as("doc-6").isEqualTo(1);
    assertThat(a.chunks()).isEqualTo(30);
    assertThat(maintenance.statistics("nobody").documents()).isZero();
  }

  @Test
  void inMemoryStorageIsUnknownAndTableChecksAreListedAsNotMade() {
    Scene.load(store, "docs");

    StatisticsReport report = maintenance.statistics(null);

    assertThat(report.dataBytes()).as("unknown, never a made-up 0").isNull();
    assertThat(report.storeBytes()).isNull();
    assertThat(report.indexHealth().level()).isEqualTo(HealthLevel.HEALTHY);
    assertThat(report.indexHealth().findings()).isEmpty();
    assertThat(report.indexHealth().unchecked()).singleElement().asString().contains("no tables");
    assertThat(report.performance().cacheHitRatio()).isNull();
    assertThat(report.toString())
        .contains("data                        unknown")
        .contains("Index health: HEALTHY")
        .contains("not checked: dead rows")
        .contains("buffer cache hit ratio unknown");
  }

  @Test
  void performanceReportsSearchAndUpsertLatencyOfTheWindow() {
    Scene.load(store, "docs");
    for (int i = 0; i < 20; i++) {
      store.search(VectorQuery.of("docs", Embedding.of(1, 0, 0, 0, 0, 0, 0, i), 5));
    }

    StatisticsReport report =
        maintenance.statistics(
            null, StatisticsOptions.defaults().withWindow(Duration.ofMinutes(1)));

    Performance p = report.performance();
    assertThat(p.windowSeconds()).isEqualTo(60);
    OperationLatency search = p.operation("search").orElseThrow();
    assertThat(search.count()).isEqualTo(20);
    assertThat(search.p95Millis()).isGreaterThanOrEqualTo(0);
    assertThat(search.averageMillis()).isPositive();
    assertThat(search.source()).isEqualTo(OperationLatency.IN_PROCESS);
    assertThat(p.operation("upsert").orElseThrow().count()).isEqualTo(1);
    assertThat(report.toString()).contains("search", "upsert", "in-process");
  }

  @Test
  void optionsAreValidated() {
    assertThatThrownBy(() -> StatisticsOptions.defaults().withWindow(Duration.ZERO))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("window must be between 1 s and 30 days");
    assertThatThrownBy(() -> new HealthThresholds(0.6, 0.5, 0, 0, 0.2, 0, 0))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("deadRowsCritical must be at least deadRowsDegraded");
    assertThatThrownBy(() -> maintenance.statistics(" ")).isInstanceOf(InvalidInputException.class);
  }
}
