package dev.portfolio.maintenance.verify;

import static dev.portfolio.maintenance.testing.Fixture.maintenance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.error.PortfolioException;
import dev.portfolio.core.inspect.VectorScanQuery;
import dev.portfolio.core.memory.InMemoryVectorStore;
import dev.portfolio.core.spi.ProgressEvent;
import dev.portfolio.core.spi.ProgressReporter;
import dev.portfolio.maintenance.testing.RecordingReporter;
import dev.portfolio.maintenance.testing.Scene;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerifyEmbeddingsTest {
  private final InMemoryVectorStore store = new InMemoryVectorStore();

  @Test
  void verifyCountsAndNamesEveryKindOfProblemPerSet() {
    Scene scene = Scene.load(store, "docs");
    RecordingReporter reporter = new RecordingReporter();

    VerifyReport report =
        maintenance(store, null, reporter)
            .verifyEmbeddings(VerifyOptions.builder().pageSize(7).build());

    SetVerification active = report.set("docs", store.activeSet("docs").id()).orElseThrow();
    assertThat(active.examined()).as("57 vectors, the deleted document's 3 included").isEqualTo(57);
    assertThat(active.finding(FindingKind.STALE).sampleChunkIds())
        .containsExactlyElementsOf(scene.staleIds());
    assertThat(active.finding(FindingKind.ZERO_VECTOR).sampleChunkIds())
        .containsExactly(scene.zeroId());
    assertThat(active.finding(FindingKind.MODEL_MISMATCH).sampleChunkIds())
        .containsExactly(scene.foreignId());
    assertThat(active.count(FindingKind.DIMENSION_MISMATCH)).isZero();
    assertThat(active.count(FindingKind.NON_FINITE)).isZero();
    assertThat(active.count(FindingKind.ORPHAN)).isZero();
    assertThat(active.findings()).extracting(Finding::kind).containsExactly(FindingKind.values());
    SetVerification building = report.set("docs", scene.buildingSet().id()).orElseThrow();
    assertThat(building.examined()).isEqualTo(10);
    assertThat(building.isClean()).isTrue();
    assertThat(report.total(FindingKind.STALE)).isEqualTo(2);
    assertThat(report.isClean()).isFalse();
    assertThat(report.toString())
        .contains("zero_vector", "stale", "model_mismatch", "none")
        .contains(scene.staleIds().get(0) + "," + scene.staleIds().get(1));

    List<ProgressEvent> progressed = reporter.events("progressed", "verify embeddings");
    assertThat(progressed).isNotEmpty();
    assertThat(progressed).extracting(ProgressEvent::current).isSorted();
    ProgressEvent finished = reporter.events("finished", "verify embeddings").get(0);
    assertThat(finished.current()).isEqualTo(67);
    assertThat(finished.message()).contains("67 vectors in 2 sets verified, 4 problems");
  }

  @Test
  void maxSamplesBoundsTheListedIdsButNotTheCounts() {
    Scene scene = Scene.load(store, "docs");

    VerifyReport report =
        maintenance(store, null, ProgressReporter.SILENT)
            .verifyEmbeddings(VerifyOptions.builder().collections("docs").maxSamples(1).build());

    Finding stale =
        report.set("docs", store.activeSet("docs").id()).orElseThrow().finding(FindingKind.STALE);
    assertThat(stale.count()).isEqualTo(2);
    assertThat(stale.sampleChunkIds()).containsExactly(scene.staleIds().get(0));
    assertThat(report.toString()).contains(scene.staleIds().get(0) + ",...");
  }

  @Test
  void aSampledRunExaminesTheSameShareOfChunksEveryTime() {
    Scene scene = Scene.load(store, "docs");
    long expected =
        scene.chunks().stream()
            .filter(c -> c.id() > scene.chunks().get(2).id())
            .filter(c -> VectorScanQuery.sampled(c.id(), 0.5))
            .count();

    VerifyOptions half = VerifyOptions.builder().sampleRate(0.5).pageSize(5).build();
    VerifyReport first = maintenance(store, null, ProgressReporter.SILENT).verifyEmbeddings(half);
    VerifyReport second = maintenance(store, null, ProgressReporter.SILENT).verifyEmbeddings(half);

    long activeId = store.activeSet("docs").id();
    assertThat(first.set("docs", activeId).orElseThrow().examined()).isEqualTo(expected);
    assertThat(first.sets()).isEqualTo(second.sets());
    assertThat(first.sampleRate()).isEqualTo(0.5);
    assertThat(first.toString()).contains("sample rate 0.5");
  }

  @Test
  void retiredSetsAreVerifiedOnlyWhenAsked() {
    Scene scene = Scene.load(store, "docs");
    store.activateSet("docs", scene.buildingSet().id());
    long retired = store.embeddingSets("docs").get(0).id();

    VerifyReport without =
        maintenance(store, null, ProgressReporter.SILENT)
            .verifyEmbeddings(VerifyOptions.defaults());
    VerifyReport with =
        maintenance(store, null, ProgressReporter.SILENT)
            .verifyEmbeddings(VerifyOptions.builder().includeRetired(true).build());

    assertThat(without.set("docs", retired)).isEmpty();
    assertThat(with.set("docs", retired).orElseThrow().state()).isEqualTo("retired");
  }

  @Test
  void namedSetsAreTheOnlyOnesVerifiedWhateverTheirState() {
    Scene scene = Scene.load(store, "docs");
    store.activateSet("docs", scene.buildingSet().id());
    long retired = store.embeddingSets("docs").get(0).id();

    VerifyReport r =
        maintenance(store, null, ProgressReporter.SILENT)
            .verifyEmbeddings(VerifyOptions.builder().collections("docs").sets(retired).build());

    assertThat(r.sets()).singleElement().satisfies(s -> assertThat(s.setId()).isEqualTo(retired));
    assertThat(r.sets().get(0).state()).isEqualTo("retired");
  }

  @Test
  void anUnknownSetFailsBeforeAnyWorkNamingTheSetsThereAre() {
    Scene.load(store, "docs");
    List<Long> ids = store.embeddingSets("docs").stream().map(s -> s.id()).toList();
    RecordingReporter reporter = new RecordingReporter();

    assertThatThrownBy(
            () ->
                maintenance(store, null, reporter)
                    .verifyEmbeddings(
                        VerifyOptions.builder().collections("docs").sets(999_999).build()))
        .isInstanceOfSatisfying(
            PortfolioException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
        .hasMessage("No embedding set 999999 in [docs]; the sets there are " + ids + ".");
    assertThat(reporter.calls()).isEmpty();
    assertThatThrownBy(() -> VerifyOptions.builder().sets(0).build())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("verify.setIds must hold set ids of 1 or more (was 0)");
  }

  @Test
  void anUnknownCollectionFailsBeforeAnyWork() {
    RecordingReporter reporter = new RecordingReporter();

    assertThatThrownBy(
            () ->
                maintenance(store, null, reporter)
                    .verifyEmbeddings(VerifyOptions.builder().collections("nope").build()))
        .isInstanceOfSatisfying(
            PortfolioException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
        .hasMessageContaining("'nope'");
    assertThat(reporter.calls()).isEmpty();
  }

  @Test
  void invalidOptionsNameTheOption() {
    assertThatThrownBy(() -> VerifyOptions.builder().sampleRate(0).build())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("verify.sampleRate must be in (0, 1]");
    assertThatThrownBy(() -> VerifyOptions.builder().pageSize(0).build())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("verify.pageSize must be between 1 and 10000");
    assertThatThrownBy(() -> VerifyOptions.builder().collections("Bad Name").build())
        .isInstanceOf(InvalidInputException.class);
  }
}
