package dev.portfolio.maintenance.domains;

import dev.portfolio.core.model.CollectionSpec;
import dev.portfolio.core.model.MetadataFilters;
import dev.portfolio.maintenance.report.Fields;
import java.util.List;
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
 * @param filters the collection's filters as found, or null when its type declares none or it is
 *     missing or mismatched
 * @since 0.1.0
 */
public record DomainCheck(
    DomainCollection collection,
    Status status,
    CollectionSpec found,
    String reason,
    MetadataFilters filters) {
  /** Validates the components. */
  public DomainCheck {
    Objects.requireNonNull(collection, "collection");
    Objects.requireNonNull(status, "status");
  }

  /**
   * Creates a check that read no filters.
   *
   * @param collection the expected collection
   * @param status whether it exists as planned
   * @param found the collection as found, or null
   * @param reason what differs, or null
   */
  public DomainCheck(
      DomainCollection collection, Status status, CollectionSpec found, String reason) {
    this(collection, status, found, reason, null);
  }

  /**
   * Whether an expected collection exists as planned.
   *
   * @since 0.1.0
   */
  public enum Status {
    /**
     * It exists with the plan's model, dimension and distance, and every filter its type declares,
     * with a usable index.
     */
    OK,
    /** It does not exist. */
    MISSING,
    /** It exists with another model, dimension or distance. */
    MISMATCH,
    /**
     * It exists with the plan's model, dimension and distance, but a filter its type declares is
     * not declared on it, or their index is missing or invalid: filtered searches scan. {@code
     * migrate} adds them.
     */
    FILTERS_INCOMPLETE
  }

  /**
   * Returns the row as ordered fields: name, sourceId, type, model, dimension, distance, filters
   * (the type's), status, foundModel, foundDimension, foundDistance, foundFilters, filterIndex (the
   * index state in lower case, or null), reason.
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
        "filters",
        List.copyOf(collection.type().filters()),
        "status",
        lower(status),
        "foundModel",
        found == null ? null : found.model(),
        "foundDimension",
        found == null ? null : found.dimension(),
        "foundDistance",
        found == null ? null : lower(found.distance()),
        "foundFilters",
        filters == null ? null : List.copyOf(filters.keys()),
        "filterIndex",
        filters == null ? null : lower(filters.index()),
        "reason",
        reason);
  }

  private static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }
}
