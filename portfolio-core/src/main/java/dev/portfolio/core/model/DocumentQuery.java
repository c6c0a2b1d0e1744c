package dev.portfolio.core.model;

import dev.portfolio.core.validation.Inputs;

/**
 * One keyset page of documents, in ascending id order.
 *
 * @param collection the collection
 * @param filter which documents qualify
 * @param afterId return documents with an id greater than this (0 to start)
 * @param limit the page size, 1 to 10,000
 * @since 0.1.0
 */
public record DocumentQuery(String collection, SearchFilter filter, long afterId, int limit) {
  /** Validates the components. */
  public DocumentQuery {
    Inputs.collectionName(collection);
    filter = filter == null ? SearchFilter.none() : filter;
    if (afterId < 0) {
      throw new dev.portfolio.core.error.InvalidInputException(
          "afterId", "afterId must be >= 0 (was " + afterId + ")");
    }
    Inputs.between("limit", limit, 1, ChunkQuery.MAX_LIMIT);
  }

  /**
   * Creates the first page query for every live document of a collection.
   *
   * @param collection the collection
   * @param limit the page size
   * @return the query
   */
  public static DocumentQuery of(String collection, int limit) {
    return new DocumentQuery(collection, SearchFilter.none(), 0, limit);
  }

  /**
   * Returns the query for the page after the given id.
   *
   * @param id the last id of the previous page
   * @return the new query
   */
  public DocumentQuery after(long id) {
    return new DocumentQuery(collection, filter, id, limit);
  }
}
