package dev.portfolio.core.model;

import dev.portfolio.core.validation.Inputs;

/**
 * One keyset page of chunks, in ascending id order.
 *
 * @param collection the collection
 * @param filter which documents' chunks qualify
 * @param embeddingState which chunks qualify by embedding state
 * @param afterId return chunks with an id greater than this (0 to start)
 * @param limit the page size, 1 to 10,000
 * @param setId the embedding set whose vectors the chunks carry and whose state {@code
 *     embeddingState} asks about, or 0 for the collection's active set
 * @since 0.1.0
 */
public record ChunkQuery(
    String collection,
    SearchFilter filter,
    EmbeddingState embeddingState,
    long afterId,
    int limit,
    long setId) {
  /** Largest accepted page size. */
  public static final int MAX_LIMIT = 10_000;

  /** Validates the components. */
  public ChunkQuery {
    Inputs.collectionName(collection);
    filter = filter == null ? SearchFilter.none() : filter;
    embeddingState = embeddingState == null ? EmbeddingState.ANY : embeddingState;
    if (afterId < 0) {
      throw new dev.portfolio.core.error.InvalidInputException(
          "afterId", "afterId must be >= 0 (was " + afterId + ")");
    }
    Inputs.between("limit", limit, 1, MAX_LIMIT);
    if (setId < 0) {
      throw new dev.portfolio.core.error.InvalidInputException(
          "setId", "setId must be >= 0, 0 meaning the active set (was " + setId + ")");
    }
  }

  /**
   * Creates a query on the collection's active set.
   *
   * @param collection the collection
   * @param filter which documents' chunks qualify
   * @param embeddingState which chunks qualify by embedding state
   * @param afterId return chunks with an id greater than this (0 to start)
   * @param limit the page size, 1 to 10,000
   */
  public ChunkQuery(
      String collection,
      SearchFilter filter,
      EmbeddingState embeddingState,
      long afterId,
      int limit) {
    this(collection, filter, embeddingState, afterId, limit, 0);
  }

  /**
   * Creates the first page query for every chunk of a collection.
   *
   * @param collection the collection
   * @param limit the page size
   * @return the query
   */
  public static ChunkQuery of(String collection, int limit) {
    return new ChunkQuery(collection, SearchFilter.none(), EmbeddingState.ANY, 0, limit, 0);
  }

  /**
   * Returns the query for the page after the given id.
   *
   * @param id the last id of the previous page
   * @return the new query
   */
  public ChunkQuery after(long id) {
    return new ChunkQuery(collection, filter, embeddingState, id, limit, setId);
  }

  /**
   * Returns a copy selecting chunks by embedding state.
   *
   * @param state the state
   * @return the new query
   */
  public ChunkQuery withEmbeddingState(EmbeddingState state) {
    return new ChunkQuery(collection, filter, state, afterId, limit, setId);
  }

  /**
   * Returns a copy with another filter.
   *
   * @param value the filter
   * @return the new query
   */
  public ChunkQuery withFilter(SearchFilter value) {
    return new ChunkQuery(collection, value, embeddingState, afterId, limit, setId);
  }

  /**
   * Returns a copy that reads another embedding set.
   *
   * @param value the set id, or 0 for the active set
   * @return the new query
   */
  public ChunkQuery inSet(long value) {
    return new ChunkQuery(collection, filter, embeddingState, afterId, limit, value);
  }
}
