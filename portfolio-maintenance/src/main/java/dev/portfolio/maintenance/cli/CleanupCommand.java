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
import picocli.CommandLine.Model.CommandSpec;
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

  /** What Ctrl-C says about these batch-per-transaction operations while they finish a batch. */
  static final String IN_FLIGHT = "the batch in flight (the batches done stay removed)";

  /** {@code portfolio cleanup deleted}. */
  @Command(
      name = "deleted",
      mixinStandardHelpOptions = true,
      description = {
        "Purges soft-deleted documents for good, with their chunks and their vectors in every"
            + " embedding set, oldest deletion first, one transaction per batch; then vacuums the"
            + " touched tables (skipped, with what to run, when the role does not own them).",
        "Ctrl-C stops at a batch boundary: the batch in flight commits, the documents left are"
            + " untouched, the vacuum is skipped, and the command exits with 130 after printing"
            + " what was removed and the command that finishes the job (the same one: it is"
            + " idempotent)."
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
      return options(null);
    }

    /** Builds the library's options, cancelled by Ctrl-C when {@code interrupts} is not null. */
    DeletedCleanupOptions options(Interrupts interrupts) {
      return usage(
          () -> {
            DeletedCleanupOptions.Builder b =
                DeletedCleanupOptions.builder()
                    .olderThan(olderThan)
                    .batchSize(batchSize)
                    .vacuum(!noVacuum)
                    .dryRun(dryRun);
            collections.forEach(b::collection);
            if (interrupts != null) {
              b.cancellation(interrupts::requested);
            }
            return b.build();
          });
    }

    @Override
    int run() throws Exception {
      CliIo io = io();
      options(); // bad values are usage errors before anything opens
      DeletedCleanupResult r;
      try (Interrupts interrupts = Interrupts.install(io, "cleanup deleted", IN_FLIGHT)) {
        DeletedCleanupOptions options = options(interrupts);
        r =
            withStore(
                2,
                (store, pool) ->
                    maintenance(store, null, progress.reporter(io)).cleanupDeleted(options));
        // Printed before the hook is released: after a Ctrl-C the JVM ends once it is.
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
        if (r.cancelled()) {
          PurgeResult t = r.total();
          int batches = r.collections().stream().mapToInt(CollectionPurge::batches).sum();
          return interrupted(
              io,
              spec,
              Text.count(t.documents())
                  + " soft-deleted documents ("
                  + Text.count(t.chunks())
                  + " chunks, "
                  + Text.count(t.vectors())
                  + " vectors) were purged in "
                  + batches
                  + (batches == 1 ? " batch" : " batches")
                  + "; the documents left are untouched and the vacuum was skipped",
              "purge the rest");
        }
      }
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
        "Ctrl-C stops at a batch boundary: the batch in flight commits, the rows left are"
            + " untouched, no retired set is dropped, the vacuum is skipped, and the command exits"
            + " with 130 after printing what was removed and the command that finishes the job"
            + " (the same one: it is idempotent)."
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
      return options(null);
    }

    /** Builds the library's options, cancelled by Ctrl-C when {@code interrupts} is not null. */
    OrphanCleanupOptions options(Interrupts interrupts) {
      return usage(
          () -> {
            OrphanCleanupOptions.Builder b =
                OrphanCleanupOptions.builder()
                    .batchSize(batchSize)
                    .vacuum(!noVacuum)
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
      options(); // bad values are usage errors before anything opens
      OrphanCleanupResult r;
      try (Interrupts interrupts = Interrupts.install(io, "cleanup orphans", IN_FLIGHT)) {
        OrphanCleanupOptions options = options(interrupts);
        r =
            withStore(
                2,
                (store, pool) ->
                    maintenance(store, null, progress.reporter(io)).cleanupOrphans(options));
        // Printed before the hook is released: after a Ctrl-C the JVM ends once it is.
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
        if (r.cancelled()) {
          return interrupted(
              io,
              spec,
              Text.count(r.removed())
                  + " orphaned rows were removed; the rows left are untouched and the vacuum was"
                  + " skipped",
              "remove the rest");
        }
      }
      return ExitCodes.OK;
    }
  }

  /**
   * Says on standard error that a batch-per-transaction command stopped on Ctrl-C, what it had
   * done, and the command that finishes the job; returns {@link ExitCodes#INTERRUPTED}.
   *
   * @param done what the committed batches did, one clause
   * @param rest what running the command again does, e.g. {@code purge the rest}
   */
  static int interrupted(CliIo io, CommandSpec spec, String done, String rest) {
    io.err()
        .println(
            "Interrupted at a batch boundary: "
                + done
                + ". The command is idempotent: run it again to "
                + rest
                + ":");
    io.err().println("  " + ResumeCommand.of(spec));
    io.err().flush();
    return ExitCodes.INTERRUPTED;
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
