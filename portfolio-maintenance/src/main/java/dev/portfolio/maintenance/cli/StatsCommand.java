package dev.portfolio.maintenance.cli;

import dev.portfolio.core.spi.ProgressReporter;
import dev.portfolio.maintenance.statistics.StatisticsOptions;
import dev.portfolio.maintenance.statistics.StatisticsReport;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code portfolio stats}: counts, index health and performance. */
@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
    description = {
      "Reports documents, failed documents, chunks, sources and storage (of one workspace with"
          + " --workspace); the health of indexes and tables (healthy, degraded or critical, with"
          + " what to do: invalid or missing ANN indexes, dead rows, tables never analysed, stale"
          + " planner statistics); and performance (write latencies from the operation log, the"
          + " buffer cache hit ratio). Health and performance are always for the whole store.",
      "Search latency is measured inside the process that searches, so a command line, which does"
          + " not search, has none to show. Only reads."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  portfolio stats",
      "  portfolio stats --workspace acme",
      "  portfolio stats --window 1h --json | jq .indexHealth",
    })
final class StatsCommand extends StoreCommand {
  @Option(
      names = "--workspace",
      paramLabel = "NAME",
      description = "Count only this workspace's documents (default: every document).")
  String workspace;

  @Option(
      names = "--window",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "How far back latencies are summarised: 90s, 15m, 1h, 7d (default: 15m).")
  Duration window = StatisticsOptions.DEFAULT_WINDOW;

  /** Builds the library's options; package-private for the option tests. */
  StatisticsOptions options() {
    return usage(() -> StatisticsOptions.defaults().withWindow(window));
  }

  @Override
  int run() throws Exception {
    CliIo io = io();
    StatisticsOptions options = options();
    StatisticsReport r =
        withStore(
            2,
            (store, pool) ->
                maintenance(store, null, ProgressReporter.SILENT).statistics(workspace, options));
    print(Views.statistics(r), () -> io.out().println(r.toString().stripTrailing()));
    return ExitCodes.OK;
  }
}
