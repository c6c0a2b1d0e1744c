package dev.portfolio.maintenance.backup;

import dev.portfolio.core.validation.Inputs;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How to restore an archive.
 *
 * @param mode what to do with collections that exist
 * @param collections the archived collections to restore; empty means all of them
 * @param renames archived name to the name to restore under (a collection not named here keeps its
 *     name)
 * @param includeBuildingSets whether archived building sets are restored as building sets
 * @param safetyBackupDirectory where {@link RestoreMode#REPLACE} writes the safety backup of what
 *     it replaces; null means the archive's directory
 * @param limits the size limits that protect against hostile archives
 * @since 0.1.0
 */
public record RestoreOptions(
    RestoreMode mode,
    List<String> collections,
    Map<String, String> renames,
    boolean includeBuildingSets,
    Path safetyBackupDirectory,
    ArchiveLimits limits) {
  /** Validates the names and copies the collections. */
  public RestoreOptions {
    Inputs.requireNonNull("mode", mode);
    collections = List.copyOf(Inputs.requireNonNull("collections", collections));
    collections.forEach(Inputs::collectionName);
    renames = Map.copyOf(Inputs.requireNonNull("renames", renames));
    renames.forEach(
        (from, to) -> {
          Inputs.collectionName(from);
          Inputs.collectionName(to);
        });
    Inputs.requireNonNull("limits", limits);
  }

  /**
   * Restores every archived collection into a store where none of them exists.
   *
   * @return the options
   */
  public static RestoreOptions intoEmpty() {
    return new RestoreOptions(
        RestoreMode.INTO_EMPTY, List.of(), Map.of(), true, null, ArchiveLimits.defaults());
  }

  /**
   * Restores every archived collection, replacing those that exist (after a safety backup).
   *
   * @return the options
   */
  public static RestoreOptions replace() {
    return new RestoreOptions(
        RestoreMode.REPLACE, List.of(), Map.of(), true, null, ArchiveLimits.defaults());
  }

  /**
   * Restores only this archived collection, under a new name.
   *
   * @param archived the name in the archive
   * @param newName the name to restore under
   * @return the options
   */
  public RestoreOptions renamed(String archived, String newName) {
    return new RestoreOptions(
        mode,
        List.of(archived),
        Map.of(archived, newName),
        includeBuildingSets,
        safetyBackupDirectory,
        limits);
  }

  /**
   * Restores only these archived collections.
   *
   * @param names the names in the archive
   * @return the options
   */
  public RestoreOptions only(String... names) {
    return new RestoreOptions(
        mode, List.of(names), renames, includeBuildingSets, safetyBackupDirectory, limits);
  }

  /**
   * Writes safety backups into this directory.
   *
   * @param directory the directory
   * @return the options
   */
  public RestoreOptions safetyBackupsIn(Path directory) {
    return new RestoreOptions(mode, collections, renames, includeBuildingSets, directory, limits);
  }

  /**
   * Uses these size limits.
   *
   * @param value the limits
   * @return the options
   */
  public RestoreOptions withLimits(ArchiveLimits value) {
    return new RestoreOptions(
        mode, collections, renames, includeBuildingSets, safetyBackupDirectory, value);
  }

  /**
   * Returns the name an archived collection is restored under.
   *
   * @param archived the name in the archive
   * @return its new name, or the same
   */
  public String targetName(String archived) {
    return renames.getOrDefault(archived, archived);
  }
}
