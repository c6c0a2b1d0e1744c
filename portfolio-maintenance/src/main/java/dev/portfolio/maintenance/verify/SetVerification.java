package dev.portfolio.maintenance.verify;

import java.util.List;
import java.util.Objects;

/**
 * What verifying one embedding set found.
 *
 * @param collection the collection
 * @param setId the set
 * @param state {@code active}, {@code building} or {@code retired}
 * @param model the set's model
 * @param dimension the set's dimension
 * @param examined vectors examined (all of them, or the sampled ones), soft-deleted documents'
 *     included
 * @param findings one entry per {@link FindingKind}, in its order, zero counts included
 * @since 0.1.0
 */
public record SetVerification(
    String collection,
    long setId,
    String state,
    String model,
    int dimension,
    long examined,
    List<Finding> findings) {
  /** Validates the components and copies the list. */
  public SetVerification {
    Objects.requireNonNull(collection, "collection");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(model, "model");
    findings = List.copyOf(findings);
  }

  /**
   * Returns the finding of one kind.
   *
   * @param kind the kind
   * @return its finding (a zero count when none)
   */
  public Finding finding(FindingKind kind) {
    return findings.stream()
        .filter(f -> f.kind() == kind)
        .findFirst()
        .orElse(new Finding(kind, 0, List.of()));
  }

  /**
   * Counts the vectors with one kind of problem.
   *
   * @param kind the kind
   * @return the count
   */
  public long count(FindingKind kind) {
    return finding(kind).count();
  }

  /**
   * Tells whether no examined vector has a problem.
   *
   * @return true when every count is zero
   */
  public boolean isClean() {
    return findings.stream().allMatch(f -> f.count() == 0);
  }
}
