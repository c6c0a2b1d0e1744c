package dev.portfolio.maintenance.modelswitch;

import static dev.portfolio.maintenance.testing.Fixture.assertEveryChunkEmbeddedBy;
import static dev.portfolio.maintenance.testing.Fixture.maintenance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.PortfolioException;
import dev.portfolio.core.hashing.HashingEmbedder;
import dev.portfolio.core.memory.InMemoryVectorStore;
import dev.portfolio.core.model.EmbeddingSet;
import dev.portfolio.core.model.SearchHit;
import dev.portfolio.core.model.SetState;
import dev.portfolio.core.model.VectorQuery;
import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.spi.ProgressReporter;
import dev.portfolio.maintenance.Maintenance;
import dev.portfolio.maintenance.reembed.ReembedOptions;
import dev.portfolio.maintenance.reembed.ReembedResult;
import dev.portfolio.maintenance.testing.Corpus;
import dev.portfolio.maintenance.testing.CountingEmbedder;
import dev.portfolio.maintenance.testing.CrashingEmbedder;
import dev.portfolio.maintenance.testing.FailingStore;
import dev.portfolio.maintenance.testing.FaultyEmbedder;
import dev.portfolio.maintenance.testing.Fixture;
import dev.portfolio.maintenance.testing.RecordingReporter;
import dev.portfolio.maintenance.testing.RenamedEmbedder;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ModelSwitchTest {
  private InMemoryVectorStore store;
  private HashingEmbedder h16;
  private Maintenance maintenance;

  @BeforeEach
  void load() {
    store = new InMemoryVectorStore();
    h16 = new HashingEmbedder(16);
    Fixture.load(store, "docs", 16, 20, 10);
    maintenance = maintenance(store, h16, ProgressReporter.SILENT);
    maintenance.reembed(ReembedOptions.builder("docs").build());
  }

  @Test
  void switchesAcrossDimensionChanges16To24To40() {
    HashingEmbedder h24 = new HashingEmbedder(24);
    HashingEmbedder h40 = new HashingEmbedder(40);
    EmbeddingSet first = store.activeSet("docs");

    SwitchResult to24 = maintenance.switchModel("docs", h24, SwitchOptions.defaults());
    assertThat(to24.outcome()).isEqualTo(SwitchOutcome.ACTIVATED);
    assertThat(to24.from()).isEqualTo(first);
    assertThat(to24.to().dimension()).isEqualTo(24);
    assertThat(to24.to().state()).isEqualTo(SetState.ACTIVE);
    assertThat(to24.processed()).isEqualTo(200);
    assertThat(store.findCollection("docs").orElseThrow().spec().dimension()).isEqualTo(24);
    assertEveryChunkEmbeddedBy(store, "docs", 0, h24);

    SwitchResult to40 =
        maintenance.switchModel(
            "docs", h40, SwitchOptions.builder().dropRetired(true).batchSize(33).build());
    assertThat(to40.outcome()).isEqualTo(SwitchOutcome.ACTIVATED);
    assertThat(to40.dropped()).extracting(EmbeddingSet::id).containsExactly(to24.to().id());
    assertEveryChunkEmbeddedBy(store, "docs", 0, h40);
    assertThat(store.embeddingSets("docs"))
        .extracting(EmbeddingSet::id)
        .containsExactly(first.id(), to40.to().id());
    assertThat(topHit(h40, "doc-7", 3).score())
        .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
    assertThat(to40.toString())
        .startsWith(
            "switch docs from set "
                + to24.to().id()
                + " (hashing:hashing-v1, 24 dimensions) to set "
                + to40.to().id()
                + " (hashing:hashing-v1, 40 dimensions): activated; 200 chunks embedded, 0 failed");
  }

  @Test
  void switchesToAModelWithAnotherNameAndRollsBack() {
    Embedder next = new RenamedEmbedder(new HashingEmbedder(16), "hashing-next");

    SwitchResult r = maintenance.switchModel("docs", next, SwitchOptions.defaults());

    assertThat(r.to().model()).isEqualTo("hashing:hashing-next");
    assertEveryChunkEmbeddedBy(store, "docs", 0, next);
    EmbeddingSet back = maintenance.rollback("docs");
    assertThat(back.id()).isEqualTo(r.from().id());
    assertEveryChunkEmbeddedBy(store, "docs", 0, h16);
    assertThat(maintenance.dropRetired("docs"))
        .extracting(EmbeddingSet::id)
        .containsExactly(r.to().id());
    assertThat(maintenance.dropRetired("docs")).isEmpty();
    assertThatThrownBy(() -> maintenance.rollback("docs"))
        .hasMessageContaining("has no retired embedding set to roll back to");
  }

  @Test
  void searchesReadTheOldSetUntilActivation() {
    HashingEmbedder h24 = new HashingEmbedder(24);

    SwitchResult built =
        maintenance.switchModel("docs", h24, SwitchOptions.builder().activate(false).build());

    assertThat(built.outcome()).isEqualTo(SwitchOutcome.BUILT);
    assertThat(built.active()).isFalse();
    assertThat(topHit(h16, "doc-3", 1).documentKey()).isEqualTo("doc-3");
    assertThatThrownBy(() -> topHit(h24, "doc-3", 1))
        .extracting(e -> ((PortfolioException) e).code())
        .isEqualTo(ErrorCode.DIMENSION_MISMATCH);
    SwitchStatus status = maintenance.switchStatus("docs");
    assertThat(status.readyToActivate()).isTrue();
    assertThat(status.building().orElseThrow().embedded()).isEqualTo(200);

    Activation a = maintenance.activate("docs", false);

    assertThat(a.active().id()).isEqualTo(built.to().id());
    assertThat(a.retired().state()).isEqualTo(SetState.RETIRED);
    assertThat(a.forced()).isFalse();
    assertThat(topHit(h24, "doc-3", 1).documentKey()).isEqualTo("doc-3");
  }

  @Test
  void activationRefusesWhileTheBuildingSetMissesChunksAndSaysHowMany() {
    HashingEmbedder h24 = new HashingEmbedder(24);
    EmbeddingSet building = store.createBuildingSet("docs", h24.info().modelRef(), 24);
    maintenance(store, h24, ProgressReporter.SILENT)
        .reembed(
            ReembedOptions.builder("docs").targetSet(building.id()).documentKey("doc-0").build());

    assertThatThrownBy(() -> maintenance.activate("docs", false))
        .isInstanceOf(PortfolioException.class)
        .hasMessage(
            "Building set "
                + building.id()
                + " of collection 'docs' (hashing:hashing-v1, 24 dimensions) misses 190 of 200"
                + " chunks (5.0% embedded); activating it now would hide them from vector search."
                + " Run switchModel again (it resumes and embeds what is missing), re-embed with"
                + " ReembedOptions.builder(\"docs\").targetSet("
                + building.id()
                + "), or activate with force.")
        .extracting(e -> ((PortfolioException) e).code())
        .isEqualTo(ErrorCode.CONFLICT);
    assertThat(store.activeSet("docs").dimension()).isEqualTo(16);

    Activation forced = maintenance.activate("docs", true);
    assertThat(forced.forced()).isTrue();
    assertThat(forced.coverage().missing()).isEqualTo(190);
    assertThatThrownBy(() -> maintenance.activate("docs", false))
        .hasMessageContaining("has no building set to activate");
  }

  @Test
  void aCrashedSwitchResumesAndEmbedsNoChunkTwice() {
    HashingEmbedder h24 = new HashingEmbedder(24);
    CountingEmbedder counting = new CountingEmbedder(h24);

    assertThatThrownBy(
            () ->
                maintenance.switchModel(
                    "docs",
                    new CrashingEmbedder(counting, 3),
                    SwitchOptions.builder().batchSize(20).build()))
        .hasMessageContaining("stopped: the embedder threw");
    assertThat(store.activeSet("docs").dimension()).isEqualTo(16);
    SwitchStatus midway = maintenance.switchStatus("docs");
    assertThat(midway.building().orElseThrow().embedded()).isEqualTo(60);

    SwitchResult resumed =
        maintenance.switchModel("docs", counting, SwitchOptions.builder().batchSize(20).build());

    assertThat(resumed.outcome()).isEqualTo(SwitchOutcome.ACTIVATED);
    assertThat(resumed.to().id()).isEqualTo(midway.building().orElseThrow().set().id());
    assertThat(resumed.processed()).isEqualTo(140);
    assertEveryChunkEmbeddedBy(store, "docs", 0, h24);
    assertThat(counting.perText()).hasSize(200).allSatisfy((t, n) -> assertThat(n).isOne());
  }

  @Test
  void chunksUpsertedDuringTheSwitchAreEmbeddedBeforeActivation() {
    HashingEmbedder h24 = new HashingEmbedder(24);
    AtomicBoolean upserted = new AtomicBoolean();
    RecordingReporter upsertAfterTheMainRun =
        new RecordingReporter(
            c -> {
              if (c.method().equals("finished")
                  && c.event().operation().endsWith(": embed")
                  && !upserted.getAndSet(true)) {
                store.upsert("docs", Corpus.documents("late-", 3, 4));
              }
            });

    SwitchResult r =
        maintenance(store, h16, upsertAfterTheMainRun)
            .switchModel("docs", h24, SwitchOptions.defaults());

    assertThat(r.outcome()).isEqualTo(SwitchOutcome.ACTIVATED);
    assertThat(r.catchUpRounds()).isEqualTo(1);
    assertThat(r.runs()).extracting(ReembedResult::processed).containsExactly(200L, 12L);
    assertThat(r.missingAtActivation()).isZero();
    assertThat(store.stats("docs").missingChunks()).isZero();
    assertEveryChunkEmbeddedBy(store, "docs", 0, h24);
  }

  @Test
  void chunksUpsertedWhileTheSetIsActivatedAreEmbeddedRightAfter() {
    HashingEmbedder h24 = new HashingEmbedder(24);
    var racing =
        FailingStore.beforeFirst(
            store, "activateSet", () -> store.upsert("docs", Corpus.documents("racer-", 2, 5)));

    SwitchResult r =
        maintenance(racing, h16, ProgressReporter.SILENT)
            .switchModel("docs", h24, SwitchOptions.defaults());

    assertThat(r.outcome()).isEqualTo(SwitchOutcome.ACTIVATED);
    assertThat(r.runs()).extracting(ReembedResult::processed).containsExactly(200L, 10L);
    assertThat(r.runs().get(1).setId()).isEqualTo(store.activeSet("docs").id());
    assertThat(store.stats("docs").missingChunks()).isZero();
    assertEveryChunkEmbeddedBy(store, "docs", 0, h24);
  }

  @Test
  void rejectedChunksLeaveTheSwitchIncompleteUnlessForced() {
    HashingEmbedder h24 = new HashingEmbedder(24);
    String bad = Corpus.text("doc-2", 5);
    CountingEmbedder counting = new CountingEmbedder(new FaultyEmbedder(h24, 1, 0, bad::equals));

    SwitchResult r = maintenance.switchModel("docs", counting, SwitchOptions.defaults());

    assertThat(r.outcome()).isEqualTo(SwitchOutcome.INCOMPLETE);
    assertThat(r.missingAtActivation()).isEqualTo(1);
    assertThat(r.failed()).isEqualTo(1);
    assertThat(r.catchUpRounds()).isEqualTo(1);
    assertThat(r.runs().get(0).errors())
        .singleElement()
        .satisfies(e -> assertThat(e.documentKey()).isEqualTo("doc-2"));
    assertThat(store.activeSet("docs").dimension()).isEqualTo(16);

    SwitchResult forced =
        maintenance.switchModel("docs", counting, SwitchOptions.builder().force(true).build());

    assertThat(forced.outcome()).isEqualTo(SwitchOutcome.ACTIVATED);
    assertThat(forced.missingAtActivation()).isEqualTo(1);
    assertThat(store.activeSet("docs").dimension()).isEqualTo(24);
  }

  @Test
  void aDryRunReportsCountsAndTokensAndCreatesNothing() {
    CountingEmbedder counting = new CountingEmbedder(new HashingEmbedder(24));

    SwitchResult r =
        maintenance.switchModel("docs", counting, SwitchOptions.builder().dryRun(true).build());

    assertThat(r.outcome()).isEqualTo(SwitchOutcome.DRY_RUN);
    assertThat(r.to().id()).isZero();
    assertThat(r.runs())
        .singleElement()
        .satisfies(
            run -> {
              assertThat(run.dryRun()).isTrue();
              assertThat(run.total()).isEqualTo(200);
              assertThat(run.estimates().get(0).estimatedTokens()).isPositive();
              assertThat(run.model()).isEqualTo("hashing:hashing-v1");
            });
    assertThat(counting.calls()).isZero();
    assertThat(store.embeddingSets("docs")).hasSize(1);
    assertThat(r.toString())
        .contains(
            "to a new set (hashing:hashing-v1, 24 dimensions): dry run: would embed 200 chunks,"
                + " about ")
        .endsWith(" tokens; nothing was changed");

    SwitchResult priced =
        maintenance.switchModel(
            "docs",
            dev.portfolio.core.discovery.Providers.embedder(
                java.util.Map.of(
                    "provider", "hashing", "dimension", "24", "pricePer1kTokens", "1")),
            SwitchOptions.builder().dryRun(true).build());
    long tokens = priced.runs().get(0).estimates().get(0).estimatedTokens();
    assertThat(priced.toString())
        .endsWith(
            " tokens, estimated cost "
                + dev.portfolio.maintenance.reembed.ReembedEstimate.formatCost(tokens / 1000.0)
                + "; nothing was changed");
  }

  @Test
  void anotherModelsSwitchInProgressIsRefusedUntilAbandoned() {
    EmbeddingSet building = store.createBuildingSet("docs", "other:model", 32);

    assertThatThrownBy(
            () ->
                maintenance.switchModel("docs", new HashingEmbedder(24), SwitchOptions.defaults()))
        .hasMessage(
            "Collection 'docs' has building set "
                + building.id()
                + " for other:model (32 dimensions) from another switch; this one asks for"
                + " hashing:hashing-v1 (24 dimensions). Finish that switch (switchModel with an"
                + " embedder of other:model) or abandon it with abandonSwitch(\"docs\") first.");

    assertThat(maintenance.abandonSwitch("docs")).contains(building);
    assertThat(maintenance.abandonSwitch("docs")).isEmpty();
    assertThat(
            maintenance
                .switchModel("docs", new HashingEmbedder(24), SwitchOptions.defaults())
                .outcome())
        .isEqualTo(SwitchOutcome.ACTIVATED);
  }

  @Test
  void aCompletedSwitchRunAgainIsAlreadyActiveAndCanDropTheRetiredSet() {
    HashingEmbedder h24 = new HashingEmbedder(24);
    SwitchResult first = maintenance.switchModel("docs", h24, SwitchOptions.defaults());

    SwitchResult again =
        maintenance.switchModel("docs", h24, SwitchOptions.builder().dropRetired(true).build());

    assertThat(again.outcome()).isEqualTo(SwitchOutcome.ALREADY_ACTIVE);
    assertThat(again.processed()).isZero();
    assertThat(again.dropped()).extracting(EmbeddingSet::id).containsExactly(first.from().id());
    assertThat(store.embeddingSets("docs"))
        .extracting(EmbeddingSet::id)
        .containsExactly(first.to().id());
  }

  @Test
  void switchStatusReportsTheCoverageOfTheActiveAndBuildingSets() {
    HashingEmbedder h24 = new HashingEmbedder(24);
    EmbeddingSet building = store.createBuildingSet("docs", h24.info().modelRef(), 24);
    maintenance(store, h24, ProgressReporter.SILENT)
        .reembed(
            ReembedOptions.builder("docs")
                .targetSet(building.id())
                .documentKey("doc-0")
                .documentKey("doc-1")
                .build());

    SwitchStatus s = maintenance.switchStatus("docs");

    assertThat(s.active().embedded()).isEqualTo(200);
    assertThat(s.building())
        .hasValueSatisfying(
            b -> {
              assertThat(b.set().id()).isEqualTo(building.id());
              assertThat(b.chunks()).isEqualTo(200);
              assertThat(b.embedded()).isEqualTo(20);
              assertThat(b.missing()).isEqualTo(180);
              assertThat(b.coverage()).isEqualTo(0.1);
            });
    assertThat(s.readyToActivate()).isFalse();
    assertThat(s.toString())
        .contains(
            "building set "
                + building.id()
                + " (hashing:hashing-v1, 24 dimensions, building): 20 of 200 chunks embedded (10.0%), 180 missing, 0 stale");
  }

  private SearchHit topHit(Embedder embedder, String key, int ordinal) {
    List<SearchHit> hits =
        store.search(VectorQuery.of("docs", embedder.embedQuery(Corpus.text(key, ordinal)), 3));
    return hits.get(0);
  }
}
