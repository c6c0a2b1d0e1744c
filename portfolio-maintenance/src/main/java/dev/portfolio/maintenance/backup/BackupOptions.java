package dev.portfolio.maintenance.backup;

import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.validation.Inputs;
import java.util.List;

/**
 * What a backup holds, and how it is written.
 *
 * @param collections the collections to back up; empty means every collection
 * @param includeBuildingSets whether the vectors of a building set (a model switch under way) are
 *     archived too; the active set's always are. Retired sets are not archived: they exist only for
 *     a rollback of the store they live in.
 * @param jobs threads the backup uses, 1 or 2: with 1 the calling thread reads, encodes, compresses
 *     and writes; with 2 a second thread compresses and writes each entry while the caller reads
 *     and encodes the next rows (default: {@value #DEFAULT_JOBS})
 * @since 0.1.0
 */
public record BackupOptions(List<String> collections, boolean includeBuildingSets, int jobs) {
  /** The default number of threads: {@value}. */
  public static final int DEFAULT_JOBS = 2;

  /** The largest number of threads: {@value}. */
  public static final int MAX_JOBS = 2;

  /** Validates the names and the jobs, and copies the list. */
  public BackupOptions {
    collections = List.copyOf(Inputs.requireNonNull("collections", collections));
    collections.forEach(Inputs::collectionName);
    if (jobs < 1 || jobs > MAX_JOBS) {
      throw new InvalidInputException(
          "jobs", "backup.jobs must be between 1 and " + MAX_JOBS + " (was " + jobs + ")");
    }
  }

  /**
   * Options with the default number of threads.
   *
   * @param collections the collections to back up; empty means every collection
   * @param includeBuildingSets whether building sets are archived too
   */
  public BackupOptions(List<String> collections, boolean includeBuildingSets) {
    this(collections, includeBuildingSets, DEFAULT_JOBS);
  }

  /**
   * Backs up every collection, active sets only.
   *
   * @return the options
   */
  public static BackupOptions all() {
    return new BackupOptions(List.of(), false);
  }

  /**
   * Backs up the named collections, active sets only.
   *
   * @param collections the collection names
   * @return the options
   */
  public static BackupOptions of(String... collections) {
    return new BackupOptions(List.of(collections), false);
  }

  /**
   * Returns these options with building sets archived too.
   *
   * @return the options
   */
  public BackupOptions withBuildingSets() {
    return new BackupOptions(collections, true, jobs);
  }

  /**
   * Returns these options with another number of threads.
   *
   * @param value 1 or 2 (see {@link #jobs()})
   * @return the options
   * @throws InvalidInputException when the value is out of range
   */
  public BackupOptions withJobs(int value) {
    return new BackupOptions(collections, includeBuildingSets, value);
  }
}
