package dev.portfolio.maintenance.backup;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a backup wrote. {@link #toString()} is a summary:
 *
 * <pre>
 * backup /backups/portfolio-backup-20261130T201500Z.zip: 1 collection, 2000 documents, 20000
 * chunks, 20000 vectors, 31.2 MB (sha256 3f1c...) in 4.2 s
 * </pre>
 *
 * @param archive the archive file
 * @param collections what it holds, per collection
 * @param bytes the archive's size
 * @param sha256 the SHA-256 of the whole archive file, hex
 * @param elapsed the wall time
 * @since 0.1.0
 */
public record BackupResult(
    Path archive,
    List<ArchivedCollection> collections,
    long bytes,
    String sha256,
    Duration elapsed) {
  /** Copies the list. */
  public BackupResult {
    Objects.requireNonNull(archive, "archive");
    collections = List.copyOf(collections);
  }

  /**
   * Returns the documents over all collections.
   *
   * @return the sum
   */
  public long documents() {
    return collections.stream().mapToLong(ArchivedCollection::documents).sum();
  }

  /**
   * Returns the chunks over all collections.
   *
   * @return the sum
   */
  public long chunks() {
    return collections.stream().mapToLong(ArchivedCollection::chunks).sum();
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "backup %s: %d %s, %d documents, %d chunks, %d vectors, %.1f MB (sha256 %s) in %.1f s",
        archive,
        collections.size(),
        collections.size() == 1 ? "collection" : "collections",
        documents(),
        chunks(),
        collections.stream().mapToLong(ArchivedCollection::vectors).sum(),
        bytes / 1e6,
        sha256.substring(0, Math.min(12, sha256.length())) + "...",
        elapsed.toMillis() / 1000.0);
  }
}
