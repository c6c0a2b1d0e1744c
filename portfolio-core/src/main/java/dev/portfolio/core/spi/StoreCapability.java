package dev.portfolio.core.spi;

/**
 * Optional abilities of a {@link VectorStore}. An operation that needs a capability the store lacks
 * throws a {@link dev.portfolio.core.error.PortfolioException} with code {@link
 * dev.portfolio.core.error.ErrorCode#UNSUPPORTED}.
 *
 * @since 0.1.0
 */
public enum StoreCapability {
  /** Keyword (full-text) search. */
  KEYWORD_SEARCH,
  /** Data survives a restart of the JVM. */
  DURABLE,
  /** Approximate nearest-neighbour indexes ({@code ef_search} has an effect). */
  ANN_INDEX,
  /** Reports the bytes a collection occupies. */
  STORAGE_BYTES,
  /** Keeps a history of each document's fingerprints ({@link VectorStore#history}). */
  DOCUMENT_HISTORY,
  /**
   * Keeps per-collection metadata filters ({@link VectorStore#defineFilters}, {@link
   * VectorStore#filters}), with an index for filtered searches where the store needs one.
   */
  METADATA_FILTERS
}
