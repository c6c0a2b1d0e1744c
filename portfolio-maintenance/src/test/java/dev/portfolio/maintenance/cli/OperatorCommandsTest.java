package dev.portfolio.maintenance.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portfolio.core.spi.ProgressEvent;
import dev.portfolio.maintenance.cleanup.DeletedCleanupOptions;
import dev.portfolio.maintenance.cleanup.OrphanCleanupOptions;
import dev.portfolio.maintenance.retry.RetryOptions;
import dev.portfolio.maintenance.verify.FindingKind;
import dev.portfolio.maintenance.verify.VerifyOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

/**
 * Option parsing and usage errors of the operator commands (diagnostics, stats, verify,
 * retry-failed, cleanup, delete-source); nothing here needs a database.
 */
class OperatorCommandsTest {
  private static final Map<String, String> DB =
      Map.of("PORTFOLIO_JDBC_URL", "jdbc:postgresql://127.0.0.1:1/none");

  private static final List<String> COMMANDS =
      List.of(
          "diagnostics",
          "stats",
          "verify",
          "retry-failed",
          "cleanup deleted",
          "cleanup orphans",
          "delete-source");

  @Test
  void everyOperatorCommandHasHelpWithAnExampleOfItselfAndTheExitCodes() {
    for (String command : COMMANDS) {
      List<String> args = new java.util.ArrayList<>(List.of(command.split(" ")));
      args.add("--help");
      InProcess r = InProcess.run(args.toArray(String[]::new));
      assertThat(r.exitCode()).as(command).isZero();
      assertThat(r.out())
          .as(command)
          .contains("Usage: portfolio " + command, "Examples:", "  portfolio " + command)
          .contains("Exit codes:", "130");
    }
    assertThat(InProcess.run("cleanup", "--help").out()).contains("deleted", "orphans");
  }

  @Test
  void anUnknownOptionOfEachCommandIsOneLineAndTheHint() {
    for (String command : COMMANDS) {
      List<String> args = new java.util.ArrayList<>(List.of(command.split(" ")));
      if (command.equals("delete-source")) {
        args.add("src-1");
      }
      args.add("--bogus");
      InProcess r = InProcess.run(DB, args.toArray(String[]::new));
      assertThat(r.exitCode()).as(command).isEqualTo(ExitCodes.USAGE);
      assertThat(r.err().lines().toList())
          .as(command)
          .containsExactly(
              "portfolio " + command + ": Unknown option: '--bogus'",
              "Try 'portfolio " + command + " --help' for more information.");
    }
  }

  @Test
  void statsParsesItsWorkspaceAndWindow() {
    StatsCommand c = InProcess.parse("stats", "--workspace", "acme", "--window", "1h", "--json");
    assertThat(c.workspace).isEqualTo("acme");
    assertThat(c.options().window()).isEqualTo(Duration.ofHours(1));
    assertThat(c.json).isTrue();
    StatsCommand d = InProcess.parse("stats");
    assertThat(d.workspace).isNull();
    assertThat(d.options().window()).isEqualTo(Duration.ofMinutes(15));
  }

  @Test
  void statsRejectsAWindowTheLibraryRejects() {
    InProcess r = InProcess.run(DB, "stats", "--window", "60d");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("window").contains("Try 'portfolio stats --help'");
    InProcess bad = InProcess.run(DB, "stats", "--window", "soon");
    assertThat(bad.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(bad.err()).contains("'soon' is not a duration");
  }

  @Test
  void verifyParsesItsOptionsIntoTheLibrarysOptions() {
    VerifyCommand c =
        InProcess.parse(
            "verify",
            "-c",
            "docs",
            "--collection",
            "code",
            "--set",
            "3",
            "--set",
            "4",
            "--include-retired",
            "--sample-rate",
            "0.25",
            "--page-size",
            "500",
            "--max-samples",
            "3",
            "--progress",
            "lines");
    VerifyOptions o = c.options();
    assertThat(o.collections()).containsExactly("docs", "code");
    assertThat(o.setIds()).containsExactly(3L, 4L);
    assertThat(o.includeRetired()).isTrue();
    assertThat(o.sampleRate()).isEqualTo(0.25);
    assertThat(o.pageSize()).isEqualTo(500);
    assertThat(o.maxSamples()).isEqualTo(3);
    assertThat(c.progress.progress).isEqualTo(ProgressMode.LINES);
    VerifyOptions d = ((VerifyCommand) InProcess.parse("verify")).options();
    assertThat(d.collections()).isEmpty();
    assertThat(d.setIds()).isEmpty();
    assertThat(d.sampleRate()).isEqualTo(1.0);
    assertThat(d.pageSize()).isEqualTo(VerifyOptions.DEFAULT_PAGE_SIZE);
  }

  @Test
  void verifyRejectsASampleRateOutsideZeroToOneNamingIt() {
    InProcess r = InProcess.run(DB, "verify", "--sample-rate", "1.5");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err())
        .contains("verify.sampleRate must be in (0, 1]")
        .contains("(was 1.5)")
        .contains("Try 'portfolio verify --help'");
    InProcess set = InProcess.run(DB, "verify", "--set", "0");
    assertThat(set.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(set.err()).contains("verify.setIds must hold set ids of 1 or more (was 0)");
  }

  @Test
  void verifyAdviceNamesTheCommandThatRepairsEachKind() {
    var report =
        new dev.portfolio.maintenance.verify.VerifyReport(
            java.time.Instant.EPOCH,
            5,
            1.0,
            List.of(
                new dev.portfolio.maintenance.verify.SetVerification(
                    "docs",
                    1,
                    "active",
                    "m:x",
                    8,
                    10,
                    List.of(
                        new dev.portfolio.maintenance.verify.Finding(
                            FindingKind.STALE, 2, List.of(1L, 2L)),
                        new dev.portfolio.maintenance.verify.Finding(
                            FindingKind.ORPHAN, 1, List.of(9L))))));
    assertThat(VerifyCommand.advice(report))
        .startsWith("3 problems found.")
        .contains("--only-stale", "portfolio cleanup orphans")
        .doesNotContain("--all");
  }

  @Test
  void retryFailedParsesItsOptions() {
    RetryFailedCommand c =
        InProcess.parse(
            "retry-failed",
            "-c",
            "docs",
            "--max-attempts",
            "5",
            "--batch-size",
            "20",
            "--source",
            "s1",
            "--workspace",
            "acme",
            "--dry-run",
            "--embedder",
            "hashing");
    RetryOptions o = c.options(c.collection, null);
    assertThat(o.collection()).isEqualTo("docs");
    assertThat(o.maxAttempts()).isEqualTo(5);
    assertThat(o.batchSize()).isEqualTo(20);
    assertThat(o.dryRun()).isTrue();
    assertThat(c.embedder.id).isEqualTo("hashing");
    RetryFailedCommand d = InProcess.parse("retry-failed");
    assertThat(d.collection).as("the only collection is found at run time").isNull();
    assertThat(d.maxAttempts).isEqualTo(RetryOptions.DEFAULT_MAX_ATTEMPTS);
  }

  @Test
  void retryFailedRejectsBadValuesBeforeConnecting() {
    InProcess r =
        InProcess.run(
            DB, "retry-failed", "-c", "docs", "--embedder", "hashing", "--max-attempts", "0");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("maxAttempts").contains("(was 0)").doesNotContain("connect");
    InProcess none = InProcess.run(DB, "retry-failed", "-c", "docs");
    assertThat(none.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(none.err()).contains("retry-failed needs an embedder: pass --embedder <id>");
  }

  @Test
  void cleanupDeletedParsesDurationsAndCollections() {
    CleanupCommand.Deleted c =
        InProcess.parse(
            "cleanup",
            "deleted",
            "--older-than",
            "30d",
            "-c",
            "docs",
            "-c",
            "code",
            "--batch-size",
            "50",
            "--no-vacuum",
            "--dry-run");
    DeletedCleanupOptions o = c.options();
    assertThat(o.olderThan()).contains(Duration.ofDays(30));
    assertThat(o.collections()).containsExactlyInAnyOrder("docs", "code");
    assertThat(o.batchSize()).isEqualTo(50);
    assertThat(o.vacuum()).isFalse();
    assertThat(o.dryRun()).isTrue();
    DeletedCleanupOptions d =
        ((CleanupCommand.Deleted) InProcess.parse("cleanup", "deleted")).options();
    assertThat(d.olderThan()).isEmpty();
    assertThat(d.collections()).isEmpty();
    assertThat(d.vacuum()).isTrue();
  }

  @Test
  void durationsAreReadAsOperatorsWriteThem() {
    DurationConverter d = new DurationConverter();
    assertThat(d.convert("45s")).isEqualTo(Duration.ofSeconds(45));
    assertThat(d.convert("90m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(d.convert("12h")).isEqualTo(Duration.ofHours(12));
    assertThat(d.convert("30d")).isEqualTo(Duration.ofDays(30));
    assertThat(d.convert("2w")).isEqualTo(Duration.ofDays(14));
    assertThat(d.convert("P30D")).isEqualTo(Duration.ofDays(30));
    assertThat(d.convert("PT1H30M")).isEqualTo(Duration.ofMinutes(90));
    for (String bad : List.of("", "30", "d", "-1d", "1y", "P1Y", "soon")) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> d.convert(bad))
          .as(bad)
          .isInstanceOf(TypeConversionException.class)
          .hasMessageContaining("is not a duration");
    }
  }

  @Test
  void cleanupDeletedRejectsABadDurationAndBatchSize() {
    InProcess r = InProcess.run(DB, "cleanup", "deleted", "--older-than", "30");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err())
        .contains("'30' is not a duration")
        .contains("Try 'portfolio cleanup deleted --help'");
    InProcess b = InProcess.run(DB, "cleanup", "deleted", "--batch-size", "0");
    assertThat(b.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(b.err()).contains("cleanupDeleted.batchSize must be between 1 and 10000 (was 0)");
  }

  @Test
  void cleanupOrphansParsesItsOptions() {
    CleanupCommand.Orphans c =
        InProcess.parse("cleanup", "orphans", "--batch-size", "5000", "--dry-run", "--no-vacuum");
    OrphanCleanupOptions o = c.options();
    assertThat(o.batchSize()).isEqualTo(5000);
    assertThat(o.dryRun()).isTrue();
    assertThat(o.vacuum()).isFalse();
    assertThat(o.dropRetiredSets()).as("retired sets are kept for rollback").isFalse();
    InProcess r = InProcess.run(DB, "cleanup", "orphans", "--batch-size", "20000");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("cleanupOrphans.batchSize must be between 1 and 10000");
  }

  @Test
  void cleanupWithoutASubcommandIsAUsageError() {
    InProcess r = InProcess.run(DB, "cleanup");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("Missing required subcommand");
  }

  @Test
  void deleteSourceNeedsYesUnlessItIsADryRun() {
    DeleteSourceCommand c =
        InProcess.parse("delete-source", "s3://b/h.md", "-c", "docs", "--yes", "--json");
    assertThat(c.sourceId).isEqualTo("s3://b/h.md");
    assertThat(c.collection).isEqualTo("docs");
    assertThat(c.yes).isTrue();
    InProcess r = InProcess.run(DB, "delete-source", "s3://b/h.md", "-c", "docs");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err())
        .contains(
            "deleting source 's3://b/h.md' removes all its documents, chunks and vectors; add --yes"
                + " to confirm (or --dry-run to count them)")
        .contains("Try 'portfolio delete-source --help'");
    InProcess missing = InProcess.run(DB, "delete-source", "-c", "docs", "--yes");
    assertThat(missing.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(missing.err()).contains("Missing required parameter: 'SOURCE_ID'");
  }

  @Test
  void theProgressOfACommandEndsWithItsFiguresNotTheSummaryItPrintsItself() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CliIo io =
        new CliIo(System.out, new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), false);
    var reporter = ProgressMode.LINES.reporter(io);
    String summary = "reembed docs into set 1 (hashing:hashing-v1, missing): 3330 of 3330";
    reporter.started(event(0, null, ""));
    reporter.finished(event(3_330, ProgressEvent.Outcome.SUCCEEDED, summary));
    reporter.finished(
        new ProgressEvent(
            "verify",
            5,
            10,
            1,
            Duration.ofSeconds(5),
            "connection lost",
            ProgressEvent.Outcome.FAILED));
    assertThat(err.toString(StandardCharsets.UTF_8).lines().toList())
        .containsExactly(
            "reembed docs into set 1: started, 3,330 to do",
            "reembed docs into set 1: done in 0:27, 3,330/3,330 at 122/s",
            "verify: FAILED after 0:05 at 5/10 (50.0%): connection lost");
  }

  private static ProgressEvent event(long current, ProgressEvent.Outcome outcome, String message) {
    return new ProgressEvent(
        "reembed docs into set 1",
        current,
        3_330,
        current == 0 ? 0 : 122.3,
        Duration.ofSeconds(current == 0 ? 0 : 27),
        message,
        outcome);
  }
}
