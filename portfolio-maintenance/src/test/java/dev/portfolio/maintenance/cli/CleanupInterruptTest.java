package dev.portfolio.maintenance.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portfolio.maintenance.cleanup.DeletedCleanupOptions;
import dev.portfolio.maintenance.cleanup.OrphanCleanupOptions;
import dev.portfolio.maintenance.cleanup.SourceDeleteOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the batch-per-transaction commands ({@code cleanup deleted}, {@code cleanup orphans}, {@code
 * delete-source}) take from the command line for Ctrl-C and batches, and the resume command they
 * print; nothing here needs a database.
 */
class CleanupInterruptTest {
  private static final Map<String, String> DB =
      Map.of("PORTFOLIO_JDBC_URL", "jdbc:postgresql://127.0.0.1:1/none");

  private static CliIo quietIo() {
    return new CliIo(
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        Map.of(),
        false);
  }

  @Test
  void deleteSourceTakesABatchSizeAndRejectsOneOutOfRangeBeforeConnecting() {
    DeleteSourceCommand c =
        InProcess.parse(
            "delete-source", "s3://b/h.md", "-c", "docs", "--yes", "--batch-size", "50");
    SourceDeleteOptions o = c.options("docs", null);
    assertThat(o.batchSize()).isEqualTo(50);
    assertThat(o.sourceId()).isEqualTo("s3://b/h.md");
    assertThat(o.dryRun()).isFalse();
    DeleteSourceCommand d = InProcess.parse("delete-source", "s", "-c", "docs", "--yes");
    assertThat(d.options("docs", null).batchSize())
        .isEqualTo(SourceDeleteOptions.DEFAULT_BATCH_SIZE)
        .isEqualTo(500);

    InProcess r =
        InProcess.run(DB, "delete-source", "s", "-c", "docs", "--yes", "--batch-size", "0");

    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err())
        .contains("deleteSource.batchSize must be between 1 and 10000 (was 0)")
        .contains("Try 'portfolio delete-source --help'");
  }

  @Test
  void ctrlCCancelsTheOptionsOfEachCommand() {
    CleanupCommand.Deleted deleted = InProcess.parse("cleanup", "deleted", "--batch-size", "7");
    CleanupCommand.Orphans orphans = InProcess.parse("cleanup", "orphans");
    DeleteSourceCommand source = InProcess.parse("delete-source", "s", "--yes");
    try (Interrupts interrupts = Interrupts.install(quietIo(), "test", CleanupCommand.IN_FLIGHT)) {
      DeletedCleanupOptions d = deleted.options(interrupts);
      OrphanCleanupOptions o = orphans.options(interrupts);
      SourceDeleteOptions s = source.options("docs", interrupts);
      assertThat(d.batchSize()).isEqualTo(7);
      assertThat(d.cancellation().getAsBoolean()).isFalse();
      assertThat(o.cancellation().getAsBoolean()).isFalse();
      assertThat(s.cancellation().getAsBoolean()).isFalse();

      interrupts.request(); // as Ctrl-C does

      assertThat(d.cancellation().getAsBoolean()).isTrue();
      assertThat(o.cancellation().getAsBoolean()).isTrue();
      assertThat(s.cancellation().getAsBoolean()).isTrue();
    }
    assertThat(deleted.options().cancellation().getAsBoolean()).as("no Ctrl-C handling").isFalse();
  }

  @Test
  void theResumeCommandIsTheCommandAsTypedQuotedForAShellWithoutThePassword() {
    DeleteSourceCommand c =
        InProcess.parse(
            "delete-source",
            "s3://bucket/my handbook.md",
            "-c",
            "docs",
            "--yes",
            "--password",
            "s3cret",
            "--batch-size",
            "100");

    assertThat(ResumeCommand.of(c.spec))
        .isEqualTo(
            "portfolio delete-source 's3://bucket/my handbook.md' -c docs --yes --password ***"
                + " --batch-size 100");
    assertThat(
            ResumeCommand.line(
                "portfolio",
                List.of(
                    "cleanup",
                    "deleted",
                    "--older-than",
                    "30d",
                    "--jdbc-url",
                    "jdbc:postgresql://db/rag?user=ops&password=hunter2&ssl=true",
                    "--password=hunter2",
                    "-c",
                    "it's")))
        .isEqualTo(
            "portfolio cleanup deleted --older-than 30d --jdbc-url"
                + " 'jdbc:postgresql://db/rag?user=ops&password=***&ssl=true' --password=***"
                + " -c 'it'\\''s'");
    assertThat(ResumeCommand.line("portfolio", List.of("cleanup", "orphans", "--password", "-v")))
        .as("--password without a value asks for it")
        .isEqualTo("portfolio cleanup orphans --password -v");
  }
}
