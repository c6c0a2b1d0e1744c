package dev.portfolio.maintenance.backup;

import dev.portfolio.core.validation.Inputs;
import java.util.List;

/**
 * What a backup holds.
 *
 * @param collections the collections to back up; empty means every collection
 * @param includeBuildingSets whether the vectors of a building set (a model switch under way) are
 *     archived too; the active set's always are. Retired sets are not archived: they exist only for
 *     a rollback of the store they live in.
 * @since 0.1.0
 */
public record BackupOptions(List<String> collections, boolean includeBuildingSets) {
  /** Validates the names and copies the list. */
  public BackupOptions {
    collections = List.copyOf(Inputs.requireNonNull("collections", collections));
    collections.forEach(Inputs::collectionName);
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
    return new BackupOptions(collections, true);
  }
}
