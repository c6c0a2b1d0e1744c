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
   * Returns the names of the collections this run created.
   *
   * @return the names, in the plan's order
   */
  public List<String> createdCollections() {
    return rows.stream()
        .filter(r -> r.outcome() == DomainOutcome.CREATED)
        .map(r -> r.collection().name())
        .toList();
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

  private int count(DomainOutcome outcome) {
    return (int) rows.stream().filter(r -> r.outcome() == outcome).count();
  }
}
