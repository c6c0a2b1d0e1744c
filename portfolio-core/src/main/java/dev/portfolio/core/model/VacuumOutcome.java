package dev.portfolio.core.model;

import java.time.Duration;
import java.util.Objects;

/**
 * What reclaiming space did for one table.
 *
 * @param table the table
 * @param status done, skipped or not needed
 * @param detail what ran (for example {@code VACUUM (ANALYZE) "portfolio"."chunks"}), or why it was
 *     skipped and what an operator can run instead
 * @param elapsed how long it took
 * @since 0.1.0
 */
public record VacuumOutcome(StoreTable table, Status status, String detail, Duration elapsed) {
  /** Validates the components. */
  public VacuumOutcome {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(elapsed, "elapsed");
  }

  /** Whether the table was vacuumed. */
  public enum Status {
    /** Vacuumed and analysed. */
    DONE,
    /** Not vacuumed although it could have used it: {@link #detail()} says why. */
    SKIPPED,
    /** The store keeps no dead rows (the in-memory store). */
    NOT_NEEDED
  }
}
