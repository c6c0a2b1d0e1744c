package dev.portfolio.maintenance.backup;

/**
 * What a restore may do to collections that exist.
 *
 * @since 0.1.0
 */
public enum RestoreMode {
  /** Refuse, before writing anything, when a collection to restore exists. */
  INTO_EMPTY,
  /**
   * Replace an existing collection: a safety backup of it is written first, and the restored
   * collection takes its place in one atomic step only when it is complete.
   */
  REPLACE
}
