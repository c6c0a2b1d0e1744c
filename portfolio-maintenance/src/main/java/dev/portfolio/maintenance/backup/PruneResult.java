package dev.portfolio.maintenance.backup;

import java.nio.file.Path;
import java.util.List;

/**
 * What a retention run did.
 *
 * @param deleted the archives deleted
 * @param kept the archives kept (the newest always is)
 * @since 0.1.0
 */
public record PruneResult(List<Path> deleted, List<Path> kept) {
  /** Copies the lists. */
  public PruneResult {
    deleted = List.copyOf(deleted);
    kept = List.copyOf(kept);
  }

  @Override
  public String toString() {
    return "pruned backups: " + deleted.size() + " deleted, " + kept.size() + " kept";
  }
}
