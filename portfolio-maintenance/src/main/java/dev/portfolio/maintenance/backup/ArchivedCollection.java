package dev.portfolio.maintenance.backup;

import java.util.List;
import java.util.Objects;

/**
 * One collection as an archive holds it.
 *
 * @param name the collection name
 * @param model the active set's model
 * @param dimension the active set's dimension
 * @param distance the distance, as {@code Distance.name()}
 * @param documents the documents, soft-deleted ones included
 * @param chunks the chunks
 * @param sets the archived sets, the active one first
 * @param filters the collection's declared metadata filter keys, sorted (empty when it has none,
 *     when the store does not support filters, or in an archive written before archives carried
 *     them)
 * @since 0.1.0
 */
public record ArchivedCollection(
    String name,
    String model,
    int dimension,
    String distance,
    long documents,
    long chunks,
    List<ArchivedSet> sets,
    List<String> filters) {
  /** Copies the lists. */
  public ArchivedCollection {
    Objects.requireNonNull(name, "name");
    sets = List.copyOf(sets);
    filters = filters == null ? List.of() : List.copyOf(filters);
  }

  /**
   * Returns the vectors over all archived sets.
   *
   * @return the sum of the sets' vectors
   */
  public long vectors() {
    return sets.stream().mapToLong(ArchivedSet::vectors).sum();
  }

  @Override
  public String toString() {
    return name
        + ": "
        + documents
        + " documents, "
        + chunks
        + " chunks, "
        + vectors()
        + " vectors in "
        + sets.size()
        + (sets.size() == 1 ? " set" : " sets");
  }

  /**
   * One archived embedding set.
   *
   * @param id the set id in the store it came from
   * @param model the set's model
   * @param dimension the set's dimension
   * @param state the set's state then, as {@code SetState.name()}
   * @param vectors the vectors archived
   */
  public record ArchivedSet(long id, String model, int dimension, String state, long vectors) {}
}
