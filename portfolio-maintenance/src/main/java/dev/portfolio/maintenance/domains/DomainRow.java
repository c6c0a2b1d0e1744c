package dev.portfolio.maintenance.domains;

import dev.portfolio.core.model.CollectionSpec;
import dev.portfolio.maintenance.report.Fields;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One expected collection and what a migration did with it.
 *
 * @param collection the expected collection
 * @param outcome what happened
 * @param found the collection as it was found in the store, or null when it did not exist
 * @param reason why it failed, or null
 * @since 0.1.0
 */
public record DomainRow(
    DomainCollection collection, DomainOutcome outcome, CollectionSpec found, String reason) {
  /** Validates the components. */
  public DomainRow {
    Objects.requireNonNull(collection, "collection");
    Objects.requireNonNull(outcome, "outcome");
  }

  /**
   * Returns the row as ordered fields: name, sourceId, sourceTitle, type, model, dimension,
   * distance, outcome, reason.
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
        "outcome",
        outcome.name().toLowerCase(Locale.ROOT),
        "reason",
        reason);
  }
}
