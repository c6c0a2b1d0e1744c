package dev.portfolio.maintenance.statistics;

import java.util.Objects;

/**
 * One reason why an index or table is not healthy.
 *
 * @param level how bad it is
 * @param kind what it is about
 * @param subject the table, index or collection concerned, for example {@code embeddings_7_ann}
 * @param reason what was seen and what to do, for people
 * @since 0.1.0
 */
public record HealthFinding(
    HealthLevel level, HealthFindingKind kind, String subject, String reason) {
  /** Validates the components. */
  public HealthFinding {
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(reason, "reason");
  }

  @Override
  public String toString() {
    return level + " " + kind + " " + subject + ": " + reason;
  }
}
