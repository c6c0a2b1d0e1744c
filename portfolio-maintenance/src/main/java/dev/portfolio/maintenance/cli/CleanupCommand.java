package dev.portfolio.maintenance.cli;

import dev.portfolio.core.model.PurgeResult;
import dev.portfolio.core.model.VacuumOutcome;
import dev.portfolio.maintenance.cleanup.CollectionPurge;
import dev.portfolio.maintenance.cleanup.DeletedCleanupOptions;
import dev.portfolio.maintenance.cleanup.DeletedCleanupResult;
import dev.portfolio.maintenance.cleanup.OrphanCleanupOptions;
import dev.portfolio.maintenance.cleanup.OrphanCleanupResult;
import dev.portfolio.maintenance.cleanup.OrphanCount;
import dev.portfolio.maintenance.cleanup.RetiredSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code portfolio cleanup}: removes soft-deleted documents and orphaned rows for good. */
@Command(
    name = "cleanup",
    mixinStandardHelpOptions = true,
    description = "Removes soft-deleted documents and orphaned rows for good.",
    synopsisSubcommandLabel = "(deleted | orphans)",
    subcommands = {CleanupCommand.Deleted.class, CleanupCommand.Orphans.class},
    footerHeading = "%nExamples:%n",
    footer = {
      "  portfolio cleanup deleted --older-than 30d",
      "  portfolio cleanup orphans --dry-run",
    })
final class CleanupCommand {
  private CleanupCommand() {}

  /** What Ctrl-C says about these batch-per-transaction operations. */
  static final String RESUME =
      "the batch in flight is rolled back, the batches before it stay removed. Run the same"
          + " command again to finish.";

  /** {@code portfolio cleanup deleted}. */
  @Command(
      name = "deleted",
      mixinStandardHelpOptions = true,
      description = {
        "Purges soft-deleted documents for good, with their chunks and their vectors in every"
            + " embedding set, oldest deletion first, one transaction per batch; then vacuums the"
            + " touched tables (skipped, with what to run, when the role does not own them).",
        "Ctrl-C stops at once: the batch in flight is rolled back, the batches before it stay"
            + " removed; run the same command again to finish."
      },
      footerHeading = "%nExamples:%n",
      footer = {
        "  portfolio cleanup deleted --older-than 30d --dry-run",
        "  portfolio cleanup deleted --older-than 30d",
        "  portfolio cleanup deleted -c docs --batch-size 100 --json",
      })
  static final class Deleted extends StoreCommand {
    @Option(
        names = "--older-than",
        paramLabel = "DURATION",
        converter = DurationConverter.class,
        description =
            "Only documents soft-deleted at least this long ago: 12h, 30d, 2w or ISO-8601 P30D"
                + " (default: every soft-deleted document).")
    Duration olderThan;

    @Option(
        names = {"-c", "--collection"},
        paramLabel = "NAME",
        description = "Only this collection (repeatable; default: every collection).")
    List<String> collections = new ArrayList<>();

    @Option(
        names = "--batch-size",
        paramLabel = "N",
        description = "Documents purged per transaction, 1 to 10000 (default: ${DEFAULT-VALUE}).")
    int batchSize = DeletedCleanupOptions.DEFAULT_BATCH_SIZE;

    @Option(names = "--no-vacuum", description = "Leave reclaiming the space to autovacuum.")
    boolean noVacuum;

    @Option(names = "--dry-run", description = "Only count what would be removed.")
    boolean dryRun;

    @Mixin ProgressOptions progress;

    /** Builds the library's options; package-private for the option tests. */
    DeletedCleanupOptions options() {
      return usage(
          () -> {
            DeletedCleanupOptions.Builder b =
                DeletedCleanupOptions.builder()
                    .olderThan(olderThan)
                    .batchSize(batchSize)
                    .vacuum(!noVacuum)
                    .dryRun(dryRun);
            collections.forEach(b::collection);
            return b.build();
          });
    }

    @Override
    int run() throws Exception {
      CliIo io = io();
      DeletedCleanupOptions options = options();
      DeletedCleanupResult r;
      Interrupts interrupts = Interrupts.installRollback(io, "cleanup deleted", RESUME);
      try {
        r =
            withStore(
                2,
                (store, pool) ->
                    maintenance(store, null, progress.reporter(io)).cleanupDeleted(options));
      } finally {
        interrupts.close();
      }
      print(
          Views.deletedCleanup(r),
          () -> {
            io.out().println(r.summary());
            if (r.total().documents() > 0) {
              Table t = new Table("COLLECTION", "DOCUMENTS", "CHUNKS", "VECTORS", "BATCHES");
              for (CollectionPurge c : r.collections()) {
                PurgeResult p = c.removed();
                t.row(c.collection(), p.documents(), p.chunks(), p.vectors(), c.batches());
              }
              t.print(io.out());
            }
            printVacuum(io, r.vacuum());
          });
      return ExitCodes.OK;
    }
  }

  /** {@code portfolio cleanup orphans}. */
  @Command(
      name = "orphans",
      mixinStandardHelpOptions = true,
      description = {
        "Removes orphaned rows of every collection: chunks whose document is gone, documents marked"
            + " ready without chunks, vectors whose chunk is gone and vectors of sets that no longer"
            + " exist, in batches; then vacuums the touched tables. Retired sets are not orphans:"
            + " they are listed with their vectors and kept for a rollback.",
        "Ctrl-C stops at once: the batch in flight is rolled back, the batches before it stay"
            + " removed; run the same command again to finish."
      },
      footerHeading = "%nExamples:%n",
      footer = {
        "  portfolio cleanup orphans --dry-run",
        "  portfolio cleanup orphans --batch-size 5000",
        "  portfolio cleanup orphans --json | jq .orphans",
      })
  static final class Orphans extends StoreCommand {
    @Option(
        names = "--batch-size",
        paramLabel = "N",
        description = "Rows deleted per transaction, 1 to 10000 (default: ${DEFAULT-VALUE}).")
    int batchSize = OrphanCleanupOptions.DEFAULT_BATCH_SIZE;

    @Option(names = "--no-vacuum", description = "Leave reclaiming the space to autovacuum.")
    boolean noVacuum;

    @Option(names = "--dry-run", description = "Only count the orphans.")
    boolean dryRun;

    @Mixin ProgressOptions progress;

    /** Builds the library's options; package-private for the option tests. */
    OrphanCleanupOptions options() {
      return usage(
          () ->
              OrphanCleanupOptions.builder()
                  .batchSize(batchSize)
                  .vacuum(!noVacuum)
                  .dryRun(dryRun)
                  .build());
    }

    @Override
    int run() throws Exception {
      CliIo io = io();
      OrphanCleanupOptions options = options();
      OrphanCleanupResult r;
      Interrupts interrupts = Interrupts.installRollback(io, "cleanup orphans", RESUME);
      try {
        r =
            withStore(
                2,
                (store, pool) ->
                    maintenance(store, null, progress.reporter(io)).cleanupOrphans(options));
      } finally {
        interrupts.close();
      }
      print(
          Views.orphanCleanup(r),
          () -> {
            io.out().println(r.summary());
            Table t = new Table("ORPHANS", "FOUND", "REMOVED");
            for (OrphanCount o : r.orphans()) {
              t.row(Text.lower(o.kind()), o.found(), r.dryRun() ? null : o.removed());
            }
            t.print(io.out());
            if (!r.retiredSets().isEmpty()) {
              Table sets = new Table("COLLECTION", "RETIRED SET", "MODEL", "VECTORS", "ACTION");
              for (RetiredSet s : r.retiredSets()) {
                sets.row(
                    s.set().collection(), s.set().id(), s.set().model(), s.vectors(), s.action());
              }
              sets.print(io.out());
            }
            printVacuum(io, r.vacuum());
          });
      return ExitCodes.OK;
    }
  }

  /** Lists the vacuum outcomes that need the operator's attention (skipped or failed tables). */
  static void printVacuum(CliIo io, List<VacuumOutcome> vacuum) {
    for (VacuumOutcome v : vacuum) {
      if (v.status() != VacuumOutcome.Status.DONE
          && v.status() != VacuumOutcome.Status.NOT_NEEDED) {
        io.err().println("portfolio: vacuum " + Text.lower(v.status()) + ": " + v.detail());
      }
    }
    io.err().flush();
  }
}
