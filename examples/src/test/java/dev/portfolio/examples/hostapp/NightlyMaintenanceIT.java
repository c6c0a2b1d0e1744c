package dev.portfolio.examples.hostapp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portfolio.core.hashing.HashingEmbedder;
import dev.portfolio.core.model.DocumentStatus;
import dev.portfolio.core.spi.ProgressReporter;
import dev.portfolio.index.pgvector.PgVectorStore;
import dev.portfolio.index.schema.PortfolioSchema;
import dev.portfolio.index.schema.SchemaOptions;
import dev.portfolio.index.testing.PostgresSchemaExtension;
import dev.portfolio.index.testing.TestSchema;
import dev.portfolio.maintenance.Maintenance;
import dev.portfolio.maintenance.ingest.IngestDocument;
import dev.portfolio.maintenance.ingest.IngestOptions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** One run of the nightly job against PostgreSQL, with defects present, repairs them. */
@ExtendWith(PostgresSchemaExtension.class)
class NightlyMaintenanceIT {
  private static final String C = "nightly";

  @Test
  void oneRunRetriesTheFailedDocumentPurgesTheDeletedOneAndRemovesTheOrphan(TestSchema db)
      throws SQLException {
    PortfolioSchema.install(db.dataSource(), SchemaOptions.forSchema(db.name()));
    try (PgVectorStore store = PgVectorStore.builder(db.dataSource()).schema(db.name()).build();
        HashingEmbedder embedder = new HashingEmbedder(16)) {
      Maintenance maintenance =
          Maintenance.builder()
              .store(store)
              .embedder(embedder)
              .progress(ProgressReporter.SILENT)
              .build();
      maintenance.ingest(
          C,
          List.of(
              IngestDocument.of("healthy", "A healthy document about write-ahead logs."),
              IngestDocument.of("failed", "A document whose embedding failed last night."),
              IngestDocument.of("orphan", "A document whose chunks went missing."),
              IngestDocument.of("gone", "A document the user deleted.")),
          IngestOptions.defaults());
      // The defects: a failed document without vectors, a ready document without chunks (an
      // orphan), and a soft-deleted document.
      execute(
          db,
          "DELETE FROM %1$s.embeddings WHERE chunk_id IN (SELECT c.id FROM %1$s.chunks c JOIN"
              + " %1$s.documents d ON d.id = c.document_id WHERE d.key = 'failed')");
      store.updateStatus(C, "failed", DocumentStatus.FAILED, "embedder timed out");
      execute(
          db,
          "DELETE FROM %1$s.chunks WHERE document_id IN (SELECT id FROM %1$s.documents WHERE key"
              + " = 'orphan')");
      store.softDelete(C, "gone");
      assertThat(store.stats(C).missingChunks()).isEqualTo(1);
      assertThat(store.countOrphans().values()).anyMatch(n -> n > 0);

      NightlyMaintenance.RunReport report;
      try (NightlyMaintenance job =
          NightlyMaintenance.builder(maintenance)
              .step(
                  "a-broken-step",
                  (m, stopping) -> {
                    throw new IllegalStateException("a step of the host's that fails");
                  })
              .steps(NightlyMaintenance.standardSteps(Duration.ZERO))
              .build()) {
        report = job.runOnce();
      }

      assertThat(report.steps())
          .extracting(NightlyMaintenance.StepOutcome::name)
          .containsExactly(
              "a-broken-step",
              "statistics",
              "diagnostics",
              "retry-failed",
              "cleanup-deleted",
              "cleanup-orphans",
              "health");
      assertThat(report.ok()).isFalse();
      assertThat(report.steps().get(0).summary()).isEqualTo("a step of the host's that fails");
      assertThat(report.steps().subList(1, 7))
          .as("the steps after a failed one still run")
          .allSatisfy(s -> assertThat(s.ok()).as(s.toString()).isTrue());

      assertThat(store.findDocument(C, "failed").orElseThrow().status())
          .isEqualTo(DocumentStatus.READY);
      assertThat(store.stats(C).missingChunks()).isZero();
      assertThat(store.findDocument(C, "gone")).isEmpty();
      assertThat(store.countOrphans().values()).allMatch(n -> n == 0);
      assertThat(store.findDocument(C, "healthy").orElseThrow().status())
          .isEqualTo(DocumentStatus.READY);
    }
  }

  private static void execute(TestSchema db, String sql) throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute(String.format(sql, "\"" + db.name() + "\""));
    }
  }
}
