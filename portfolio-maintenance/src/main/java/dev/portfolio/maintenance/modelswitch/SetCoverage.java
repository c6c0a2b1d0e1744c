package dev.portfolio.maintenance.modelswitch;

import dev.portfolio.core.model.CollectionStats;
import dev.portfolio.core.model.EmbeddingSet;
import java.util.Objects;

/**
 * How far an embedding set covers its collection's chunks (those of documents that are not
 * soft-deleted).
 *
 * @param set the set
 * @param chunks the collection's chunks
 * @param embedded chunks with a vector in the set
 * @param missing chunks without one
 * @param stale chunks whose vector was computed from text other than their current text
 * @since 0.1.0
 */
public record SetCoverage(EmbeddingSet set, long chunks, long embedded, long missing, long stale) {
  /** Validates the components. */
  public SetCoverage {
    Objects.requireNonNull(set, "set");
  }

  /**
   * Reads the coverage from a set's statistics.
   *
   * @param set the set
   * @param stats {@code store.stats(collection, set.id())}
   * @return the coverage
   */
  public static SetCoverage of(EmbeddingSet set, CollectionStats stats) {
    return new SetCoverage(
        set, stats.chunks(), stats.embeddedChunks(), stats.missingChunks(), stats.staleChunks());
  }

  /**
   * Returns the fraction of chunks with a vector.
   *
   * @return coverage in [0, 1]; 1 for an empty collection
   */
  public double coverage() {
    return chunks == 0 ? 1.0 : (double) embedded / chunks;
  }

  /**
   * Tells whether every chunk has a vector.
   *
   * @return true when nothing is missing
   */
  public boolean isComplete() {
    return missing == 0;
  }

  @Override
  public String toString() {
    return String.format(
        java.util.Locale.ROOT,
        "set %d (%s, %d dimensions, %s): %d of %d chunks embedded (%.1f%%), %d missing, %d stale",
        set.id(),
        set.model(),
        set.dimension(),
        set.state().name().toLowerCase(java.util.Locale.ROOT),
        embedded,
        chunks,
        coverage() * 100,
        missing,
        stale);
  }
}
