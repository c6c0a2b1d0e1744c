package dev.portfolio.maintenance.cli;

import dev.portfolio.core.spi.ProgressReporter;
import dev.portfolio.maintenance.diagnostics.DiagnosticsReport;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code portfolio diagnostics}: what the store holds, per collection and embedding set. */
@Command(
    name = "diagnostics",
    mixinStandardHelpOptions = true,
    description = {
      "Describes the store: the configuration (secrets masked), every collection with its documents,"
          + " failed documents, chunks, sources, chunks missing a vector and stale vectors, every"
          + " embedding set with its model, coverage and ANN index state (valid, invalid, missing),"
          + " and the size of every table and index.",
      "Only reads (two statements), so it also runs against a read-only replica."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  portfolio diagnostics",
      "  portfolio diagnostics --json | jq '.collections[] | {name, missing, stale}'",
    })
final class DiagnosticsCommand extends StoreCommand {
  @Override
  int run() throws Exception {
    CliIo io = io();
    DiagnosticsReport d =
        withStore(
            2, (store, pool) -> maintenance(store, null, ProgressReporter.SILENT).diagnostics());
    print(Views.diagnostics(d), () -> io.out().println(forPeople(d).toString().stripTrailing()));
    return ExitCodes.OK;
  }

  /** What the text shows for the embedder, which this command never loads. */
  static final String NO_EMBEDDER =
      "not used by diagnostics; commands that embed take --embedder or "
          + EmbedderOptions.ENV_EMBEDDER
          + " (each set's model is under Embedding sets)";

  /**
   * The report as the text shows it: the configuration's {@code embedder none} says why there is
   * none. The JSON keeps {@code "embedder": "none"}.
   */
  static DiagnosticsReport forPeople(DiagnosticsReport d) {
    if (!"none".equals(d.configuration().get("embedder"))) {
      return d;
    }
    Map<String, String> config = new LinkedHashMap<>(d.configuration());
    config.put("embedder", NO_EMBEDDER);
    return new DiagnosticsReport(d.takenAt(), config, d.collections(), d.storage(), d.totalBytes());
  }
}
