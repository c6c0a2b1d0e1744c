package dev.portfolio.index.pgvector;

import dev.portfolio.core.model.CollectionInfo;
import dev.portfolio.core.model.CollectionSpec;
import dev.portfolio.core.model.Distance;
import java.time.Instant;
import java.util.Locale;

/**
 * A collection as stored, with its active set: what searches and writes need.
 *
 * @param id the id
 * @param name the name
 * @param distance the ranking distance
 * @param activeSetId the active set's id
 * @param model the active set's model
 * @param dimension the active set's dimension
 * @param createdAt when it was created
 */
record CollectionRow(
    long id,
    String name,
    Distance distance,
    long activeSetId,
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
