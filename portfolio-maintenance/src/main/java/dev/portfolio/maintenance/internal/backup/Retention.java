package dev.portfolio.maintenance.internal.backup;

import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.error.NonRetriableException;
import dev.portfolio.maintenance.backup.PruneResult;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Deletes archives older than a given age from a directory. Only regular files named as this
 * library names archives ({@code portfolio-backup-*.zip}, {@code portfolio-safety-*.zip}) are
 * considered, never symbolic links or other files, and the newest archive is always kept.
 */
public final class Retention {
  private static final Pattern ARCHIVE = Pattern.compile("portfolio-(backup|safety)-.+\\.zip");

  private Retention() {}

  /**
   * Prunes a directory.
   *
   * @param directory the directory
   * @param olderThan the age above which an archive is deleted
   * @return what was deleted and kept
   */
  public static PruneResult prune(Path directory, Duration olderThan) {
    if (!Files.isDirectory(directory)) {
      throw new InvalidInputException(
          "directory", "Backup directory " + directory + " does not exist or is not a directory.");
    }
    if (olderThan.isNegative()) {
      throw new InvalidInputException("olderThan", "olderThan must not be negative");
    }
    List<Path> archives = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
      for (Path p : files) {
        Path name = p.getFileName();
        if (name != null
            && ARCHIVE.matcher(name.toString()).matches()
            && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          archives.add(p);
        }
      }
      archives.sort(Comparator.comparing(Retention::modified).reversed());
      Instant cutoff = Instant.now().minus(olderThan);
      List<Path> deleted = new ArrayList<>();
      List<Path> kept = new ArrayList<>();
      for (int i = 0; i < archives.size(); i++) {
        Path p = archives.get(i);
        if (i > 0 && modified(p).toInstant().isBefore(cutoff)) {
          Files.delete(p);
          deleted.add(p);
        } else {
          kept.add(p);
        }
      }
      return new PruneResult(deleted, kept);
    } catch (IOException e) {
      throw new NonRetriableException(
          ErrorCode.STORE_FAILURE,
          "Pruning backups in " + directory + " failed: " + e.getMessage(),
          e);
    }
  }

  private static FileTime modified(Path p) {
    try {
      return Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      return FileTime.fromMillis(0);
    }
  }
}
