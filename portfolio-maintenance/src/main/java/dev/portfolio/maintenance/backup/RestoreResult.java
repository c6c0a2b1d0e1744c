package dev.portfolio.maintenance.backup;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a restore wrote. {@link #toString()} is a summary:
 *
 * <pre>
 * restored 1 collection (docs: 2000 documents, 20000 chunks, 20000 vectors in 1 set); safety
 * backup /backups/portfolio-safety-20261130T201800Z.zip; in 6.3 s
 * </pre>
 *
 * @param collections the restored collections, under the names they now have
 * @param safetyBackup the safety backup of what was replaced, when something was
 * @param elapsed the wall time
 * @since 0.1.0
 */
public record RestoreResult(
    List<ArchivedCollection> collections, Optional<Path> safetyBackup, Duration elapsed) {
  /** Copies the list. */
  public RestoreResult {
    collections = List.copyOf(collections);
  }

  @Override
  public String toString() {
    return "restored "
        + collections.size()
        + (collections.size() == 1 ? " collection (" : " collections (")
        + String.join("; ", collections.stream().map(ArchivedCollection::toString).toList())
        + ")"
        + safetyBackup.map(p -> "; safety backup " + p).orElse("")
        + "; in "
        + elapsed.toMillis() / 1000.0
        + " s";
  }
}
