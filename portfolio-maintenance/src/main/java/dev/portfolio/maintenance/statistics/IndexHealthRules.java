package dev.portfolio.maintenance.statistics;

import dev.portfolio.core.inspect.AnnIndexState;
import dev.portfolio.core.inspect.CollectionSnapshot;
import dev.portfolio.core.inspect.RelationKind;
import dev.portfolio.core.inspect.RelationStats;
import dev.portfolio.core.inspect.SetSnapshot;
import dev.portfolio.core.inspect.StoreSnapshot;
import dev.portfolio.core.validation.Inputs;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Judges the indexes and tables of a {@link StoreSnapshot} by {@link HealthThresholds}: invalid or
 * missing ANN indexes, dead rows, tables never analysed, and statistics older than the last bulk
 * load (on PostgreSQL from {@code pg_index} and {@code pg_stat_user_tables}). Pure: it reads only
 * the snapshot, so health checks can run it on snapshots they already have.
 *
 * @since 0.1.0
 */
public final class IndexHealthRules {
  private IndexHealthRules() {}

  /**
   * Assesses a snapshot.
   *
   * @param snapshot what the store reported
   * @param thresholds when to call something degraded or critical
   * @return the health, findings worst first
   */
  public static IndexHealth assess(StoreSnapshot snapshot, HealthThresholds thresholds) {
    Inputs.requireNonNull("snapshot", snapshot);
    Inputs.requireNonNull("thresholds", thresholds);
    List<HealthFinding> findings = new ArrayList<>();
    Set<String> reportedIndexes = new HashSet<>();
    for (CollectionSnapshot c : snapshot.collections()) {
      for (SetSnapshot s : c.sets()) {
        annIndex(c, s, thresholds, findings, reportedIndexes);
      }
    }
    for (RelationStats r : snapshot.relations()) {
      if (r.kind() == RelationKind.INDEX) {
        if (Boolean.FALSE.equals(r.valid()) && !reportedIndexes.contains(r.name())) {
          findings.add(
              new HealthFinding(
                  HealthLevel.DEGRADED,
                  HealthFindingKind.INVALID_INDEX,
                  r.name(),
                  "index on "
                      + r.table()
                      + " is invalid (an interrupted CREATE INDEX CONCURRENTLY): writes maintain"
                      + " it, queries never use it. Drop it and build it again."));
        }
      } else if (r.kind() == RelationKind.TABLE) {
        table(r, thresholds, findings);
      }
    }
    findings.sort(
        Comparator.comparing(HealthFinding::level)
            .reversed()
            .thenComparing(HealthFinding::subject)
            .thenComparing(HealthFinding::kind));
    HealthLevel level = HealthLevel.HEALTHY;
    for (HealthFinding f : findings) {
      level = level.worst(f.level());
    }
    List<String> unchecked = new ArrayList<>();
    if (snapshot.relations().isEmpty()) {
      unchecked.add(
          "dead rows, ANALYZE and index validity: the store reports no tables (in memory)");
    }
    return new IndexHealth(level, findings, unchecked);
  }

  private static void annIndex(
      CollectionSnapshot c,
      SetSnapshot s,
      HealthThresholds thresholds,
      List<HealthFinding> findings,
      Set<String> reportedIndexes) {
    String state = s.set().state().name().toLowerCase(Locale.ROOT);
    String subject = c.name() + " set " + s.set().id() + " (" + state + ")";
    switch (s.set().state()) {
      case ACTIVE -> {
        if (s.annIndex() == AnnIndexState.INVALID) {
          reportedIndexes.add(indexName(s));
          findings.add(
              new HealthFinding(
                  HealthLevel.CRITICAL,
                  HealthFindingKind.INVALID_INDEX,
                  subject,
                  "the ANN index searches should use is invalid (an interrupted build): every"
                      + " search scans all "
                      + s.vectors()
                      + " vectors while writes still pay for the index. Rebuild it"
                      + " (PgVectorStore.createAnnIndex drops and rebuilds an invalid index)."));
        } else if (s.annIndex() == AnnIndexState.MISSING
            && s.vectors() >= thresholds.missingIndexMinVectors()) {
          findings.add(
              new HealthFinding(
                  HealthLevel.DEGRADED,
                  HealthFindingKind.MISSING_ANN_INDEX,
                  subject,
                  "no ANN index: every search scans all "
                      + s.vectors()
                      + " vectors. Build it (PgVectorStore.createAnnIndex)."));
        }
      }
      case BUILDING -> {
        if (s.annIndex() == AnnIndexState.INVALID) {
          reportedIndexes.add(indexName(s));
          findings.add(
              new HealthFinding(
                  HealthLevel.DEGRADED,
                  HealthFindingKind.INVALID_INDEX,
                  subject,
                  "the building set's ANN index is invalid (an interrupted build); activating the"
                      + " set drops and rebuilds it."));
        }
      }
      case RETIRED -> {
        // never searched: its index matters only after a rollback, which rebuilds an invalid one
      }
    }
  }

  private static String indexName(SetSnapshot s) {
    return "embeddings_" + s.set().id() + "_ann";
  }

  private static void table(
      RelationStats r, HealthThresholds thresholds, List<HealthFinding> findings) {
    long live = r.liveRows().orElse(0);
    if (r.deadRows().isPresent()) {
      long dead = r.deadRows().getAsLong();
      double share = live + dead == 0 ? 0 : (double) dead / (live + dead);
      if (dead >= thresholds.minDeadRows() && share >= thresholds.deadRowsDegraded()) {
        HealthLevel level =
            share >= thresholds.deadRowsCritical() ? HealthLevel.CRITICAL : HealthLevel.DEGRADED;
        findings.add(
            new HealthFinding(
                level,
                HealthFindingKind.DEAD_ROWS,
                r.name(),
                String.format(
                    Locale.ROOT,
                    "%d dead rows, %.0f%% of the table (threshold %.0f%%): scans and index"
                        + " lookups read them in vain. VACUUM %s, and check that autovacuum keeps"
                        + " up.",
                    dead,
                    100 * share,
                    100
                        * (level == HealthLevel.CRITICAL
                            ? thresholds.deadRowsCritical()
                            : thresholds.deadRowsDegraded()),
                    r.name())));
      }
    }
    if (r.lastAnalyzed() == null) {
      if (r.liveRows().isPresent() && live >= thresholds.minRowsToAnalyze()) {
        findings.add(
            new HealthFinding(
                HealthLevel.DEGRADED,
                HealthFindingKind.NEVER_ANALYZED,
                r.name(),
                live
                    + " rows and never analysed: the planner guesses sizes and may prefer full"
                    + " scans to the indexes. ANALYZE "
                    + r.name()
                    + "."));
      }
    } else if (r.modifiedSinceAnalyze().isPresent()) {
      long modified = r.modifiedSinceAnalyze().getAsLong();
      if (modified >= thresholds.minModifiedRows()
          && modified >= thresholds.staleStatisticsRatio() * live) {
        findings.add(
            new HealthFinding(
                HealthLevel.DEGRADED,
                HealthFindingKind.STALE_STATISTICS,
                r.name(),
                modified
                    + " rows changed since the last ANALYZE at "
                    + r.lastAnalyzed()
                    + " ("
                    + live
                    + " live rows): the statistics are older than the last bulk load. ANALYZE "
                    + r.name()
                    + "."));
      }
    }
  }
}
