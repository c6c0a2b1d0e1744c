package dev.portfolio.maintenance.cli;

import dev.portfolio.maintenance.verify.FindingKind;
import dev.portfolio.maintenance.verify.VerifyOptions;
import dev.portfolio.maintenance.verify.VerifyReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code portfolio verify}: checks every stored vector, set by set. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Verifies stored vectors set by set: counts vectors whose dimension or model is not their"
          + " set's, with NaN or infinite components, all zero, computed from older text of their"
          + " chunk (stale), or without a chunk (orphan), and lists sample chunk ids of each."
          + " Vectors are examined on the server, in pages; only reads.",
      "Exits with 1 when it finds a problem, so a scheduler can alert on it. Ctrl-C just stops"
          + " it: nothing was changed."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  portfolio verify",
      "  portfolio verify -c docs --set 3 --sample-rate 0.1",
      "  portfolio verify --include-retired --json | jq .totals",
    })
final class VerifyCommand extends StoreCommand {
  @Option(
      names = {"-c", "--collection"},
      paramLabel = "NAME",
      description = "Only this collection (repeatable; default: every collection).")
  List<String> collections = new ArrayList<>();

  @Option(
      names = "--set",
      paramLabel = "ID",
      description = "Only this embedding set, whatever its state (repeatable).")
  List<Long> sets = new ArrayList<>();

  @Option(
      names = "--include-retired",
      description = "Verify retired sets too (default: active and building sets).")
  boolean includeRetired;

  @Option(
      names = "--sample-rate",
      paramLabel = "RATE",
      description =
          "Share of vectors examined, above 0 up to 1; the same sample every run (default: 1,"
              + " every vector).")
  double sampleRate = 1.0;

  @Option(
      names = "--page-size",
      paramLabel = "N",
      description = "Vectors examined per round trip, 1 to 10000 (default: ${DEFAULT-VALUE}).")
  int pageSize = VerifyOptions.DEFAULT_PAGE_SIZE;

  @Option(
      names = "--max-samples",
      paramLabel = "N",
      description = "Chunk ids listed per set and problem, 0 to 1000 (default: ${DEFAULT-VALUE}).")
  int maxSamples = VerifyOptions.DEFAULT_MAX_SAMPLES;

  @Mixin ProgressOptions progress;

  /** Builds the library's options; package-private for the option tests. */
  VerifyOptions options() {
    return usage(
        () ->
            VerifyOptions.builder()
                .collections(collections.toArray(String[]::new))
                .sets(sets.stream().mapToLong(Long::longValue).toArray())
                .includeRetired(includeRetired)
                .sampleRate(sampleRate)
                .pageSize(pageSize)
                .maxSamples(maxSamples)
                .build());
  }

  @Override
  int run() throws Exception {
    CliIo io = io();
    VerifyOptions options = options();
    VerifyReport r =
        withStore(
            2,
            (store, pool) ->
                maintenance(store, null, progress.reporter(io)).verifyEmbeddings(options));
    print(Views.verify(r), () -> io.out().println(r.toString().stripTrailing()));
    if (r.isClean()) {
      return ExitCodes.OK;
    }
    io.err().println(advice(r));
    io.err().flush();
    return ExitCodes.FAILURE;
  }

  /** What to do about what was found, one sentence per kind found. */
  static String advice(VerifyReport r) {
    Map<FindingKind, Long> totals = r.totals();
    List<String> what = new ArrayList<>();
    long problems = totals.values().stream().mapToLong(Long::longValue).sum();
    what.add(Text.count(problems) + " problem" + (problems == 1 ? "" : "s") + " found.");
    if (totals.getOrDefault(FindingKind.STALE, 0L) > 0) {
      what.add("Stale vectors: 'portfolio reembed -c NAME --only-stale' re-embeds them.");
    }
    if (totals.getOrDefault(FindingKind.ORPHAN, 0L) > 0) {
      what.add("Orphans: 'portfolio cleanup orphans' removes them.");
    }
    long bad =
        totals.getOrDefault(FindingKind.DIMENSION_MISMATCH, 0L)
            + totals.getOrDefault(FindingKind.NON_FINITE, 0L)
            + totals.getOrDefault(FindingKind.ZERO_VECTOR, 0L)
            + totals.getOrDefault(FindingKind.MODEL_MISMATCH, 0L);
    if (bad > 0) {
      what.add(
          "Wrong dimension, model, NaN or zero vectors were not written through Portfolio:"
              + " 'portfolio reembed -c NAME --all' rewrites every vector of the active set.");
    }
    return String.join(" ", what);
  }
}
