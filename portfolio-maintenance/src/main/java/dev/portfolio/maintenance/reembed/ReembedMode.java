package dev.portfolio.maintenance.reembed;

import dev.portfolio.core.model.EmbeddingState;

/**
 * Which chunks a re-embed selects in its target set.
 *
 * @since 0.1.0
 */
public enum ReembedMode {
  /**
   * Chunks without a vector in the target set. Resumable: a chunk that received its vector is no
   * longer selected, so a second run continues where the first stopped.
   */
  MISSING(EmbeddingState.MISSING),
  /**
   * Chunks whose vector in the target set was computed from text other than their current text.
   * Resumable like {@link #MISSING}.
   */
  STALE(EmbeddingState.STALE),
  /**
   * Every chunk: each gets a fresh vector. Not resumable from the data (a fresh vector of the same
   * model cannot be told from an old one), so a second run starts over; to move a collection to
   * another model use {@link dev.portfolio.maintenance.Maintenance#switchModel}, which resumes.
   */
  ALL(EmbeddingState.ANY);

  private final EmbeddingState selects;

  ReembedMode(EmbeddingState selects) {
    this.selects = selects;
  }

  /**
   * Returns the embedding state this mode pages over.
   *
   * @return the state passed to {@link dev.portfolio.core.model.ChunkQuery#withEmbeddingState}
   */
  public EmbeddingState selects() {
    return selects;
  }
}
