package dev.portfolio.core.model;

import dev.portfolio.core.validation.Inputs;

/**
 * A keyword (full-text) search. The text is parsed as plain words (no query syntax); documents
 * matching all words rank first.
 *
 * @param collection the collection to search
 * @param text the words to look for, not blank
 * @param limit how many hits at most, 1 to 1000
 * @param filter which documents qualify, never null
 * @since 0.1.0
 */
public record KeywordQuery(String collection, String text, int limit, SearchFilter filter) {
  /** Validates the components. */
  public KeywordQuery {
    Inputs.collectionName(collection);
    if (text == null || text.isBlank()) {
      throw new dev.portfolio.core.error.InvalidInputException(
          "text", "text must not be null or blank: give the words to search for");
    }
    if (text.indexOf('\0') >= 0) {
      throw new dev.portfolio.core.error.InvalidInputException(
          "text", "text contains a NUL character (U+0000); remove it");
    }
    Inputs.between("limit", limit, 1, VectorQuery.MAX_LIMIT);
    filter = filter == null ? SearchFilter.none() : filter;
  }

  /**
   * Creates a query with no filter.
   *
   * @param collection the collection
   * @param text the words to look for
   * @param limit how many hits at most
   * @return the query
   */
  public static KeywordQuery of(String collection, String text, int limit) {
    return new KeywordQuery(collection, text, limit, SearchFilter.none());
  }
}
