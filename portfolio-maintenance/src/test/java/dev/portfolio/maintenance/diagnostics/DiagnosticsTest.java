package dev.portfolio.maintenance.diagnostics;

import static dev.portfolio.maintenance.testing.Fixture.maintenance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.portfolio.core.hashing.HashingEmbedder;
import dev.portfolio.core.memory.InMemoryVectorStore;
import dev.portfolio.core.spi.ProgressReporter;
import dev.portfolio.maintenance.Maintenance;
import dev.portfolio.maintenance.testing.RecordingReporter;
import dev.portfolio.maintenance.testing.Scene;
import org.junit.jupiter.api.Test;

class DiagnosticsTest {
  private final InMemoryVectorStore store = new InMemoryVectorStore();

  @Test
  void diagnosticsDescribeEveryCollectionWithItsActiveAndBuildingSets() {
    Scene scene = Scene.load(store, "docs");
    Maintenance m =
        maintenance(store, new HashingEmbedder(Scene.DIMENSION), ProgressReporter.SILENT);

    DiagnosticsReport report = m.diagnostics();

    CollectionDiagnostics docs = report.collection("docs").orElseThrow();
    assertThat(docs.distance()).isEqualTo("cosine");
    assertThat(docs.documentsByStatus())
        .containsExactly(
            entry("pending", 17L),
            entry("processing", 0L),
            entry("ready", 0L),
            entry("failed", 2L),
            entry("deleted", 1L));
    assertThat(docs.failedDocuments()).isEqualTo(2);
    assertThat(docs.liveDocuments()).isEqualTo(19);
    assertThat(docs.chunks()).isEqualTo(scene.liveChunks());
    assertThat(docs.sources()).isEqualTo(3);
    assertThat(docs.missingInActiveSet()).isEqualTo(3);
    assertThat(docs.staleInActiveSet()).isEqualTo(2);
    assertThat(docs.dataBytes()).as("unknown in memory, never 0").isNull();
    SetDiagnostics active = docs.activeSet();
    assertThat(active.state()).isEqualTo("active");
    assertThat(active.model()).isEqualTo(scene.model());
    assertThat(active.dimension()).isEqualTo(Scene.DIMENSION);
    assertThat(active.vectors()).isEqualTo(scene.activeVectors());
    assertThat(active.coveragePercent()).isEqualTo(94.74);
    assertThat(active.foreignModelVectors()).isEqualTo(1);
    assertThat(active.annIndex()).isEqualTo("not-applicable");
    assertThat(active.bytes()).isNull();
    SetDiagnostics building = docs.buildingSet();
    assertThat(building.id()).isEqualTo(scene.buildingSet().id());
    assertThat(building.model()).isEqualTo(Scene.NEXT_MODEL);
    assertThat(building.dimension()).isEqualTo(4);
    assertThat(building.vectors()).isEqualTo(10);
    assertThat(building.missing()).isEqualTo(47);
    assertThat(building.coveragePercent()).isEqualTo(17.54);
    assertThat(docs.retiredSets()).isEmpty();
    assertThat(report.storage()).isEmpty();
    assertThat(report.totalBytes()).isNull();
    assertThat(report.configuration())
        .containsEntry("store", "in-memory")
        .containsEntry("embedder", "hashing:hashing-v1")
        .containsEntry("embedder.dimension", "8");
  }

  @Test
  void diagnosticsPrintAsTablesAndReportProgress() {
    Scene.load(store, "docs");
    RecordingReporter reporter = new RecordingReporter();

    DiagnosticsReport report = maintenance(store, null, reporter).diagnostics();

    assertThat(report.toString())
        .contains("Configuration", "embedder  ")
        .contains("collection  documents  failed  chunks  sources  missing  stale  data")
        .contains("docs        19         2       57      3        3        2      unknown")
        .contains("not-applicable")
        .contains("Storage: unknown");
    assertThat(reporter.events("finished", "diagnostics")).hasSize(1);
  }

  @Test
  void diagnosticsOfAnEmptyStoreListNoCollection() {
    DiagnosticsReport report = maintenance(store, null, ProgressReporter.SILENT).diagnostics();

    assertThat(report.collections()).isEmpty();
    assertThat(report.configuration())
        .containsEntry("store.collections", "0")
        .containsEntry("embedder", "none");
  }
}
