package dev.portfolio.maintenance.statistics;

import dev.portfolio.core.error.InvalidInputException;

/**
 * When {@link IndexHealthRules} calls a table or index degraded or critical.
 *
 * <table>
 *   <caption>Rules and their defaults</caption>
 *   <tr><th>finding</th><th>level</th><th>when</th></tr>
 *   <tr><td>invalid ANN index of an active set</td><td>critical</td><td>always</td></tr>
 *   <tr><td>any other invalid index</td><td>degraded</td><td>always</td></tr>
 *   <tr><td>active set without ANN index</td><td>degraded</td>
 *       <td>at least {@code missingIndexMinVectors} (10,000) vectors</td></tr>
 *   <tr><td>dead rows</td><td>degraded / critical</td>
 *       <td>at least {@code minDeadRows} (1,000) dead rows and a dead share of at least
 *       {@code deadRowsDegraded} (0.2) / {@code deadRowsCritical} (0.5)</td></tr>
 *   <tr><td>never analysed</td><td>degraded</td>
 *       <td>at least {@code minRowsToAnalyze} (1,000) live rows and no ANALYZE ever</td></tr>
 *   <tr><td>statistics older than the last bulk load</td><td>degraded</td>
 *       <td>rows changed since the last ANALYZE at least {@code minModifiedRows} (1,000) and at
 *       least {@code staleStatisticsRatio} (0.2) of the live rows: twice what makes autovacuum
 *       analyse by default (10%), so autovacuum is behind</td></tr>
 * </table>
 *
 * @param deadRowsDegraded dead share (dead / (live + dead)) from which a table is degraded, in (0,
 *     1]
 * @param deadRowsCritical dead share from which it is critical, at least {@code deadRowsDegraded}
 * @param minDeadRows dead rows below which the share is not judged (small tables), at least 0
 * @param minRowsToAnalyze live rows below which a never-analysed table is not reported, at least 0
 * @param staleStatisticsRatio changed rows since ANALYZE per live row from which statistics are
 *     stale, in (0, 100]
 * @param minModifiedRows changed rows below which statistics are not judged stale, at least 0
 * @param missingIndexMinVectors vectors from which an active set without ANN index is reported, at
 *     least 0
 * @since 0.1.0
 */
public record HealthThresholds(
    double deadRowsDegraded,
    double deadRowsCritical,
    long minDeadRows,
    long minRowsToAnalyze,
    double staleStatisticsRatio,
    long minModifiedRows,
    long missingIndexMinVectors) {
  /** Validates the components, naming the first invalid one. */
  public HealthThresholds {
    ratio("deadRowsDegraded", deadRowsDegraded, 1);
    ratio("deadRowsCritical", deadRowsCritical, 1);
    if (deadRowsCritical < deadRowsDegraded) {
      throw new InvalidInputException(
          "deadRowsCritical",
          "deadRowsCritical must be at least deadRowsDegraded ("
              + deadRowsDegraded
              + ") (was "
              + deadRowsCritical
              + ")");
    }
    atLeastZero("minDeadRows", minDeadRows);
    atLeastZero("minRowsToAnalyze", minRowsToAnalyze);
    ratio("staleStatisticsRatio", staleStatisticsRatio, 100);
    atLeastZero("minModifiedRows", minModifiedRows);
    atLeastZero("missingIndexMinVectors", missingIndexMinVectors);
  }

  /**
   * Returns the documented defaults.
   *
   * @return 0.2, 0.5, 1,000, 1,000, 0.2, 1,000, 10,000
   */
  public static HealthThresholds defaults() {
    return new HealthThresholds(0.2, 0.5, 1_000, 1_000, 0.2, 1_000, 10_000);
  }

  private static void atLeastZero(String name, long value) {
    if (value < 0) {
      throw new InvalidInputException(name, name + " must be >= 0 (was " + value + ")");
    }
  }

  private static void ratio(String name, double value, double max) {
    if (!(value > 0 && value <= max)) {
      throw new InvalidInputException(
          name, name + " must be in (0, " + max + "] (was " + value + ")");
    }
  }
}
