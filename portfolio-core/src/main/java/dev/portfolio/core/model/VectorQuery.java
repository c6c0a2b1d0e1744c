package dev.portfolio.core.model;

import dev.portfolio.core.validation.Inputs;

/**
 * A nearest-neighbour search.
 *
 * @param collection the collection to search
 * @param vector the query vector, of the collection's dimension
 * @param limit how many hits at most, 1 to 1000
 * @param filter which documents qualify, never null
 * @param efSearch the HNSW candidate list size for this query, or 0 for the store's default
 *     (ignored by exact stores)
 * @since 0.1.0
 */
public record VectorQuery(
    String collection, Embedding vector, int limit, SearchFilter filter, int efSearch) {
  /** Largest accepted limit. */
  public static final int MAX_LIMIT = 1000;

  /** Validates the components. */
  public VectorQuery {
    Inputs.collectionName(collection);
    Inputs.requireNonNull("vector", vector);
    Inputs.between("limit", limit, 1, MAX_LIMIT);
    filter = filter == null ? SearchFilter.none() : filter;
    if (efSearch != 0) {
      Inputs.between("efSearch", efSearch, 1, 1000);
    }
  }

  /**
   * Creates a query with no filter and the default {@code ef_search}.
   *
   * @param collection the collection
   * @param vector the query vector
   * @param limit how many hits at most
   * @return the query
   */
  public static VectorQuery of(String collection, Embedding vector, int limit) {
    return new VectorQuery(collection, vector, limit, SearchFilter.none(), 0);
  }

  /**
   * Returns a copy with another filter.
   *
   * @param value the filter
   * @return the new query
   */
  public VectorQuery withFilter(SearchFilter value) {
    return new VectorQuery(collection, vector, limit, value, efSearch);
  }

  /**
   * Returns a copy with another {@code ef_search}.
   *
   * @param value the candidate list size, 1 to 1000, or 0 for the default
   * @return the new query
   */
  public VectorQuery withEfSearch(int value) {
    return new VectorQuery(collection, vector, limit, filter, value);
  }
}
