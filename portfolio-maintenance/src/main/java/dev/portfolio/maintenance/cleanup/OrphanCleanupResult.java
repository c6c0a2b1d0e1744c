package dev.portfolio.maintenance.cleanup;

import dev.portfolio.core.model.VacuumOutcome;
import dev.portfolio.maintenance.report.Fields;
import dev.portfolio.maintenance.report.Report;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link dev.portfolio.maintenance.Maintenance#cleanupOrphans} found and removed:
 *
 * <pre>
 * cleanup-orphans: 3 chunks without document (3 removed), 1 ready documents without chunks
 * (1 removed), 5 vectors without chunk (5 removed), 0 vectors without set (0 removed); 1 retired
 * set kept for rollback (120 vectors); vacuumed documents, chunks, embeddings in 0.3 s
 * </pre>
 *
 * @param dryRun true when nothing was removed, only counted
 * @param cancelled true when the run stopped at a batch boundary because its cancellation check
 *     said so ({@link OrphanCleanupOptions#cancellation()}): the removed counts are what the
 *     committed batches deleted, no retired set was dropped, and running the same cleanup again
 *     removes the rest
 * @param orphans one entry per {@link dev.portfolio.core.model.OrphanKind}, in enum order
 * @param retiredSets the retired sets of every collection, and what happened to them
 * @param vacuum what reclaiming space did; empty when nothing was removed, vacuum was off or the
 *     run was cancelled
 * @param elapsed the wall time
 * @since 0.1.0
 */
public record OrphanCleanupResult(
    boolean dryRun,
    boolean cancelled,
    List<OrphanCount> orphans,
    List<RetiredSet> retiredSets,
    List<VacuumOutcome> vacuum,
    Duration elapsed)
    implements Report {
  /** Validates the components and copies the lists. */
  public OrphanCleanupResult {
    orphans = List.copyOf(orphans);
    retiredSets = List.copyOf(retiredSets);
    vacuum = List.copyOf(vacuum);
    Objects.requireNonNull(elapsed, "elapsed");
  }

  /**
   * Returns the orphans found, all kinds.
   *
   * @return the sum of {@link OrphanCount#found()}
   */
  public long found() {
    return orphans.stream().mapToLong(OrphanCount::found).sum();
  }

  /**
   * Returns the rows removed, all kinds.
   *
   * @return the sum of {@link OrphanCount#removed()}
   */
  public long removed() {
    return orphans.stream().mapToLong(OrphanCount::removed).sum();
  }

  @Override
  public String operation() {
    return "cleanup-orphans";
  }

  @Override
  public String summary() {
    StringBuilder s = new StringBuilder("cleanup-orphans").append(dryRun ? " [dry run]: " : ": ");
    for (int i = 0; i < orphans.size(); i++) {
      OrphanCount o = orphans.get(i);
      s.append(i == 0 ? "" : ", ")
          .append(o.found())
          .append(' ')
          .append(o.kind().name().toLowerCase(Locale.ROOT).replace('_', ' '))
          .append(dryRun ? "" : " (" + o.removed() + " removed)");
    }
    long kept = retiredSets.stream().filter(r -> r.action().startsWith("kept")).count();
    long keptVectors =
        retiredSets.stream()
            .filter(r -> r.action().startsWith("kept"))
            .mapToLong(RetiredSet::vectors)
            .sum();
    s.append("; ").append(kept).append(" retired sets kept for rollback (");
    s.append(keptVectors).append(" vectors)");
    long dropped = retiredSets.size() - kept;
    if (dropped > 0) {
      s.append(", ").append(dropped).append(dryRun ? " would be dropped" : " dropped or failed");
    }
    s.append("; ")
        .append(
            dryRun
                ? "nothing was changed"
                : cancelled
                    ? "cancelled at a batch boundary (the rest and the vacuum are left to the next run)"
                    : Fields.vacuumSummary(vacuum))
        .append(" in ")
        .append(Fields.seconds(elapsed));
    return s.toString();
  }

  @Override
  public Map<String, Object> fields() {
    return Fields.of(
        "operation",
        operation(),
        "dryRun",
        dryRun,
        "cancelled",
        cancelled,
        "found",
        found(),
        "removed",
        removed(),
        "elapsedMs",
        elapsed.toMillis(),
        "orphans",
        orphans.stream()
            .map(
                o -> Fields.of("kind", o.kind().name(), "found", o.found(), "removed", o.removed()))
            .toList(),
        "retiredSets",
        retiredSets.stream()
            .map(
                r ->
                    Fields.of(
                        "collection",
                        r.set().collection(),
                        "setId",
                        r.set().id(),
                        "model",
                        r.set().model(),
                        "retiredAt",
                        r.set().retiredAt(),
                        "vectors",
                        r.vectors(),
                        "action",
                        r.action()))
            .toList(),
        "vacuum",
        Fields.vacuum(vacuum));
  }

  @Override
  public String toString() {
    return summary();
  }
}
