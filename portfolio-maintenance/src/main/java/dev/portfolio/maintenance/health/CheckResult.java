package dev.portfolio.maintenance.health;

import java.util.List;
import java.util.Objects;

/**
 * The verdict of one health check.
 *
 * @param kind the check
 * @param status PASS, INFO or FAIL
 * @param count how many things were found (chunks, vectors, documents, sets, indexes, tables or
 *     jobs, as {@link HealthCheckKind} says); 0 for a pass or a check that did not run
 * @param samples some of them, as {@link HealthCheckKind} describes: {@code collection:chunkId},
 *     {@code collection:documentKey}, {@code collection:setId}, a relation name or a job id; at
 *     most {@link HealthCheckOptions#maxSamples()}
 * @param detail what was seen, for people (figures per collection, the threshold applied, or why
 *     the check could not run)
 * @param remedy one line saying what to do; null for a pass or a check that did not run
 * @since 0.1.0
 */
public record CheckResult(
    HealthCheckKind kind,
    HealthStatus status,
    long count,
    List<String> samples,
    String detail,
    String remedy) {
  /** Validates the components and copies the samples. */
  public CheckResult {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(status, "status");
    samples = List.copyOf(samples);
    Objects.requireNonNull(detail, "detail");
  }

  /**
   * Returns the check's stable name.
   *
   * @return for example {@code stale-embeddings}
   */
  public String name() {
    return kind.id();
  }
}
