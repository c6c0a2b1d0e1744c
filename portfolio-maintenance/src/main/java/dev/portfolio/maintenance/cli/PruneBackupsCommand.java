package dev.portfolio.maintenance.cli;

import dev.portfolio.maintenance.backup.PruneResult;
import dev.portfolio.maintenance.internal.backup.Retention;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code portfolio prune-backups}: deletes old archives from a directory. */
@Command(
    name = "prune-backups",
    mixinStandardHelpOptions = true,
    description = {
      "Deletes the archives (portfolio-backup-*.zip, portfolio-safety-*.zip) of a directory that"
          + " are older than the given number of days (by their modification time). The newest"
          + " archive is always kept, and other files are never touched. No database is needed."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  portfolio prune-backups /backups --older-than 30",
      "  portfolio prune-backups /backups --older-than 7 --json",
    })
final class PruneBackupsCommand extends BaseCommand {
  @Parameters(index = "0", paramLabel = "DIR", description = "The directory of the archives.")
  Path directory;

  @Option(
      names = "--older-than",
      required = true,
      paramLabel = "DAYS",
      description = "Delete archives older than this many days (at least 1).")
  int days;

  /** The age; package-private for the option tests. */
  Duration olderThan() {
    if (days < 1) {
      throw CliException.usage("--older-than must be at least 1 day (was " + days + ")");
    }
    return Duration.ofDays(days);
  }

  @Override
  int run() {
    CliIo io = io();
    Duration age = olderThan();
    if (!Files.isDirectory(directory)) {
      throw CliException.usage("no directory at " + directory);
    }
    PruneResult r = usage(() -> Retention.prune(directory, age));
    print(
        Views.prune(r),
        () -> {
          io.out()
              .printf(
                  "Deleted %d archive%s older than %d days from %s; kept %d.%n",
                  r.deleted().size(),
                  r.deleted().size() == 1 ? "" : "s",
                  days,
                  directory,
                  r.kept().size());
          r.deleted().forEach(p -> io.out().println("  deleted " + p.getFileName()));
        });
    return ExitCodes.OK;
  }
}
