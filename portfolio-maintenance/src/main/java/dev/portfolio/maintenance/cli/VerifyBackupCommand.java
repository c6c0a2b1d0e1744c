package dev.portfolio.maintenance.cli;

import dev.portfolio.maintenance.backup.ArchiveLimits;
import dev.portfolio.maintenance.backup.ArchivedCollection;
import dev.portfolio.maintenance.backup.BackupVerification;
import dev.portfolio.maintenance.internal.backup.ArchiveCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code portfolio verify-backup}: checks an archive without a database. */
@Command(
    name = "verify-backup",
    mixinStandardHelpOptions = true,
    description = {
      "Checks an archive without writing anything and without a database: the checksum of the"
          + " whole file and of every entry, the manifest, that every line parses, that counts and"
          + " dimensions match, and that the archive holds nothing hostile (path traversal, links,"
          + " decompression bombs). Every problem is named.",
      "Exits with 0 when the archive is valid, 1 when it is not."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  portfolio verify-backup /backups/portfolio-backup-20261130T201500123Z.zip",
      "  portfolio verify-backup docs.zip --json",
    })
final class VerifyBackupCommand extends BaseCommand {
  @Parameters(index = "0", paramLabel = "FILE", description = "The archive.")
  Path archive;

  @Option(
      names = "--progress",
      paramLabel = "MODE",
      description = "auto, bar, lines or none; on standard error (default: auto).")
  ProgressMode progress = ProgressMode.AUTO;

  @Override
  int run() {
    CliIo io = io();
    if (!Files.isRegularFile(archive)) {
      throw CliException.usage("no archive at " + archive);
    }
    BackupVerification v =
        new ArchiveCheck(ArchiveLimits.defaults()).verify(archive, progress.reporter(io));
    print(
        Views.verification(v),
        () -> {
          if (v.valid()) {
            io.out()
                .printf(
                    "%s: VALID (format %d, made by Portfolio %s at %s)%n",
                    v.archive(), v.formatVersion(), v.libraryVersion(), v.createdAt());
            Table t = new Table("COLLECTION", "DOCUMENTS", "CHUNKS", "VECTORS", "SETS");
            for (ArchivedCollection c : v.collections()) {
              t.row(
                  c.name(),
                  Text.count(c.documents()),
                  Text.count(c.chunks()),
                  Text.count(c.vectors()),
                  c.sets().size());
            }
            t.print(io.out());
          } else {
            io.out().printf("%s: INVALID, %d problems%n", v.archive(), v.problems().size());
            v.problems().forEach(p -> io.out().println("  " + p));
          }
        });
    if (!v.valid()) {
      io.err().println("Do not restore this archive; take a new backup or use an older one.");
      io.err().flush();
      return ExitCodes.FAILURE;
    }
    return ExitCodes.OK;
  }
}
