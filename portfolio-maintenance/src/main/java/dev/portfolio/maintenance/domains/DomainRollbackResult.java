package dev.portfolio.maintenance.domains;

import dev.portfolio.maintenance.report.Fields;
import dev.portfolio.maintenance.report.Report;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link dev.portfolio.maintenance.Maintenance#rollbackDomains} did:
 *
 * <pre>
 * rollback-domains: 4 dropped, 1 kept, 1 absent, 0 failed in 0.1 s
 * </pre>
 *
 * @param dryRun true when nothing was dropped, only checked
 * @param drops one row per collection of the plan considered, in the plan's order
 * @param elapsed the wall time
 * @since 0.1.0
 */
public record DomainRollbackResult(boolean dryRun, List<DomainDrop> drops, Duration elapsed)
    implements Report {
  /** Copies the rows. */
  public DomainRollbackResult {
    drops = List.copyOf(drops);
    Objects.requireNonNull(elapsed, "elapsed");
  }

  /**
   * Returns how many collections have an outcome.
   *
   * @param outcome the outcome
   * @return the count
   */
  public int count(DomainDrop.Outcome outcome) {
    return (int) drops.stream().filter(d -> d.outcome() == outcome).count();
  }

  /**
   * Returns the names of the collections dropped.
   *
   * @return the names, in the plan's order; empty in a dry run
   */
  public List<String> dropped() {
    return drops.stream()
        .filter(d -> d.outcome() == DomainDrop.Outcome.DROPPED)
        .map(d -> d.collection().name())
        .toList();
  }

  /**
   * Tells whether no drop failed. Kept collections are not failures: they are left alone on
   * purpose.
   *
   * @return true when none failed
   */
  public boolean isSuccess() {
    return count(DomainDrop.Outcome.FAILED) == 0;
  }

  @Override
  public String operation() {
    return "rollback-domains";
  }

  @Override
  public String summary() {
    return operation()
        + (dryRun ? " [dry run]: " : ": ")
        + (dryRun
            ? count(DomainDrop.Outcome.WOULD_DROP) + " to drop, "
            : count(DomainDrop.Outcome.DROPPED) + " dropped, ")
        + count(DomainDrop.Outcome.KEPT)
        + " kept, "
        + count(DomainDrop.Outcome.ABSENT)
        + " absent, "
        + count(DomainDrop.Outcome.FAILED)
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
        "dropped",
        count(DomainDrop.Outcome.DROPPED),
        "wouldDrop",
        count(DomainDrop.Outcome.WOULD_DROP),
        "kept",
        count(DomainDrop.Outcome.KEPT),
        "absent",
        count(DomainDrop.Outcome.ABSENT),
        "failed",
        count(DomainDrop.Outcome.FAILED),
        "droppedCollections",
        dropped(),
        "collections",
        drops.stream().map(DomainDrop::fields).toList(),
        "elapsedMs",
        elapsed.toMillis());
  }

  @Override
  public String toString() {
    return summary();
  }
}
