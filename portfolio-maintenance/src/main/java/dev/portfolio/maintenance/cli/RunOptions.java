package dev.portfolio.maintenance.cli;

import dev.portfolio.maintenance.reembed.ReembedOptions;
import picocli.CommandLine.Option;

/** The options of a long embedding run: batch size, concurrency, dry run, progress display. */
final class RunOptions {
  @Option(
      names = "--batch-size",
      paramLabel = "N",
      description =
          "Chunks read, embedded in one call and written together, 1 to "
              + ReembedOptions.MAX_BATCH_SIZE
              + " (default: ${DEFAULT-VALUE}).")
  int batchSize = ReembedOptions.DEFAULT_BATCH_SIZE;

  @Option(
      names = "--concurrency",
      paramLabel = "N",
      description =
          "Embedder calls in flight at once, 1 to "
              + ReembedOptions.MAX_CONCURRENCY
              + " (default: ${DEFAULT-VALUE}).")
  int concurrency = ReembedOptions.DEFAULT_MAX_CONCURRENCY;

  @Option(
      names = "--dry-run",
      description = "Only count the chunks and estimate their tokens; change nothing.")
  boolean dryRun;

  @Option(
      names = "--progress",
      paramLabel = "MODE",
      description =
          "auto (a bar on a terminal, plain lines otherwise), bar, lines or none; on standard"
              + " error (default: auto).")
  ProgressMode progress = ProgressMode.AUTO;

  /** Connections for a run: one per embedder call in flight, plus the reader. */
  int poolSize() {
    return Math.min(concurrency + 2, 20);
  }
}
