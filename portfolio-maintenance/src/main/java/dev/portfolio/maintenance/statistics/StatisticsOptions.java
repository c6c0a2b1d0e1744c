package dev.portfolio.maintenance.statistics;

import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.validation.Inputs;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link dev.portfolio.maintenance.Maintenance#statistics(String, StatisticsOptions)} works.
 *
 * @param window how far back latencies are summarised, 1 s to 30 days (default: 15 minutes)
 * @param thresholds when indexes and tables count as degraded or critical (default: {@link
 *     HealthThresholds#defaults()})
 * @since 0.1.0
 */
public record StatisticsOptions(Duration window, HealthThresholds thresholds) {
  /** The default latency window: 15 minutes. */
  public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(15);

  /** Validates the components. */
  public StatisticsOptions {
    Inputs.requireNonNull("window", window);
    Objects.requireNonNull(thresholds, "thresholds");
    if (window.compareTo(Duration.ofSeconds(1)) < 0 || window.compareTo(Duration.ofDays(30)) > 0) {
      throw new InvalidInputException(
          "window", "window must be between 1 s and 30 days (was " + window + ")");
    }
  }

  /**
   * Returns the defaults: a 15-minute window and the default thresholds.
   *
   * @return the options
   */
  public static StatisticsOptions defaults() {
    return new StatisticsOptions(DEFAULT_WINDOW, HealthThresholds.defaults());
  }

  /**
   * Returns a copy with another window.
   *
   * @param value the window
   * @return the new options
   */
  public StatisticsOptions withWindow(Duration value) {
    return new StatisticsOptions(value, thresholds);
  }

  /**
   * Returns a copy with other thresholds.
   *
   * @param value the thresholds
   * @return the new options
   */
  public StatisticsOptions withThresholds(HealthThresholds value) {
    return new StatisticsOptions(window, value);
  }
}
