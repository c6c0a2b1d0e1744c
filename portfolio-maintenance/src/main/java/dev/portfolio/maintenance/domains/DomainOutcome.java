package dev.portfolio.maintenance.domains;

/**
 * What happened to one expected collection in {@link
 * dev.portfolio.maintenance.Maintenance#migrateDomains}.
 *
 * @since 0.1.0
 */
public enum DomainOutcome {
  /**
   * The collection was missing and was created, with its active set, its ANN index and (when its
   * type declares some) its metadata filters and their index.
   */
  CREATED,
  /** A dry run: the collection is missing and a run would create it. */
  WOULD_CREATE,
  /**
   * The collection exists with the plan's model, dimension and distance, and every filter its type
   * declares, with a usable index; it was left alone.
   */
  ALREADY_EXISTED,
  /**
   * The collection exists as planned but lacked some of its type's filters, or their index was
   * missing or invalid: the filters were added and the index built (the row names them). Nothing
   * else about the collection changed.
   */
  FILTERS_ADDED,
  /** A dry run: the collection exists as planned, and a run would add its missing filters. */
  WOULD_ADD_FILTERS,
  /**
   * The collection exists with another model, dimension or distance (it was left unchanged: a
   * migration never alters or drops a collection), or creating it or declaring its filters failed;
   * the row gives the reason.
   */
  FAILED
}
