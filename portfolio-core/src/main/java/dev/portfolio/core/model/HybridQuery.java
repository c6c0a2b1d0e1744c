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
 * @param efSearch the HNSW candidate list size of the vector search, or 0 for the store's default
 *     (ignored by exact stores)
 * @since 0.1.0
 */
public record HybridQuery(
    String collection,
    Embedding vector,
    String text,
    int limit,
    SearchFilter filter,
    int rrfK,
    int efSearch) {
  /** The conventional RRF constant. */
  public static final int DEFAULT_RRF_K = 60;

  /** Validates the components. */
  public HybridQuery {
    new KeywordQuery(collection, text, limit, filter);
    Inputs.requireNonNull("vector", vector);
    Inputs.between("rrfK", rrfK, 1, 1000);
    filter = filter == null ? SearchFilter.none() : filter;
    if (efSearch != 0) {
      Inputs.between("efSearch", efSearch, 1, 1000);
    }
  }

  /**
   * Creates a query with the store's default {@code ef_search}.
   *
   * @param collection the collection to search
   * @param vector the query vector
   * @param text the query words
   * @param limit how many hits at most, 1 to 1000
   * @param filter which documents qualify
   * @param rrfK the RRF constant {@code k}, 1 to 1000
   */
  public HybridQuery(
      String collection, Embedding vector, String text, int limit, SearchFilter filter, int rrfK) {
    this(collection, vector, text, limit, filter, rrfK, 0);
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
    return new HybridQuery(collection, vector, text, limit, SearchFilter.none(), DEFAULT_RRF_K, 0);
  }

  /**
   * Returns a copy with another filter.
   *
   * @param value the filter
   * @return the new query
   */
  public HybridQuery withFilter(SearchFilter value) {
    return new HybridQuery(collection, vector, text, limit, value, rrfK, efSearch);
  }

  /**
   * Returns a copy whose vector search uses another HNSW candidate list size.
   *
   * @param value 1 to 1000, or 0 for the store's default
   * @return the new query
   */
  public HybridQuery withEfSearch(int value) {
    return new HybridQuery(collection, vector, text, limit, filter, rrfK, value);
  }

  /**
   * Returns the vector half of this search.
   *
   * @param candidates how many hits the vector search returns
   * @return the vector query, with this query's filter and {@code ef_search}
   */
  public VectorQuery vectorQuery(int candidates) {
    return new VectorQuery(collection, vector, candidates, filter, efSearch);
  }
}
