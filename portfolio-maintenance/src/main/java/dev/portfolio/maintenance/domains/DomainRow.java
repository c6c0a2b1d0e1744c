package dev.portfolio.maintenance.domains;

import dev.portfolio.core.model.CollectionSpec;
import dev.portfolio.core.model.MetadataFilters;
import dev.portfolio.maintenance.report.Fields;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One expected collection and what a migration did with it.
 *
 * @param collection the expected collection
 * @param outcome what happened
 * @param found the collection as it was found in the store, or null when it did not exist
 * @param reason why it failed, or what was added to it; null when there is nothing to say
 * @param created true when this run created the collection, also when declaring its filters then
 *     failed ({@link DomainOutcome#FAILED}): a rollback of the run may drop it
 * @param filtersAdded the filter keys this run declared on the collection (a dry run: would
 *     declare), sorted; empty when none
 * @param filters the collection's filters as the run left them, or null when its type declares none
 *     or they were not read (dry run of a missing collection, failure)
 * @since 0.1.0
 */
public record DomainRow(
    DomainCollection collection,
    DomainOutcome outcome,
    CollectionSpec found,
    String reason,
    boolean created,
    List<String> filtersAdded,
    MetadataFilters filters) {
  /** Validates the components. */
  public DomainRow {
    Objects.requireNonNull(collection, "collection");
    Objects.requireNonNull(outcome, "outcome");
    filtersAdded = filtersAdded == null ? List.of() : List.copyOf(filtersAdded);
  }

  /**
   * Creates a row that involves no filters: created exactly when the outcome is {@link
   * DomainOutcome#CREATED}.
   *
   * @param collection the expected collection
   * @param outcome what happened
   * @param found the collection as found, or null
   * @param reason why it failed, or null
   */
  public DomainRow(
      DomainCollection collection, DomainOutcome outcome, CollectionSpec found, String reason) {
    this(collection, outcome, found, reason, outcome == DomainOutcome.CREATED, List.of(), null);
  }

  /**
   * Returns the row as ordered fields: name, sourceId, sourceTitle, type, model, dimension,
   * distance, filters (the type's), outcome, created, filtersAdded, filterIndex (the index state in
   * lower case, or null), reason.
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
        "sourceTitle",
        collection.source().title(),
        "type",
        collection.type().name(),
        "model",
        s.model(),
        "dimension",
        s.dimension(),
        "distance",
        s.distance().name().toLowerCase(Locale.ROOT),
        "filters",
        List.copyOf(collection.type().filters()),
        "outcome",
        outcome.name().toLowerCase(Locale.ROOT),
        "created",
        created,
        "filtersAdded",
        filtersAdded,
        "filterIndex",
        filters == null ? null : filters.index().name().toLowerCase(Locale.ROOT),
        "reason",
        reason);
  }
}
