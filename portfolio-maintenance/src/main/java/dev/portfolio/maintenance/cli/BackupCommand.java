package dev.portfolio.maintenance.cli;

import dev.portfolio.maintenance.backup.BackupOptions;
import dev.portfolio.maintenance.backup.BackupResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code portfolio backup}: writes collections into one verifiable archive. */
@Command(
    name = "backup",
    mixinStandardHelpOptions = true,
    description = {
      "Writes collections (documents, chunks, the active set's vectors, bit-exact) into one ZIP"
          + " archive with a SHA-256 manifest. On PostgreSQL the rows stream out with COPY in one"
          + " read-only snapshot. The archive appears under its name only when complete; a file"
          + " that exists is never overwritten.",
      "Check an archive with 'portfolio verify-backup', restore it with 'portfolio restore'."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  portfolio backup -o /backups --all",
      "  portfolio backup -o /backups/docs.zip -c docs --all-sets",
      "  portfolio backup -o /backups -c docs -c code --json",
    })
final class BackupCommand extends StoreCommand {
  @Option(
      names = {"-o", "--output"},
      required = true,
      paramLabel = "FILE|DIR",
      description =
          "A new file, or a directory where the archive gets a time-stamped name"
              + " (portfolio-backup-<time>.zip).")
  Path output;

  @ArgGroup(exclusive = true)
  Selection selection = new Selection();

  @Option(
      names = "--all-sets",
      description =
          "Archive a building set (a model switch under way) too; the active set always is.")
  boolean allSets;

  @Option(
      names = "--jobs",
      paramLabel = "N",
      description =
          "Threads: 1 does everything on one thread, 2 compresses and writes on a second one"
              + " (default: ${DEFAULT-VALUE}).")
  int jobs = BackupOptions.DEFAULT_JOBS;

  @Option(
      names = "--progress",
      paramLabel = "MODE",
      description = "auto, bar, lines or none; on standard error (default: auto).")
  ProgressMode progress = ProgressMode.AUTO;

  /** Which collections; every one when neither is given. */
  static final class Selection {
    @Option(
        names = {"-c", "--collection"},
        paramLabel = "NAME",
        description = "A collection to back up (repeatable).")
    List<String> collections = new ArrayList<>();

    @Option(names = "--all", description = "Every collection (the default).")
    boolean all;
  }

  /** Builds the library's options; package-private for the option tests. */
  BackupOptions options() {
    return usage(
        () -> {
          BackupOptions o = new BackupOptions(selection.collections, allSets, jobs);
          return o;
        });
  }

  @Override
  int run() throws Exception {
    CliIo io = io();
    BackupOptions options = options();
    BackupResult r =
        withStore(
            (store, pool) ->
                maintenance(store, null, progress.reporter(io)).backup(output, options));
    print(
        Views.backup(r),
        () ->
            io.out()
                .printf(
                    "Wrote %s: %s, %s documents, %s chunks, %s vectors, %.1f MB (sha256 %s) in"
                        + " %s%n",
                    r.archive(),
                    r.collections().size() == 1
                        ? "1 collection"
                        : r.collections().size() + " collections",
                    Text.count(r.documents()),
                    Text.count(r.chunks()),
                    Text.count(
                        r.collections().stream()
                            .mapToLong(dev.portfolio.maintenance.backup.ArchivedCollection::vectors)
                            .sum()),
                    r.bytes() / 1e6,
                    r.sha256(),
                    Text.seconds(r.elapsed())));
    io.err().println("Check it with 'portfolio verify-backup " + r.archive() + "'.");
    io.err().flush();
    return ExitCodes.OK;
  }
}
