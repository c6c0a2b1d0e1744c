package dev.portfolio.core.model;

/**
 * The store's tables, as maintenance names them when it asks the store to reclaim space.
 *
 * @since 0.1.0
 */
public enum StoreTable {
  /** Documents. */
  DOCUMENTS,
  /** Chunks. */
  CHUNKS,
  /** Vectors of every embedding set. */
  EMBEDDINGS
}
