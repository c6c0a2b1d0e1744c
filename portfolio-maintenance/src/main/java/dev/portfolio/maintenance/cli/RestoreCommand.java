package dev.portfolio.maintenance.cli;

import dev.portfolio.core.spi.ProgressReporter;
import dev.portfolio.maintenance.backup.ArchiveLimits;
import dev.portfolio.maintenance.backup.ArchivedCollection;
import dev.portfolio.maintenance.backup.BackupVerification;
import dev.portfolio.maintenance.backup.RestoreOptions;
import dev.portfolio.maintenance.backup.RestoreResult;
import dev.portfolio.maintenance.internal.backup.ArchiveCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code portfolio restore}: puts archived collections back, all or nothing per collection. */
@Command(
    name = "restore",
    mixinStandardHelpOptions = true,
    description = {
      "Restores collections from an archive. The archive is verified first; nothing is written"
          + " unless it is valid. Each collection is rebuilt under a staging name and put in place"
          + " in one transaction only when complete, so a failure leaves the previous collection"
          + " intact.",
      "Modes: empty (the default) refuses when a collection exists; replace replaces it after a"
          + " safety backup of it (portfolio-safety-<time>.zip beside the archive, or in"
          + " --safety-dir); rename restores one collection under the name given with --as."
          + " Needs --yes."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  portfolio restore /backups/portfolio-backup-20261130T201500123Z.zip --yes",
      "  portfolio restore docs.zip --mode replace --safety-dir /backups --yes",
      "  portfolio restore docs.zip --mode rename -c docs --as docs-copy --yes --json",
    })
final class RestoreCommand extends StoreCommand {
  /** How archived collections land. */
  enum Mode {
    /** Refuse when a collection exists. */
    EMPTY,
    /** Replace existing collections after a safety backup. */
    REPLACE,
    /** Restore one collection under a new name. */
    RENAME
  }

  @Parameters(index = "0", paramLabel = "FILE", description = "The archive.")
  Path archive;

  @Option(
      names = "--mode",
      paramLabel = "MODE",
      description = "empty, replace or rename (default: empty).")
  Mode mode = Mode.EMPTY;

  @Option(
      names = "--as",
      paramLabel = "NAME",
      description = "With --mode rename: the name the collection gets.")
  String as;

  @Option(
      names = {"-c", "--collection"},
      paramLabel = "NAME",
      description =
          "Restore only this archived collection (repeatable; with --mode rename, the one to"
              + " rename, needed when the archive holds several).")
  List<String> collections = new ArrayList<>();

  @Option(
      names = "--safety-dir",
      paramLabel = "DIR",
      description = "With --mode replace: where the safety backup goes (default: beside FILE).")
  Path safetyDir;

  @Option(names = "--yes", description = "Confirm: write the collections into the database.")
  boolean yes;

  @Option(
      names = "--progress",
      paramLabel = "MODE",
      description = "auto, bar, lines or none; on standard error (default: auto).")
  ProgressMode progress = ProgressMode.AUTO;

  /**
   * Builds the library's options; package-private for the option tests.
   *
   * @param onlyCollection the archive's only collection, for a rename without -c (may be null)
   */
  RestoreOptions options(String onlyCollection) {
    if (mode == Mode.RENAME) {
      if (as == null) {
        throw CliException.usage("--mode rename needs the new name: --as NAME");
      }
      if (collections.size() > 1) {
        throw CliException.usage("--mode rename restores one collection; give one -c NAME");
      }
    } else if (as != null) {
      throw CliException.usage("--as NAME goes with --mode rename");
    }
    if (safetyDir != null && mode != Mode.REPLACE) {
      throw CliException.usage("--safety-dir goes with --mode replace");
    }
    return usage(
        () -> {
          RestoreOptions o =
              mode == Mode.REPLACE ? RestoreOptions.replace() : RestoreOptions.intoEmpty();
          if (mode == Mode.RENAME) {
            String from = collections.isEmpty() ? onlyCollection : collections.get(0);
            return o.renamed(from, as);
          }
          if (!collections.isEmpty()) {
            o = o.only(collections.toArray(String[]::new));
          }
          return safetyDir == null ? o : o.safetyBackupsIn(safetyDir);
        });
  }

  @Override
  int run() throws Exception {
    CliIo io = io();
    if (!Files.isRegularFile(archive)) {
      throw CliException.usage("no archive at " + archive);
    }
    options("archived"); // bad combinations are usage errors before anything is read
    if (!yes) {
      throw CliException.usage(
          "restoring writes collections into schema '"
              + connection.schema(io)
              + "'"
              + (mode == Mode.REPLACE ? " and replaces the ones that exist" : "")
              + "; add --yes to confirm");
    }
    String only = null;
    if (mode == Mode.RENAME && collections.isEmpty()) {
      only = onlyCollection();
    }
    RestoreOptions options = options(only);
    RestoreResult r =
        withStore(
            (store, pool) ->
                maintenance(store, null, progress.reporter(io)).restore(archive, options));
    print(
        Views.restore(r),
        () -> {
          io.out()
              .printf(
                  "Restored %s from %s in %s%n",
                  r.collections().size() == 1
                      ? "1 collection"
                      : r.collections().size() + " collections",
                  archive,
                  Text.seconds(r.elapsed()));
          Table t = new Table("COLLECTION", "DOCUMENTS", "CHUNKS", "VECTORS", "SETS");
          for (ArchivedCollection c : r.collections()) {
            t.row(
                c.name(),
                Text.count(c.documents()),
                Text.count(c.chunks()),
                Text.count(c.vectors()),
                c.sets().size());
          }
          t.print(io.out());
          r.safetyBackup()
              .ifPresent(p -> io.out().println("Safety backup of what was replaced: " + p));
        });
    return ExitCodes.OK;
  }

  /** The archive's only collection, read from a verification; a usage error when there are more. */
  private String onlyCollection() {
    BackupVerification v =
        new ArchiveCheck(ArchiveLimits.defaults()).verify(archive, ProgressReporter.SILENT);
    if (!v.valid()) {
      throw CliException.failure(
          "The archive "
              + archive
              + " cannot be restored; nothing was written: "
              + String.join("; ", v.problems()),
          null);
    }
    if (v.collections().size() != 1) {
      throw CliException.usage(
          "the archive holds "
              + v.collections().stream().map(ArchivedCollection::name).toList()
              + "; name the one to rename with -c NAME");
    }
    return v.collections().get(0).name();
  }
}
