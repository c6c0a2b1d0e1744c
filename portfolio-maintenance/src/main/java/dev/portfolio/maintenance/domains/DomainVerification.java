package dev.portfolio.maintenance.domains;

import dev.portfolio.maintenance.report.Fields;
import dev.portfolio.maintenance.report.Report;
import java.util.List;
import java.util.Map;

/**
 * What {@link dev.portfolio.maintenance.Maintenance#verifyDomains} found:
 *
 * <pre>
 * verify-domains: 6 expected, 5 ok, 1 missing, 0 mismatched
 * </pre>
 *
 * <p>When the plan declares filters, the summary also counts the collections whose filters are
 * incomplete: {@code ..., 0 mismatched, 1 filters incomplete}.
 *
 * @param checks one check per expected collection, in the plan's order
 * @since 0.1.0
 */
public record DomainVerification(List<DomainCheck> checks) implements Report {
  /** Copies the checks. */
  public DomainVerification {
    checks = List.copyOf(checks);
  }

  /**
   * Tells whether every expected collection exists with the plan's model, dimension, distance and
   * filters.
   *
   * @return true when none is missing, mismatched or with incomplete filters
   */
  public boolean isOk() {
    return checks.stream().allMatch(c -> c.status() == DomainCheck.Status.OK);
  }

  /**
   * Returns the checks that are not {@link DomainCheck.Status#OK}.
   *
   * @return the problems, in the plan's order
   */
  public List<DomainCheck> problems() {
    return checks.stream().filter(c -> c.status() != DomainCheck.Status.OK).toList();
  }

  /**
   * Returns how many collections have a status.
   *
   * @param status the status
   * @return the count
   */
  public int count(DomainCheck.Status status) {
    return (int) checks.stream().filter(c -> c.status() == status).count();
  }

  @Override
  public String operation() {
    return "verify-domains";
  }

  @Override
  public String summary() {
    return operation()
        + ": "
        + checks.size()
        + " expected, "
        + count(DomainCheck.Status.OK)
        + " ok, "
        + count(DomainCheck.Status.MISSING)
        + " missing, "
        + count(DomainCheck.Status.MISMATCH)
        + " mismatched"
        + (declaresFilters()
            ? ", " + count(DomainCheck.Status.FILTERS_INCOMPLETE) + " filters incomplete"
            : "");
  }

  private boolean declaresFilters() {
    return checks.stream().anyMatch(c -> !c.collection().type().filters().isEmpty());
  }

  @Override
  public Map<String, Object> fields() {
    return Fields.of(
        "operation",
        operation(),
        "ok",
        isOk(),
        "expected",
        checks.size(),
        "present",
        count(DomainCheck.Status.OK),
        "missing",
        count(DomainCheck.Status.MISSING),
        "mismatched",
        count(DomainCheck.Status.MISMATCH),
        "filtersIncomplete",
        count(DomainCheck.Status.FILTERS_INCOMPLETE),
        "collections",
        checks.stream().map(DomainCheck::fields).toList());
  }

  @Override
  public String toString() {
    return summary();
  }
}
