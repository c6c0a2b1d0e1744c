package dev.portfolio.core.inspect;

import dev.portfolio.core.model.Distance;
import dev.portfolio.core.model.DocumentStatus;
import dev.portfolio.core.model.EmbeddingSet;
import dev.portfolio.core.model.SetState;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One collection's counts at the time of a {@link StoreSnapshot}.
 *
 * @param name the collection name
 * @param distance the ranking distance
 * @param documentsByStatus documents per status, every status present (zero when none)
 * @param chunks chunks of documents that are not soft-deleted
 * @param sources distinct source ids among documents that are not soft-deleted
 * @param dataBytes bytes of the stored values of the counted documents, chunks and their vectors in
 *     every set (on PostgreSQL the sum of {@code pg_column_size}: compressed, without indexes and
 *     page overhead), or empty when the store cannot tell
 * @param sets the collection's embedding sets in ascending id order
 * @since 0.1.0
 */
public record CollectionSnapshot(
    String name,
    Distance distance,
    Map<DocumentStatus, Long> documentsByStatus,
    long chunks,
    long sources,
    OptionalLong dataBytes,
    List<SetSnapshot> sets) {
  /** Validates the components and copies the collections. */
  public CollectionSnapshot {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(distance, "distance");
    Objects.requireNonNull(dataBytes, "dataBytes");
    documentsByStatus = Map.copyOf(documentsByStatus);
    sets = List.copyOf(sets);
  }

  /**
   * Returns the number of documents with a status.
   *
   * @param status the status
   * @return the count, 0 when none
   */
  public long documents(DocumentStatus status) {
    return documentsByStatus.getOrDefault(status, 0L);
  }

  /**
   * Returns the number of documents that are not soft-deleted.
   *
   * @return the live document count
   */
  public long liveDocuments() {
    return documentsByStatus.entrySet().stream()
        .filter(e -> e.getKey() != DocumentStatus.DELETED)
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  /**
   * Returns the active set, the one searches read.
   *
   * @return the active set's snapshot
   * @throws IllegalStateException when the snapshot has none (a store bug)
   */
  public SetSnapshot activeSet() {
    return inState(SetState.ACTIVE)
        .orElseThrow(() -> new IllegalStateException("collection " + name + " has no active set"));
  }

  /**
   * Returns the building set, when a model switch is under way.
   *
   * @return the building set's snapshot, or empty
   */
  public Optional<SetSnapshot> buildingSet() {
    return inState(SetState.BUILDING);
  }

  /**
   * Returns the chunks without a vector in a set.
   *
   * @param set one of this collection's sets
   * @return chunks minus the set's vectors
   */
  public long missing(SetSnapshot set) {
    return Math.max(0, chunks - set.vectors());
  }

  private Optional<SetSnapshot> inState(SetState state) {
    return sets.stream().filter(s -> s.set().state() == state).findFirst();
  }

  /**
   * Returns the sets' descriptions.
   *
   * @return the sets
   */
  public List<EmbeddingSet> embeddingSets() {
    return sets.stream().map(SetSnapshot::set).toList();
  }
}
