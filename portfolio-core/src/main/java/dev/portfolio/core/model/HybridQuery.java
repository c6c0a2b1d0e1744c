package dev.portfolio.core.model;

import dev.portfolio.core.validation.Inputs;

/**
 * A hybrid search: a vector search and a keyword search fused by reciprocal rank fusion, {@code
 * score = sum 1 / (k + rank)} over both lists.
 *
 * @param collection the collection to search
 * @param vector the query vector
 * @param text the query words
 * @param limit how many hits at most, 1 to 1000
 * @param filter which documents qualify, never null
 * @param rrfK the RRF constant {@code k}, 1 to 1000 (conventionally 60)
 * @since 0.1.0
 */
public record HybridQuery(
    String collection, Embedding vector, String text, int limit, SearchFilter filter, int rrfK) {
  /** The conventional RRF constant. */
  public static final int DEFAULT_RRF_K = 60;

  /** Validates the components. */
  public HybridQuery {
    new KeywordQuery(collection, text, limit, filter);
    Inputs.requireNonNull("vector", vector);
    Inputs.between("rrfK", rrfK, 1, 1000);
    filter = filter == null ? SearchFilter.none() : filter;
  }

  /**
   * Creates a query with no filter and {@code k = 60}.
   *
   * @param collection the collection
   * @param vector the query vector
   * @param text the query words
   * @param limit how many hits at most
   * @return the query
   */
  public static HybridQuery of(String collection, Embedding vector, String text, int limit) {
    return new HybridQuery(collection, vector, text, limit, SearchFilter.none(), DEFAULT_RRF_K);
  }
}
