package dev.portfolio.maintenance.cli;

import dev.portfolio.core.spi.Embedder;
import dev.portfolio.index.pgvector.PgVectorStore;
import dev.portfolio.maintenance.health.HealthCheckOptions;
import dev.portfolio.maintenance.health.HealthReport;
import dev.portfolio.maintenance.jobs.JobQueue;
import dev.portfolio.maintenance.jobs.PgJobQueue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code portfolio health}: runs the health checks, optionally repairing, and exits 3 on FAIL. */
@Command(
    name = "health",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the health checks (orphans, coverage, stale, content integrity, dimension, NaN/zero and"
          + " foreign-model vectors, stalled and retired sets, truncation, metadata, keyword"
          + " index, ANN indexes, planner statistics, bloat, stuck jobs, failed documents) and"
          + " prints one line per check: NAME STATUS COUNT REMEDY. Exits with 3 when a check"
          + " FAILs, 0 otherwise (PASS or INFO).",
      "Only reads, unless --fix: then it removes orphans, re-embeds missing, stale and invalid"
          + " vectors (inline with --embedder, or as a job with --queue), rebuilds invalid ANN"
          + " indexes concurrently and analyses tables, then checks again."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  portfolio health",
      "  portfolio health -c docs --deep --json",
      "  portfolio health -c docs --fix --embedder onnx",
      "  portfolio health --fix --queue --output /var/log/portfolio/health.json",
    })
final class HealthCommand extends StoreCommand {
  @Option(
      names = {"-c", "--collection"},
      paramLabel = "NAME",
      description = "Check this collection (repeatable; default: every collection).")
  List<String> collections = new ArrayList<>();

  @Option(names = "--fix", description = "Repair what is safely repairable, then check again.")
  boolean fix;

  @Option(
      names = "--deep",
      description = "Examine every vector and chunk instead of a sample of 10,000 per set.")
  boolean deep;

  @Option(
      names = "--output",
      paramLabel = "FILE",
      description = "Also write the JSON report to this file (replaced when it exists).")
  Path output;

  @Option(
      names = "--queue",
      description =
          "With --fix, submit re-embed repairs as jobs to the job queue instead of running them"
              + " inline (a job worker carries them out).")
  boolean queue;

  @Option(
      names = "--require-metadata",
      paramLabel = "COLLECTION=KEY",
      description =
          "A metadata key every document of a collection must have (repeatable). Without one, a"
              + " collection's declared filter keys are required.")
  List<String> requiredMetadata = new ArrayList<>();

  @Option(
      names = "--progress",
      paramLabel = "MODE",
      description = "auto, bar, lines or none; on standard error (default: none).")
  ProgressMode progress = ProgressMode.NONE;

  @Mixin EmbedderOptions embedder;

  /** Builds the library's options; package-private for the option tests. */
  HealthCheckOptions options(JobQueue jobs) {
    return usage(
        () -> {
          HealthCheckOptions.Builder b =
              HealthCheckOptions.builder()
                  .collections(collections.toArray(new String[0]))
                  .fix(fix)
                  .deep(deep)
                  .jobQueue(jobs)
                  .queueRepairs(queue);
          for (String entry : requiredMetadata) {
            int eq = entry.indexOf('=');
            if (eq <= 0 || eq == entry.length() - 1) {
              throw new dev.portfolio.core.error.InvalidInputException(
                  "--require-metadata",
                  "--require-metadata must be COLLECTION=KEY (was '" + entry + "')");
            }
            b.requiredMetadataKeys(entry.substring(0, eq), entry.substring(eq + 1));
          }
          return b.build();
        });
  }

  @Override
  int run() throws Exception {
    CliIo io = io();
    options(null); // bad values are usage errors before anything is opened
    if (queue && !fix) {
      throw CliException.usage("--queue only applies with --fix");
    }
    boolean withEmbedder = embedder.given(io, connection.config(io));
    HealthReport report;
    try (Embedder e = withEmbedder ? embedder.create(io, connection.config(io), "health") : null) {
      report =
          withStore(
              (store, pool) -> {
                JobQueue jobs = jobQueue(io, store);
                return maintenance(store, e, progress.reporter(io)).healthCheck(options(jobs));
              });
    }
    if (output != null) {
      Files.writeString(output, report.toJson() + System.lineSeparator(), StandardCharsets.UTF_8);
    }
    print(Views.health(report), () -> io.out().print(report));
    return report.exitCode() == HealthReport.EXIT_FAIL ? ExitCodes.HEALTH_FAIL : ExitCodes.OK;
  }

  /** The job queue of the schema, or null (with a note) when its tables are not installed. */
  private JobQueue jobQueue(CliIo io, PgVectorStore store) {
    try {
      return PgJobQueue.on(store);
    } catch (RuntimeException e) {
      if (queue) {
        throw e;
      }
      io.warn("stuck jobs not checked: " + e.getMessage());
      return null;
    }
  }
}
