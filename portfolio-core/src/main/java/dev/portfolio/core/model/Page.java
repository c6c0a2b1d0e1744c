package dev.portfolio.core.model;

import java.util.List;
import java.util.OptionalLong;

/**
 * One page of a keyset-paged listing.
 *
 * @param <T> the item type
 * @param items the items in ascending id order, immutable
 * @param nextAfter the cursor for the next page (pass it as {@code afterId}), or empty at the end
 * @since 0.1.0
 */
public record Page<T>(List<T> items, OptionalLong nextAfter) {
  /** Copies the items. */
  public Page {
    items = List.copyOf(items);
  }

  /**
   * Tells whether another page may follow.
   *
   * @return true when {@link #nextAfter()} is present
   */
  public boolean hasNext() {
    return nextAfter.isPresent();
  }
}
