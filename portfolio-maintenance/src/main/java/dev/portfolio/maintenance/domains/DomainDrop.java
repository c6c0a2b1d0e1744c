package dev.portfolio.maintenance.domains;

import dev.portfolio.maintenance.report.Fields;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One collection of a plan and what {@link dev.portfolio.maintenance.Maintenance#rollbackDomains}
 * did with it.
 *
 * @param collection the expected collection
 * @param outcome what happened
 * @param reason why it was kept or failed, or null
 * @since 0.1.0
 */
public record DomainDrop(DomainCollection collection, Outcome outcome, String reason) {
  /** Validates the components. */
  public DomainDrop {
    Objects.requireNonNull(collection, "collection");
    Objects.requireNonNull(outcome, "outcome");
  }

  /**
   * What a rollback did with one collection.
   *
   * @since 0.1.0
   */
  public enum Outcome {
    /** It was empty and as planned, and was dropped. */
    DROPPED,
    /** A dry run: it is empty and as planned, and a rollback would drop it. */
    WOULD_DROP,
    /**
     * It was left alone: it holds documents, has had another embedding set, or is not as the plan
     * describes it (so the plan did not create it).
     */
    KEPT,
    /** It does not exist: nothing to drop. */
    ABSENT,
    /** Dropping it failed (for example another maintenance operation holds it). */
    FAILED
  }

  /**
   * Returns the row as ordered fields: name, sourceId, type, outcome, reason.
   *
   * @return the fields
   */
  public Map<String, Object> fields() {
    return Fields.of(
        "name",
        collection.name(),
        "sourceId",
        collection.source().id(),
        "type",
        collection.type().name(),
        "outcome",
        outcome.name().toLowerCase(Locale.ROOT),
        "reason",
        reason);
  }
}
