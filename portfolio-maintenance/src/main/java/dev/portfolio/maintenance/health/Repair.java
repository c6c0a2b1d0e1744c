package dev.portfolio.maintenance.health;

import java.util.Objects;

/**
 * One repair a health check run with {@code fix} attempted.
 *
 * @param kind the check whose finding it repairs
 * @param action what was done, for example {@code reembed stale chunks of docs inline}
 * @param count how many things the repair covered (chunks re-embedded, rows removed, indexes
 *     rebuilt, tables analysed); for a queued job the things found
 * @param outcome done, queued, skipped or failed
 * @param detail the result, the job id, or why it was skipped or failed
 * @since 0.1.0
 */
public record Repair(
    HealthCheckKind kind, String action, long count, RepairOutcome outcome, String detail) {
  /** Validates the components. */
  public Repair {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(detail, "detail");
  }
}
