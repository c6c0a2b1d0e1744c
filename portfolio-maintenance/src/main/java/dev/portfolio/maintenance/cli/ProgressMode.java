package dev.portfolio.maintenance.cli;

import dev.portfolio.core.progress.ConsoleProgressReporter;
import dev.portfolio.core.spi.ProgressEvent;
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
      case AUTO -> new ResultPrintedApart(new ConsoleProgressReporter(io.err(), io.terminal()));
      case BAR -> new ResultPrintedApart(new ConsoleProgressReporter(io.err(), true));
      case LINES -> new ResultPrintedApart(new ConsoleProgressReporter(io.err(), false));
      case NONE -> ProgressReporter.SILENT;
    };
  }

  /**
   * Leaves out the summary an operation attaches to its successful end: the command prints the
   * result on standard output itself, so the progress's last line on standard error ends with the
   * figures ({@code reembed docs: done in 0:27, 3,330/3,330 at 122/s}) instead of repeating it. A
   * failure's message is kept.
   */
  static final class ResultPrintedApart implements ProgressReporter {
    private final ProgressReporter console;

    ResultPrintedApart(ProgressReporter console) {
      this.console = console;
    }

    @Override
    public void started(ProgressEvent event) {
      console.started(event);
    }

    @Override
    public void progressed(ProgressEvent event) {
      console.progressed(event);
    }

    @Override
    public void finished(ProgressEvent event) {
      console.finished(
          event.outcome() == ProgressEvent.Outcome.SUCCEEDED
              ? new ProgressEvent(
                  event.operation(),
                  event.current(),
                  event.total(),
                  event.ratePerSecond(),
                  event.elapsed(),
                  "",
                  event.outcome())
              : event);
    }
  }
}
