package dev.portfolio.maintenance.health;

/**
 * The verdict of one health check, from best to worst.
 *
 * @since 0.1.0
 */
public enum HealthStatus {
  /** Checked, and nothing wrong was found. */
  PASS,
  /**
   * Worth knowing but not a failure: a finding below its threshold, a check that was not
   * configured, or a check the store cannot answer ("not supported by this store"), never a made-up
   * pass.
   */
  INFO,
  /** A defect above its threshold: act (the remedy says how; {@code fix} repairs some). */
  FAIL;

  /**
   * Returns the worse of two statuses.
   *
   * @param other the other status
   * @return the more severe one
   */
  public HealthStatus worst(HealthStatus other) {
    return other.ordinal() > ordinal() ? other : this;
  }
}
