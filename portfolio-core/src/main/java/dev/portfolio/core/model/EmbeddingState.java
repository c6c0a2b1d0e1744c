package dev.portfolio.core.model;

/**
 * Selects chunks by the state of their embedding.
 *
 * @since 0.1.0
 */
public enum EmbeddingState {
  /** Every chunk. */
  ANY,
  /** Chunks without an embedding. */
  MISSING,
  /** Chunks with an embedding. */
  PRESENT,
  /** Chunks whose embedding was computed from text other than their current text. */
  STALE
}
