package dev.portfolio.maintenance.statistics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portfolio.core.inspect.AnnIndexState;
import dev.portfolio.core.inspect.CollectionSnapshot;
import dev.portfolio.core.inspect.RelationKind;
import dev.portfolio.core.inspect.RelationStats;
import dev.portfolio.core.inspect.SetSnapshot;
import dev.portfolio.core.inspect.StoreSnapshot;
import dev.portfolio.core.model.Distance;
import dev.portfolio.core.model.EmbeddingSet;
import dev.portfolio.core.model.SetState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class IndexHealthRulesTest {
  private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
  private static final HealthThresholds DEFAULTS = HealthThresholds.defaults();

  @Test
  void aHealthyStoreHasNoFinding() {
    IndexHealth health =
        IndexHealthRules.assess(
            snapshot(
                set(1, SetState.ACTIVE, AnnIndexState.VALID, 50_000),
                table("chunks", 50_000, 10, 5, NOW)),
            DEFAULTS);

    assertThat(health.level()).isEqualTo(HealthLevel.HEALTHY);
    assertThat(health.findings()).isEmpty();
    assertThat(health.unchecked()).isEmpty();
  }

  @Test
  void anInvalidActiveIndexIsCriticalAndAnInvalidBuildingIndexDegraded() {
    IndexHealth health =
        IndexHealthRules.assess(
            snapshot(
                List.of(
                    set(1, SetState.ACTIVE, AnnIndexState.INVALID, 100),
                    set(2, SetState.BUILDING, AnnIndexState.INVALID, 100)),
                List.of(index("embeddings_1_ann", false), index("embeddings_2_ann", false))),
            DEFAULTS);

    assertThat(health.level()).isEqualTo(HealthLevel.CRITICAL);
    assertThat(health.findings())
        .extracting(HealthFinding::level, HealthFinding::kind, HealthFinding::subject)
        .containsExactly(
            org.assertj.core.api.Assertions.tuple(
                HealthLevel.CRITICAL, HealthFindingKind.INVALID_INDEX, "docs set 1 (active)"),
            org.assertj.core.api.Assertions.tuple(
                HealthLevel.DEGRADED, HealthFindingKind.INVALID_INDEX, "docs set 2 (building)"));
    assertThat(health.findings().get(0).reason()).contains("every search scans all 100 vectors");
  }

  @Test
  void aMissingActiveIndexIsDegradedFromTheThreshold() {
    assertThat(
            IndexHealthRules.assess(
                    snapshot(set(1, SetState.ACTIVE, AnnIndexState.MISSING, 9_999)), DEFAULTS)
                .level())
        .isEqualTo(HealthLevel.HEALTHY);
    IndexHealth health =
        IndexHealthRules.assess(
            snapshot(set(1, SetState.ACTIVE, AnnIndexState.MISSING, 10_000)), DEFAULTS);
    assertThat(health.level()).isEqualTo(HealthLevel.DEGRADED);
    assertThat(health.findings().get(0).kind()).isEqualTo(HealthFindingKind.MISSING_ANN_INDEX);
    assertThat(
            IndexHealthRules.assess(
                    snapshot(set(1, SetState.BUILDING, AnnIndexState.MISSING, 50_000)), DEFAULTS)
                .findings())
        .as("a building set gets its index when activated")
        .isEmpty();
  }

  @Test
  void deadRowsAreDegradedFromTwentyAndCriticalFromFiftyPercent() {
    assertThat(level(table("t", 10_000, 2_600, 0, NOW))).isEqualTo(HealthLevel.DEGRADED);
    assertThat(level(table("t", 10_000, 10_000, 0, NOW))).isEqualTo(HealthLevel.CRITICAL);
    assertThat(level(table("t", 10_000, 1_000, 0, NOW))).isEqualTo(HealthLevel.HEALTHY);
    assertThat(level(table("t", 100, 900, 0, NOW)))
        .as("below minDeadRows the share is not judged")
        .isEqualTo(HealthLevel.HEALTHY);
    HealthFinding f =
        IndexHealthRules.assess(snapshot(table("chunks", 1_000, 3_000, 0, NOW)), DEFAULTS)
            .findings()
            .get(0);
    assertThat(f.kind()).isEqualTo(HealthFindingKind.DEAD_ROWS);
    assertThat(f.reason()).startsWith("3000 dead rows, 75% of the table (threshold 50%)");
  }

  @Test
  void aTableNeverAnalysedAndStatisticsOlderThanTheLastLoadAreDegraded() {
    HealthFinding never =
        IndexHealthRules.assess(snapshot(table("chunks", 5_000, 0, 5_000, null)), DEFAULTS)
            .findings()
            .get(0);
    assertThat(never.kind()).isEqualTo(HealthFindingKind.NEVER_ANALYZED);
    assertThat(never.reason()).contains("5000 rows and never analysed", "ANALYZE chunks");
    assertThat(level(table("small", 999, 0, 999, null))).isEqualTo(HealthLevel.HEALTHY);

    HealthFinding stale =
        IndexHealthRules.assess(snapshot(table("chunks", 10_000, 0, 3_000, NOW)), DEFAULTS)
            .findings()
            .get(0);
    assertThat(stale.kind()).isEqualTo(HealthFindingKind.STALE_STATISTICS);
    assertThat(stale.reason())
        .contains(
            "3000 rows changed since the last ANALYZE at " + NOW, "older than the last bulk load");
    assertThat(level(table("chunks", 10_000, 0, 1_999, NOW))).isEqualTo(HealthLevel.HEALTHY);
  }

  private static HealthLevel level(RelationStats table) {
    return IndexHealthRules.assess(snapshot(table), DEFAULTS).level();
  }

  private static StoreSnapshot snapshot(SetSnapshot set, RelationStats... relations) {
    return snapshot(List.of(set), List.of(relations));
  }

  private static StoreSnapshot snapshot(RelationStats table) {
    return snapshot(List.of(set(1, SetState.ACTIVE, AnnIndexState.VALID, 1)), List.of(table));
  }

  private static StoreSnapshot snapshot(List<SetSnapshot> sets, List<RelationStats> relations) {
    CollectionSnapshot c =
        new CollectionSnapshot("docs", Distance.COSINE, Map.of(), 0, 0, OptionalLong.empty(), sets);
    return new StoreSnapshot(
        NOW,
        null,
        List.of(c),
        relations.isEmpty() ? List.of(table("x", 1, 0, 0, NOW)) : relations,
        Map.of());
  }

  private static SetSnapshot set(long id, SetState state, AnnIndexState index, long vectors) {
    return new SetSnapshot(
        new EmbeddingSet(id, "docs", "m", 3, state, NOW, null, null),
        vectors,
        0,
        0,
        index,
        OptionalLong.empty());
  }

  private static RelationStats table(
      String name, long live, long dead, long modified, Instant analyzed) {
    return new RelationStats(
        name,
        RelationKind.TABLE,
        null,
        8192,
        null,
        OptionalLong.of(live),
        OptionalLong.of(dead),
        OptionalLong.of(modified),
        analyzed,
        OptionalLong.of(0),
        OptionalLong.of(0));
  }

  private static RelationStats index(String name, boolean valid) {
    return new RelationStats(
        name,
        RelationKind.INDEX,
        "embeddings",
        8192,
        valid,
        OptionalLong.empty(),
        OptionalLong.empty(),
        OptionalLong.empty(),
        null,
        OptionalLong.empty(),
        OptionalLong.empty());
  }
}
