package dev.portfolio.maintenance.backup;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of checking an archive: structure, checksums, counts, and that every vector parses
 * with its set's dimension. {@link #toString()} is a summary:
 *
 * <pre>
 * archive backup.zip: VALID (format 1, made by Portfolio 0.1.0 at 2026-11-30T20:15:00Z): docs: 2000
 * documents, 20000 chunks, 20000 vectors in 1 set
 * archive bad.zip: INVALID: entry collections/0001/chunks.jsonl: SHA-256 differs from the manifest
 * </pre>
 *
 * @param archive the archive file
 * @param valid true when no problem was found
 * @param problems what is wrong, each naming the entry or the part of the file
 * @param formatVersion the archive's format version, or 0 when the manifest is unreadable
 * @param libraryVersion the version of Portfolio that wrote it, or empty
 * @param createdAt when it was written, or null when the manifest is unreadable
 * @param collections what the archive holds, as checked; empty when the manifest is unreadable
 * @since 0.1.0
 */
public record BackupVerification(
    Path archive,
    boolean valid,
    List<String> problems,
    int formatVersion,
    String libraryVersion,
    Instant createdAt,
    List<ArchivedCollection> collections) {
  /** Copies the lists. */
  public BackupVerification {
    Objects.requireNonNull(archive, "archive");
    problems = List.copyOf(problems);
    collections = List.copyOf(collections);
  }

  @Override
  public String toString() {
    if (!valid) {
      return "archive " + archive + ": INVALID: " + String.join("; ", problems);
    }
    return "archive "
        + archive
        + ": VALID (format "
        + formatVersion
        + ", made by Portfolio "
        + libraryVersion
        + " at "
        + createdAt
        + "): "
        + String.join("; ", collections.stream().map(ArchivedCollection::toString).toList());
  }
}
