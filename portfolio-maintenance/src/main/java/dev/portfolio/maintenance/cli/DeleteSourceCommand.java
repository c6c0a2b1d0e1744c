package dev.portfolio.maintenance.cli;

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
          + " chunks and their vectors in every embedding set, in one transaction. Cannot be"
          + " undone: needs --yes (or --dry-run to count first).",
      "Ctrl-C before it commits changes nothing."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  portfolio delete-source s3://bucket/handbook.md -c docs --dry-run",
      "  portfolio delete-source s3://bucket/handbook.md -c docs --yes",
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

  @Mixin ProgressOptions progress;

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
    SourceDeleteResult r;
    Interrupts interrupts =
        Interrupts.installRollback(
            io,
            "delete-source",
            "its transaction is rolled back and nothing was deleted. Run the same command again.");
    try {
      r =
          withStore(
              2,
              (store, pool) ->
                  maintenance(store, null, progress.reporter(io))
                      .deleteSource(CollectionChoice.resolve(store, collection), sourceId, dryRun));
    } finally {
      interrupts.close();
    }
    print(Views.sourceDelete(r), () -> io.out().println(r.summary()));
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
    return ExitCodes.OK;
  }
}
