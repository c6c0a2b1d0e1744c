package dev.portfolio.maintenance.statistics;

/**
 * How healthy something is, from best to worst.
 *
 * @since 0.1.0
 */
public enum HealthLevel {
  /** Nothing to do. */
  HEALTHY,
  /** Works, but slower or less reliably than it should: plan maintenance. */
  DEGRADED,
  /** Searches or writes are badly affected now: act. */
  CRITICAL;

  /**
   * Returns the worse of two levels.
   *
   * @param other the other level
   * @return the more severe one
   */
  public HealthLevel worst(HealthLevel other) {
    return other.ordinal() > ordinal() ? other : this;
  }
}
