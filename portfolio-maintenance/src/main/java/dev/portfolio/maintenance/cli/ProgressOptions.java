package dev.portfolio.maintenance.cli;

import dev.portfolio.core.spi.ProgressReporter;
import picocli.CommandLine.Option;

/** {@code --progress}: how a command that is not an embedding run shows its progress. */
final class ProgressOptions {
  @Option(
      names = "--progress",
      paramLabel = "MODE",
      description =
          "auto (a bar on a terminal, plain lines otherwise), bar, lines or none; on standard"
              + " error (default: auto).")
  ProgressMode progress = ProgressMode.AUTO;

  ProgressReporter reporter(CliIo io) {
    return progress.reporter(io);
  }
}
