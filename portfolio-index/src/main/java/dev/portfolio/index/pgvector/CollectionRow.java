package dev.portfolio.index.pgvector;

import dev.portfolio.core.model.CollectionInfo;
import dev.portfolio.core.model.CollectionSpec;
import dev.portfolio.core.model.Distance;
import java.time.Instant;
import java.util.Locale;

/**
 * A collection as stored: its identity, distance, and the slot searches use.
 *
 * @param id the id
 * @param name the name
 * @param distance the ranking distance
 * @param slot the active slot, {@code a} or {@code b}
 * @param model the active slot's model
 * @param dimension the active slot's dimension
 * @param createdAt when it was created
 */
record CollectionRow(
    long id,
    String name,
    Distance distance,
    String slot,
    String model,
    int dimension,
    Instant createdAt) {

  CollectionInfo info() {
    return new CollectionInfo(id, new CollectionSpec(name, model, dimension, distance), createdAt);
  }

  static String distanceName(Distance d) {
    return d.name().toLowerCase(Locale.ROOT);
  }

  static Distance distance(String stored) {
    return Distance.valueOf(stored.toUpperCase(Locale.ROOT));
  }
}
