package dev.portfolio.index.schema;

import java.time.Duration;
import java.util.List;

/**
 * What an install did.
 *
 * @param schema the schema name
 * @param fromVersion the version found before (0 when the schema was not installed)
 * @param toVersion the version now installed
 * @param applied the versions applied by this call, in order; empty when already up to date
 * @param elapsed how long it took, including waiting for the lock
 * @since 0.1.0
 */
public record MigrationResult(
    String schema, int fromVersion, int toVersion, List<Integer> applied, Duration elapsed) {
  /** Copies the list. */
  public MigrationResult {
    applied = List.copyOf(applied);
  }

  /**
   * Tells whether anything was applied.
   *
   * @return true when at least one migration ran
   */
  public boolean changed() {
    return !applied.isEmpty();
  }
}
