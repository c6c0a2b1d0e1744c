package dev.portfolio.maintenance.cleanup;

import dev.portfolio.core.model.EmbeddingSet;
import java.util.Objects;

/**
 * A retired embedding set seen by an orphan cleanup: its vectors are not orphans (they are kept so
 * that a model switch can be rolled back) and stay unless dropping retired sets was asked for.
 *
 * @param set the set
 * @param vectors the vectors it holds for live chunks
 * @param action {@code kept for rollback}, {@code dropped}, {@code would drop}, {@code kept:
 *     cancelled before dropping} (the cleanup was cancelled first), or why it could not be dropped
 * @since 0.1.0
 */
public record RetiredSet(EmbeddingSet set, long vectors, String action) {
  /** Validates the components. */
  public RetiredSet {
    Objects.requireNonNull(set, "set");
    Objects.requireNonNull(action, "action");
  }
}
