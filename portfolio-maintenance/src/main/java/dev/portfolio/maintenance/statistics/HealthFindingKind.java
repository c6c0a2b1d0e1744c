package dev.portfolio.maintenance.statistics;

/**
 * What an index or table health finding is about.
 *
 * @since 0.1.0
 */
public enum HealthFindingKind {
  /**
   * An index exists but is invalid: an interrupted build; writes maintain it, reads never use it.
   */
  INVALID_INDEX,
  /** A set that serves searches has no ANN index: every search scans all its vectors. */
  MISSING_ANN_INDEX,
  /** Many of a table's rows are dead (left by updates and deletes): scans read them in vain. */
  DEAD_ROWS,
  /** A table with rows was never analysed: the planner guesses its size and contents. */
  NEVER_ANALYZED,
  /** Many rows changed since the last ANALYZE (typically a bulk load): plans use old statistics. */
  STALE_STATISTICS
}
