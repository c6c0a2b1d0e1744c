package dev.portfolio.maintenance.cli;

import dev.portfolio.core.spi.Embedder;
import dev.portfolio.maintenance.reembed.ChunkError;
import dev.portfolio.maintenance.retry.DocumentRetry;
import dev.portfolio.maintenance.retry.RetryOptions;
import dev.portfolio.maintenance.retry.RetryResult;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code portfolio retry-failed}: embeds again the documents that failed. */
@Command(
    name = "retry-failed",
    mixinStandardHelpOptions = true,
    description = {
      "Retries the failed documents of a collection with the embedder of its model: documents whose"
          + " embedder was unavailable are retried whatever their attempts, rejected ones while"
          + " they have fewer than --max-attempts, the rest are given up (marked permanent, never"
          + " retried again). A document that gets a vector for every chunk is ready again.",
      "Exits with 1 when documents are still failing. Ctrl-C stops at a batch boundary; run the"
          + " same command again to continue."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  portfolio retry-failed -c docs --embedder onnx --dry-run",
      "  portfolio retry-failed -c docs --embedder openai --max-attempts 5",
      "  portfolio retry-failed --embedder onnx --json    # the only collection",
    })
final class RetryFailedCommand extends StoreCommand {
  @Option(
      names = {"-c", "--collection"},
      paramLabel = "NAME",
      description = "The collection (default: the only one; required when there are several).")
  String collection;

  @Option(
      names = "--max-attempts",
      paramLabel = "N",
      description =
          "Failed attempts after which a rejected document is given up, 1 to 100 (default:"
              + " ${DEFAULT-VALUE}).")
  int maxAttempts = RetryOptions.DEFAULT_MAX_ATTEMPTS;

  @Option(
      names = "--batch-size",
      paramLabel = "N",
      description =
          "Failed documents read, and chunks embedded, together, 1 to 10000 (default:"
              + " ${DEFAULT-VALUE}).")
  int batchSize = RetryOptions.DEFAULT_BATCH_SIZE;

  @Option(
      names = "--source",
      paramLabel = "SOURCE_ID",
      description = "Only documents of this source (repeatable).")
  List<String> sources = new ArrayList<>();

  @Option(names = "--workspace", paramLabel = "NAME", description = "Only this workspace.")
  String workspace;

  @Option(
      names = "--dry-run",
      description = "Only say what would be retried and given up; change nothing.")
  boolean dryRun;

  @Mixin ProgressOptions progress;

  @Mixin EmbedderOptions embedder;

  /** Builds the library's options; package-private for the option tests. */
  RetryOptions options(String name, Interrupts interrupts) {
    return usage(
        () -> {
          RetryOptions.Builder b =
              RetryOptions.builder(name)
                  .maxAttempts(maxAttempts)
                  .batchSize(batchSize)
                  .workspace(workspace)
                  .dryRun(dryRun);
          sources.forEach(b::sourceId);
          if (interrupts != null) {
            b.cancellation(interrupts::requested);
          }
          return b.build();
        });
  }

  @Override
  int run() throws Exception {
    CliIo io = io();
    // Bad values are usage errors before anything is opened (the name is checked the same way).
    options(collection == null ? "any" : collection, null);
    RetryResult r;
    try (Embedder e = embedder.create(io, connection.config(io), "retry-failed");
        Interrupts interrupts =
            Interrupts.install(io, "retry-failed" + (collection == null ? "" : " " + collection))) {
      r =
          withStore(
              (store, pool) ->
                  maintenance(store, e, progress.reporter(io))
                      .retryFailed(
                          options(CollectionChoice.resolve(store, collection), interrupts)));
      report(io, r);
    }
    if (r.cancelled()) {
      return ExitCodes.INTERRUPTED;
    }
    return r.dryRun() || r.failedAgain() + r.gaveUp() + r.chunksFailed() == 0
        ? ExitCodes.OK
        : ExitCodes.FAILURE;
  }

  private void report(CliIo io, RetryResult r) {
    print(
        Views.retry(r),
        () -> {
          io.out().println(r.summary());
          List<DocumentRetry> notRecovered =
              r.documents().stream()
                  .filter(d -> d.outcome() != DocumentRetry.Outcome.RECOVERED)
                  .toList();
          if (!notRecovered.isEmpty()) {
            Table t = new Table("DOCUMENT", "OUTCOME", "ATTEMPTS", "REASON");
            List<DocumentRetry> shown =
                verbose
                    ? notRecovered
                    : notRecovered.stream().limit(ReembedCommand.ERRORS_SHOWN).toList();
            shown.forEach(d -> t.row(d.key(), Text.lower(d.outcome()), d.attempts(), d.reason()));
            t.print(io.out());
            if (shown.size() < notRecovered.size()) {
              io.out()
                  .printf(
                      "... and %s more (--verbose lists them)%n",
                      Text.count(notRecovered.size() - shown.size()));
            }
          }
          if (verbose && !r.errors().isEmpty()) {
            Table t = new Table("CHUNK", "DOCUMENT", "REASON");
            for (ChunkError e : r.errors()) {
              t.row(e.chunkId(), e.documentKey(), e.reason());
            }
            t.print(io.out());
          }
        });
    if (r.cancelled()) {
      io.err()
          .println(
              "Interrupted at a batch boundary; the documents recovered are kept. Run the same"
                  + " command again to continue.");
    } else if (!r.dryRun() && r.failedAgain() + r.gaveUp() > 0) {
      io.err()
          .printf(
              "%s document%s still failing (%s given up: marked permanent, never retried"
                  + " again). Fix the input or the embedder and run the same command again.%n",
              Text.count(r.failedAgain() + r.gaveUp()),
              r.failedAgain() + r.gaveUp() == 1 ? " is" : "s are",
              Text.count(r.gaveUp()));
    }
    io.err().flush();
  }
}
