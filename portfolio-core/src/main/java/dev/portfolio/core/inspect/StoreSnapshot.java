package dev.portfolio.core.inspect;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a store holds, read in one go: every collection with its documents, chunks and embedding
 * sets, the store's tables and indexes, and a description of its configuration.
 *
 * @param takenAt when the snapshot was read
 * @param workspace the workspace the counts are restricted to, or null for every document
 * @param collections every collection, ordered by name
 * @param relations the store's tables and indexes (never restricted to a workspace); empty when the
 *     store has none to report (in memory)
 * @param configuration how the store is set up, for people: type, schema, server and extension
 *     versions, connection URL and settings; secrets (passwords, keys, tokens) are redacted
 * @since 0.1.0
 */
public record StoreSnapshot(
    Instant takenAt,
    String workspace,
    List<CollectionSnapshot> collections,
    List<RelationStats> relations,
    Map<String, String> configuration) {
  /** Validates the components and copies the collections. */
  public StoreSnapshot {
    Objects.requireNonNull(takenAt, "takenAt");
    collections = List.copyOf(collections);
    relations = List.copyOf(relations);
    configuration = Map.copyOf(configuration);
  }

  /**
   * Finds a collection by name.
   *
   * @param name the collection name
   * @return its snapshot, or empty
   */
  public Optional<CollectionSnapshot> collection(String name) {
    return collections.stream().filter(c -> c.name().equals(name)).findFirst();
  }

  /**
   * Returns the bytes of every table and index of the store.
   *
   * @return the sum, or empty when the store reports no relations
   */
  public OptionalLong relationBytes() {
    return relations.isEmpty()
        ? OptionalLong.empty()
        : OptionalLong.of(relations.stream().mapToLong(RelationStats::bytes).sum());
  }
}
