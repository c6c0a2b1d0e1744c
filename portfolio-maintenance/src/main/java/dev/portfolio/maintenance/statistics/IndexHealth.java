package dev.portfolio.maintenance.statistics;

import java.util.List;
import java.util.Objects;

/**
 * The health of a store's indexes and tables: the worst level of its findings.
 *
 * @param level {@link HealthLevel#HEALTHY} without findings, else the worst finding's level
 * @param findings every reason, worst first
 * @param unchecked checks the store gave no figures for (in memory: table statistics), so that a
 *     healthy level is not mistaken for a checked one
 * @since 0.1.0
 */
public record IndexHealth(HealthLevel level, List<HealthFinding> findings, List<String> unchecked) {
  /** Validates the components and copies the lists. */
  public IndexHealth {
    Objects.requireNonNull(level, "level");
    findings = List.copyOf(findings);
    unchecked = List.copyOf(unchecked);
  }
}
