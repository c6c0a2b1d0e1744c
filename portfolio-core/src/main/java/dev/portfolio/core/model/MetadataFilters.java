package dev.portfolio.core.model;

import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.validation.Inputs;
import java.util.Collection;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The metadata filters declared for a collection: the document metadata keys its searches filter on
 * ({@link SearchFilter#metadata()}), and the state of the index that serves such searches. Declared
 * with {@link dev.portfolio.core.spi.VectorStore#defineFilters}, read with {@link
 * dev.portfolio.core.spi.VectorStore#filters}.
 *
 * <p>A key is 1 to {@value #MAX_KEY_LENGTH} characters, none of them a control character (U+0000 to
 * U+001F, U+007F to U+009F), with no leading or trailing whitespace and no unpaired surrogate.
 *
 * @param collection the collection's name
 * @param keys the declared keys, sorted; empty when none were declared
 * @param index the state of the filter index
 * @param indexName the store's name of the index (on PostgreSQL {@code documents_<id>_filters}), or
 *     null when the store keeps none
 * @since 0.1.0
 */
public record MetadataFilters(
    String collection, Set<String> keys, IndexState index, String indexName) {
  /** The longest filter key, in characters: {@value}. */
  public static final int MAX_KEY_LENGTH = 128;

  /** Copies the keys into a sorted, unmodifiable set and validates the components. */
  public MetadataFilters {
    Objects.requireNonNull(collection, "collection");
    keys = Collections.unmodifiableSortedSet(new TreeSet<>(Objects.requireNonNull(keys, "keys")));
    Objects.requireNonNull(index, "index");
  }

  /**
   * The state of the index that serves a collection's metadata-filtered searches.
   *
   * @since 0.1.0
   */
  public enum IndexState {
    /** The index exists and is valid: filtered searches can use it. */
    VALID,
    /**
     * The index exists but is invalid (on PostgreSQL, left by an interrupted {@code CREATE INDEX
     * CONCURRENTLY}): searches never use it. {@code defineFilters} rebuilds it.
     */
    INVALID,
    /** Filters are declared but their index does not exist: filtered searches scan. */
    MISSING,
    /** No index is needed: no filter is declared, or the store filters in memory. */
    NOT_APPLICABLE
  }

  /**
   * Tells whether the filters serve searches as declared: the index is neither missing nor invalid.
   *
   * @return true when the index is valid or not needed
   */
  public boolean isUsable() {
    return index == IndexState.VALID || index == IndexState.NOT_APPLICABLE;
  }

  /**
   * Validates filter keys: each 1 to {@value #MAX_KEY_LENGTH} printable characters without leading
   * or trailing whitespace, and no key twice.
   *
   * @param argument the argument named in messages, for example {@code "types[0].filters"}
   * @param keys the keys, in the order given
   * @return the keys, sorted
   * @throws InvalidInputException naming the argument and the offending key
   */
  public static SortedSet<String> validateKeys(String argument, Collection<String> keys) {
    Inputs.requireNonNull(argument, keys);
    SortedSet<String> out = new TreeSet<>();
    int i = 0;
    for (String key : keys) {
      String where = argument + "[" + i++ + "]";
      validateKey(where, key);
      if (!out.add(key)) {
        throw new InvalidInputException(
            argument,
            argument + " names \"" + Inputs.printable(key) + "\" twice; list each filter key once");
      }
    }
    return out;
  }

  /**
   * Validates one filter key.
   *
   * @param argument the argument named in messages
   * @param key the key
   * @return the key
   * @throws InvalidInputException when null, empty, longer than {@value #MAX_KEY_LENGTH}
   *     characters, padded with whitespace, or holding a control character or an unpaired surrogate
   */
  public static String validateKey(String argument, String key) {
    if (key == null || key.isEmpty()) {
      throw new InvalidInputException(
          argument, argument + " is empty; a filter key names a document metadata key");
    }
    if (key.length() > MAX_KEY_LENGTH) {
      throw new InvalidInputException(
          argument,
          argument
              + " \""
              + Inputs.printable(key, 40)
              + "\" has "
              + key.length()
              + " characters; a filter key has at most "
              + MAX_KEY_LENGTH);
    }
    if (!key.strip().equals(key)) {
      throw new InvalidInputException(
          argument,
          argument
              + " \""
              + Inputs.printable(key)
              + "\" starts or ends with whitespace; remove it (metadata keys match exactly)");
    }
    for (int i = 0; i < key.length(); i++) {
      if (Character.isISOControl(key.charAt(i))) {
        throw new InvalidInputException(
            argument,
            argument
                + " \""
                + Inputs.printable(key)
                + "\" holds a control character at index "
                + i
                + "; a filter key must be printable");
      }
    }
    if (Inputs.unpairedSurrogate(key) >= 0) {
      throw new InvalidInputException(
          argument,
          argument
              + " \""
              + Inputs.printable(key)
              + "\" holds an unpaired UTF-16 surrogate; fix the text's encoding");
    }
    return key;
  }
}
