package dev.portfolio.maintenance.cli;

import dev.portfolio.maintenance.cleanup.SourceDeleteOptions;
import dev.portfolio.maintenance.cleanup.SourceDeleteResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code portfolio delete-source}: deletes every document of a source. */
@Command(
    name = "delete-source",
    mixinStandardHelpOptions = true,
    description = {
      "Deletes every document of a source from a collection, soft-deleted ones included, with their"
          + " chunks and their vectors in every embedding set, in batches of documents, one"
          + " transaction each. Cannot be undone: needs --yes (or --dry-run to count first).",
      "Ctrl-C stops at a batch boundary: the batch in flight commits, the documents left are"
          + " whole, and the command exits with 130 after printing what was deleted and the command"
          + " that finishes the job (the same one: it is idempotent)."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  portfolio delete-source s3://bucket/handbook.md -c docs --dry-run",
      "  portfolio delete-source s3://bucket/handbook.md -c docs --yes",
      "  portfolio delete-source s3://bucket/big-export -c docs --yes --batch-size 100",
    })
final class DeleteSourceCommand extends StoreCommand {
  @Parameters(index = "0", paramLabel = "SOURCE_ID", description = "The source whose documents go.")
  String sourceId;

  @Option(
      names = {"-c", "--collection"},
      paramLabel = "NAME",
      description = "The collection (default: the only one; required when there are several).")
  String collection;

  @Option(names = "--yes", description = "Confirm: really delete the source's documents.")
  boolean yes;

  @Option(names = "--dry-run", description = "Only count what would be deleted.")
  boolean dryRun;

  @Option(
      names = "--batch-size",
      paramLabel = "N",
      description = "Documents deleted per transaction, 1 to 10000 (default: ${DEFAULT-VALUE}).")
  int batchSize = SourceDeleteOptions.DEFAULT_BATCH_SIZE;

  @Mixin ProgressOptions progress;

  /**
   * Builds the library's options for a collection, cancelled by Ctrl-C when {@code interrupts} is
   * not null; package-private for the option tests.
   */
  SourceDeleteOptions options(String collectionName, Interrupts interrupts) {
    return usage(
        () -> {
          SourceDeleteOptions.Builder b =
              SourceDeleteOptions.builder(collectionName, sourceId)
                  .batchSize(batchSize)
                  .dryRun(dryRun);
          if (interrupts != null) {
            b.cancellation(interrupts::requested);
          }
          return b.build();
        });
  }

  @Override
  int run() throws Exception {
    CliIo io = io();
    if (!yes && !dryRun) {
      throw CliException.usage(
          "deleting source '"
              + Text.printable(sourceId)
              + "' removes all its documents, chunks and vectors; add --yes to confirm (or"
              + " --dry-run to count them)");
    }
    // Bad values are usage errors before anything opens (the collection is resolved later).
    options(collection == null ? "default" : collection, null);
    SourceDeleteResult r;
    try (Interrupts interrupts =
        Interrupts.install(io, "delete-source", CleanupCommand.IN_FLIGHT)) {
      r =
          withStore(
              2,
              (store, pool) ->
                  maintenance(store, null, progress.reporter(io))
                      .deleteSource(
                          options(CollectionChoice.resolve(store, collection), interrupts)));
      // Printed before the hook is released: after a Ctrl-C the JVM ends once it is.
      print(Views.sourceDelete(r), () -> io.out().println(r.summary()));
      if (r.cancelled()) {
        return CleanupCommand.interrupted(
            io,
            spec,
            Text.count(r.documents())
                + " documents of source '"
                + Text.printable(sourceId)
                + "' ("
                + Text.count(r.chunks())
                + " chunks) were deleted in "
                + r.batches()
                + (r.batches() == 1 ? " batch" : " batches")
                + "; the documents left are whole",
            "delete the rest");
      }
      if (!r.dryRun() && r.documents() == 0) {
        io.err()
            .println(
                "portfolio: warning: no document of source '"
                    + Text.printable(sourceId)
                    + "' in "
                    + r.collection()
                    + "; check the source id (documents list it as sourceId).");
        io.err().flush();
      }
    }
    return ExitCodes.OK;
  }
}
