package dev.portfolio.maintenance.domains;

import dev.portfolio.maintenance.report.Fields;
import dev.portfolio.maintenance.report.Report;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link dev.portfolio.maintenance.Maintenance#migrateDomains} did, collection by collection:
 *
 * <pre>
 * migrate-domains: 6 expected, 4 created, 1 already existed, 1 failed in 0.2 s
 * </pre>
 *
 * <p>When the plan declares filters, the summary also counts the existing collections that got
 * their missing filters: {@code ..., 1 already existed, 1 filters added, 0 failed ...} ({@code
 * filters to add} in a dry run).
 *
 * <p>{@link #createdCollections()} lists exactly what this run created: what a rollback of this run
 * drops ({@link DomainRollbackOptions.Builder#only}).
 *
 * @param dryRun true when nothing was created, only compared
 * @param rows one row per expected collection, in the plan's order
 * @param elapsed the wall time
 * @since 0.1.0
 */
public record DomainMigrationResult(boolean dryRun, List<DomainRow> rows, Duration elapsed)
    implements Report {
  /** Copies the rows. */
  public DomainMigrationResult {
    rows = List.copyOf(rows);
    Objects.requireNonNull(elapsed, "elapsed");
  }

  /**
   * Returns how many collections were created.
   *
   * @return the count; 0 in a dry run
   */
  public int created() {
    return count(DomainOutcome.CREATED);
  }

  /**
   * Returns how many collections a run would create (dry run only).
   *
   * @return the count; 0 unless a dry run
   */
  public int wouldCreate() {
    return count(DomainOutcome.WOULD_CREATE);
  }

  /**
   * Returns how many collections existed already as the plan describes them.
   *
   * @return the count
   */
  public int alreadyExisted() {
    return count(DomainOutcome.ALREADY_EXISTED);
  }

  /**
   * Returns how many existing collections got their missing filters (or their filter index
   * rebuilt).
   *
   * @return the count; 0 in a dry run
   */
  public int filtersAdded() {
    return count(DomainOutcome.FILTERS_ADDED);
  }

  /**
   * Returns how many existing collections a run would add filters to (dry run only).
   *
   * @return the count; 0 unless a dry run
   */
  public int wouldAddFilters() {
    return count(DomainOutcome.WOULD_ADD_FILTERS);
  }

  /**
   * Returns how many collections failed: they exist with another model, dimension or distance, or
   * could not be created.
   *
   * @return the count
   */
  public int failed() {
    return count(DomainOutcome.FAILED);
  }

  /**
   * Tells whether every expected collection exists as planned, or (dry run) would.
   *
   * @return true when none failed
   */
  public boolean isSuccess() {
    return failed() == 0;
  }

  /**
   * Returns the names of the collections this run created, also those whose filters then failed.
   *
   * @return the names, in the plan's order
   */
  public List<String> createdCollections() {
    return rows.stream().filter(DomainRow::created).map(r -> r.collection().name()).toList();
  }

  /**
   * Returns the rows that failed.
   *
   * @return the failed rows, in the plan's order
   */
  public List<DomainRow> failures() {
    return rows.stream().filter(r -> r.outcome() == DomainOutcome.FAILED).toList();
  }

  @Override
  public String operation() {
    return "migrate-domains";
  }

  @Override
  public String summary() {
    return operation()
        + (dryRun ? " [dry run]: " : ": ")
        + rows.size()
        + " expected, "
        + (dryRun ? wouldCreate() + " to create, " : created() + " created, ")
        + alreadyExisted()
        + " already existed, "
        + (declaresFilters()
            ? (dryRun
                ? wouldAddFilters() + " filters to add, "
                : filtersAdded() + " filters added, ")
            : "")
        + failed()
        + " failed"
        + (dryRun ? "; nothing was changed" : "")
        + " in "
        + Fields.seconds(elapsed);
  }

  @Override
  public Map<String, Object> fields() {
    return Fields.of(
        "operation",
        operation(),
        "dryRun",
        dryRun,
        "expected",
        rows.size(),
        "created",
        created(),
        "wouldCreate",
        wouldCreate(),
        "alreadyExisted",
        alreadyExisted(),
        "filtersAdded",
        filtersAdded(),
        "wouldAddFilters",
        wouldAddFilters(),
        "failed",
        failed(),
        "createdCollections",
        createdCollections(),
        "collections",
        rows.stream().map(DomainRow::fields).toList(),
        "elapsedMs",
        elapsed.toMillis());
  }

  @Override
  public String toString() {
    return summary();
  }

  private boolean declaresFilters() {
    return rows.stream().anyMatch(r -> !r.collection().type().filters().isEmpty());
  }

  private int count(DomainOutcome outcome) {
    return (int) rows.stream().filter(r -> r.outcome() == outcome).count();
  }
}
