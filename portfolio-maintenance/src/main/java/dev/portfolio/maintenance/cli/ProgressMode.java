package dev.portfolio.maintenance.cli;

import dev.portfolio.core.progress.ConsoleProgressReporter;
import dev.portfolio.core.spi.ProgressReporter;

/** How long operations show progress on standard error ({@code --progress}). */
enum ProgressMode {
  /** A redrawing bar on a terminal, plain lines otherwise. */
  AUTO,
  /** Always the redrawing bar. */
  BAR,
  /** Always plain lines: one at the start, every 10% or 10 seconds, one at the end. */
  LINES,
  /** Nothing. */
  NONE;

  ProgressReporter reporter(CliIo io) {
    return switch (this) {
      case AUTO -> new ConsoleProgressReporter(io.err(), io.terminal());
      case BAR -> new ConsoleProgressReporter(io.err(), true);
      case LINES -> new ConsoleProgressReporter(io.err(), false);
      case NONE -> ProgressReporter.SILENT;
    };
  }
}
