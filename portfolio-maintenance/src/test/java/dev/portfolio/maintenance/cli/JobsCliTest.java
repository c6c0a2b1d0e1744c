package dev.portfolio.maintenance.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portfolio.maintenance.ingest.DirectoryLoader;
import dev.portfolio.maintenance.ingest.IngestMode;
import dev.portfolio.maintenance.ingest.IngestOptions;
import dev.portfolio.maintenance.jobs.JobQuery;
import dev.portfolio.maintenance.jobs.JobStatus;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Option parsing and usage errors of {@code ingest}, {@code jobs} and {@code reembed --as-job}. */
class JobsCliTest {
  private static final Map<String, String> DB =
      Map.of("PORTFOLIO_JDBC_URL", "jdbc:postgresql://127.0.0.1:1/none");

  @TempDir Path dir;

  // ------------------------------------------------------------------------- ingest

  @Test
  void ingestMapsEveryOptionOntoTheLoaderAndIngestOptions() {
    IngestCommand c =
        InProcess.parse(
            "ingest",
            dir.toString(),
            "-c",
            "handbook",
            "--glob",
            "**.md",
            "--source",
            "handbook",
            "--workspace",
            "team-a",
            "--mode",
            "full-sync",
            "--force",
            "--batch-size",
            "25",
            "--title-prefix",
            "--fingerprint-key",
            "lang",
            "--fingerprint-key",
            "audience",
            "--max-tokens",
            "100000",
            "--max-cost",
            "2.5",
            "--price-per-1k",
            "0.0001");
    DirectoryLoader loader = c.loader();
    assertThat(loader.root()).isEqualTo(dir);
    assertThat(loader.glob()).isEqualTo("**.md");
    assertThat(loader.sourceId()).isEqualTo("handbook");
    assertThat(loader.workspace()).isEqualTo("team-a");
    IngestOptions o = c.options(null);
    assertThat(o.mode()).isEqualTo(IngestMode.FULL_SYNC);
    assertThat(o.sourceId()).isEqualTo("handbook");
    assertThat(o.force()).isTrue();
    assertThat(o.batchSize()).isEqualTo(25);
    assertThat(o.titlePrefix()).isTrue();
    assertThat(o.fingerprintKeys()).containsExactlyInAnyOrder("lang", "audience");
    assertThat(o.tokenBudget()).isEqualTo(100_000);
    assertThat(o.costBudget()).isEqualTo(2.5);
    assertThat(o.costPer1kTokens()).isEqualTo(0.0001);

    IngestOptions defaults =
        InProcess.<IngestCommand>parse("ingest", dir.toString(), "-c", "docs").options(null);
    assertThat(defaults.mode()).isEqualTo(IngestMode.UPSERT);
    assertThat(defaults.batchSize()).isEqualTo(IngestOptions.defaults().batchSize());
    assertThat(defaults.tokenBudget()).isZero();
    for (String mode : new String[] {"add-only", "update-only", "skip-existing", "upsert"}) {
      assertThat(IngestCommand.mode(mode).name().replace('_', '-')).isEqualToIgnoringCase(mode);
    }
  }

  @Test
  void ingestUsageErrorsNameTheOptionAndExitWithTwo() {
    InProcess badMode = InProcess.run(DB, "ingest", dir.toString(), "-c", "docs", "--mode", "sync");
    assertThat(badMode.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(badMode.err())
        .contains(
            "--mode must be upsert, add-only, update-only, skip-existing or full-sync (was 'sync')");

    InProcess fullSync =
        InProcess.run(DB, "ingest", dir.toString(), "-c", "docs", "--mode", "full-sync");
    assertThat(fullSync.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(fullSync.err()).contains("ingest.sourceId is required with mode FULL_SYNC");

    InProcess missing = InProcess.run(DB, "ingest", dir.resolve("nope").toString(), "-c", "docs");
    assertThat(missing.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(missing.err()).contains("is not a directory");

    InProcess noCollection = InProcess.run(DB, "ingest", dir.toString());
    assertThat(noCollection.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(noCollection.err()).contains("Missing required option: '--collection=NAME'");

    InProcess noEmbedder = InProcess.run(DB, "ingest", dir.toString(), "-c", "docs");
    assertThat(noEmbedder.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(noEmbedder.err()).contains("ingest needs an embedder: pass --embedder <id>");
  }

  // ------------------------------------------------------------------------- jobs

  @Test
  void jobsListMapsStatusesKindLimitAndPageOntoTheQuery() {
    JobQuery q =
        InProcess.<JobsCommand.ListJobs>parse(
                "jobs",
                "list",
                "--status",
                "running",
                "--status",
                "PAUSED",
                "--kind",
                "reembed",
                "--limit",
                "20",
                "--before",
                "42")
            .query();
    assertThat(q.statuses()).containsExactlyInAnyOrder(JobStatus.RUNNING, JobStatus.PAUSED);
    assertThat(q.kind()).isEqualTo("reembed");
    assertThat(q.limit()).isEqualTo(20);
    assertThat(q.beforeId()).isEqualTo(42);
    JobQuery all = InProcess.<JobsCommand.ListJobs>parse("jobs", "list").query();
    assertThat(all.statuses()).isEmpty();
    assertThat(all.limit()).isEqualTo(JobQuery.DEFAULT_LIMIT);
  }

  @Test
  void jobsUsageErrorsExitWithTwo() {
    InProcess status = InProcess.run(DB, "jobs", "list", "--status", "sleeping");
    assertThat(status.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(status.err()).contains("sleeping");

    InProcess id = InProcess.run(DB, "jobs", "status", "seven");
    assertThat(id.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(id.err()).contains("'seven' is not a long");

    InProcess noId = InProcess.run(DB, "jobs", "cancel");
    assertThat(noId.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(noId.err()).contains("Missing required parameter: 'ID'");

    InProcess days = InProcess.run(DB, "jobs", "cleanup", "--older-than", "-1");
    assertThat(days.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(days.err()).contains("--older-than must be 0 or more days (was -1)");

    InProcess noDays = InProcess.run(DB, "jobs", "cleanup");
    assertThat(noDays.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(noDays.err()).contains("Missing required option: '--older-than=DAYS'");

    InProcess concurrency = InProcess.run(DB, "jobs", "worker", "--concurrency", "0");
    assertThat(concurrency.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(concurrency.err()).contains("--concurrency must be between 1 and 64 (was 0)");

    InProcess kinds = InProcess.run(DB, "jobs", "worker", "--kinds", "reembed,cleanup");
    assertThat(kinds.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(kinds.err())
        .contains(
            "--kinds: this worker cannot run 'reembed'; it runs [switch, cleanup, backup]"
                + " (reembed, ingest and retry need --embedder)");

    InProcess unknown =
        InProcess.run(DB, "jobs", "worker", "--embedder", "hashing", "--kinds", "reembed,export");
    assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(unknown.err()).contains("--kinds: this worker cannot run 'export'");
  }

  @Test
  void theWorkerSplitsItsKindsOnCommas() {
    JobsCommand.Worker w =
        InProcess.parse("jobs", "worker", "--kinds", "reembed,ingest", "--concurrency", "3");
    assertThat(w.kinds).containsExactly("reembed", "ingest");
    assertThat(w.concurrency).isEqualTo(3);
    assertThat(w.leaseSeconds).isEqualTo(60);
  }

  // ------------------------------------------------------------------------- reembed --as-job

  @Test
  void reembedAsJobTakesAUnitSizeAndRefusesADryRun() {
    ReembedCommand c =
        InProcess.parse(
            "reembed", "-c", "docs", "--all", "--as-job", "--unit-size", "5000", "--priority", "3");
    assertThat(c.asJob).isTrue();
    assertThat(c.unitSize).isEqualTo(5000);
    assertThat(c.priority).isEqualTo(3);

    InProcess dry = InProcess.run(DB, "reembed", "-c", "docs", "--as-job", "--dry-run");
    assertThat(dry.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(dry.err())
        .contains("A dry run changes nothing and returns its estimate: run it inline");

    InProcess unit = InProcess.run(DB, "reembed", "-c", "docs", "--as-job", "--unit-size", "0");
    assertThat(unit.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(unit.err()).contains("reembed.unitSize must be between 1 and 10000000 (was 0)");
  }
}
