package dev.portfolio.maintenance.cleanup;

import dev.portfolio.core.model.OrphanKind;
import java.util.Objects;

/**
 * Orphans of one kind: found before the run, and removed by it.
 *
 * @param kind the kind
 * @param found how many there were (the dry run's answer)
 * @param removed how many the run deleted (0 in a dry run); can differ from {@code found} when rows
 *     changed meanwhile (deleting orphaned chunks also removes their vectors)
 * @since 0.1.0
 */
public record OrphanCount(OrphanKind kind, long found, long removed) {
  /** Validates the components. */
  public OrphanCount {
    Objects.requireNonNull(kind, "kind");
  }
}
