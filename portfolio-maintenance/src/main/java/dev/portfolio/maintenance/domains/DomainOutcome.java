package dev.portfolio.maintenance.domains;

/**
 * What happened to one expected collection in {@link
 * dev.portfolio.maintenance.Maintenance#migrateDomains}.
 *
 * @since 0.1.0
 */
public enum DomainOutcome {
  /** The collection was missing and was created, with its active set and ANN index. */
  CREATED,
  /** A dry run: the collection is missing and a run would create it. */
  WOULD_CREATE,
  /** The collection exists with the plan's model, dimension and distance; it was left alone. */
  ALREADY_EXISTED,
  /**
   * The collection exists with another model, dimension or distance (it was left unchanged: a
   * migration never alters or drops a collection), or creating it failed; the row gives the reason.
   */
  FAILED
}
