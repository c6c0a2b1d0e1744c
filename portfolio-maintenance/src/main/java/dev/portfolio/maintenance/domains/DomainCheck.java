package dev.portfolio.maintenance.domains;

import dev.portfolio.core.model.CollectionSpec;
import dev.portfolio.maintenance.report.Fields;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One expected collection as {@link dev.portfolio.maintenance.Maintenance#verifyDomains} found it.
 *
 * @param collection the expected collection
 * @param status whether it exists as planned
 * @param found the collection as found in the store, or null when missing
 * @param reason what differs, or null when it is as planned
 * @since 0.1.0
 */
public record DomainCheck(
    DomainCollection collection, Status status, CollectionSpec found, String reason) {
  /** Validates the components. */
  public DomainCheck {
    Objects.requireNonNull(collection, "collection");
    Objects.requireNonNull(status, "status");
  }

  /**
   * Whether an expected collection exists as planned.
   *
   * @since 0.1.0
   */
  public enum Status {
    /** It exists with the plan's model, dimension and distance. */
    OK,
    /** It does not exist. */
    MISSING,
    /** It exists with another model, dimension or distance. */
    MISMATCH
  }

  /**
   * Returns the row as ordered fields: name, sourceId, type, model, dimension, distance, status,
   * foundModel, foundDimension, foundDistance, reason.
   *
   * @return the fields
   */
  public Map<String, Object> fields() {
    CollectionSpec s = collection.spec();
    return Fields.of(
        "name",
        s.name(),
        "sourceId",
        collection.source().id(),
        "type",
        collection.type().name(),
        "model",
        s.model(),
        "dimension",
        s.dimension(),
        "distance",
        lower(s.distance()),
        "status",
        lower(status),
        "foundModel",
        found == null ? null : found.model(),
        "foundDimension",
        found == null ? null : found.dimension(),
        "foundDistance",
        found == null ? null : lower(found.distance()),
        "reason",
        reason);
  }

  private static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }
}
