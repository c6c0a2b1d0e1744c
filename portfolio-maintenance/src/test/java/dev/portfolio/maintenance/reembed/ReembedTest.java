package dev.portfolio.maintenance.reembed;

import static dev.portfolio.maintenance.testing.Fixture.assertEveryChunkEmbeddedBy;
import static dev.portfolio.maintenance.testing.Fixture.maintenance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portfolio.core.discovery.Providers;
import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.error.NonRetriableException;
import dev.portfolio.core.error.PortfolioException;
import dev.portfolio.core.error.RetriableException;
import dev.portfolio.core.hashing.HashingEmbedder;
import dev.portfolio.core.memory.InMemoryVectorStore;
import dev.portfolio.core.model.Chunk;
import dev.portfolio.core.model.DocumentStatus;
import dev.portfolio.core.model.EmbeddingUpdate;
import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.spi.EmbedderInfo;
import dev.portfolio.core.spi.EmbeddingBatch;
import dev.portfolio.core.spi.InputType;
import dev.portfolio.core.spi.ProgressEvent;
import dev.portfolio.core.spi.ProgressReporter;
import dev.portfolio.core.text.TokenCounter;
import dev.portfolio.maintenance.Maintenance;
import dev.portfolio.maintenance.testing.Corpus;
import dev.portfolio.maintenance.testing.CountingEmbedder;
import dev.portfolio.maintenance.testing.FailingStore;
import dev.portfolio.maintenance.testing.FaultyEmbedder;
import dev.portfolio.maintenance.testing.Fixture;
import dev.portfolio.maintenance.testing.RecordingReporter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReembedTest {
  private static final int DIM = 16;

  private InMemoryVectorStore store;
  private HashingEmbedder hashing;

  @BeforeEach
  void load() {
    store = new InMemoryVectorStore();
    hashing = new HashingEmbedder(DIM);
    Fixture.load(store, "docs", DIM, 30, 10);
  }

  @Test
  void reembedGivesEveryMissingChunkOneVectorOfTheSetsModel() {
    CountingEmbedder counting = new CountingEmbedder(hashing);

    ReembedResult r =
        maintenance(store, counting, ProgressReporter.SILENT)
            .reembed(ReembedOptions.builder("docs").batchSize(7).build());

    assertThat(r.total()).isEqualTo(300);
    assertThat(r.processed()).isEqualTo(300);
    assertThat(r.skipped()).isZero();
    assertThat(r.failed()).isZero();
    assertThat(r.complete()).isTrue();
    assertThat(r.setId()).isEqualTo(store.activeSet("docs").id());
    assertThat(r.model()).isEqualTo("hashing:hashing-v1");
    assertThat(r.usage().requests()).isEqualTo(43); // ceil(300 / 7) batches
    assertThat(r.tokens()).isPositive();
    assertThat(store.stats("docs").missingChunks()).isZero();
    assertEveryChunkEmbeddedBy(store, "docs", 0, hashing);
    assertThat(counting.perText().values()).hasSize(300).allMatch(n -> n == 1);
  }

  @Test
  void aSecondRunFindsNothingToDo() {
    Maintenance m = maintenance(store, hashing, ProgressReporter.SILENT);
    m.reembed(ReembedOptions.builder("docs").build());
    CountingEmbedder counting = new CountingEmbedder(hashing);

    ReembedResult again =
        maintenance(store, counting, ProgressReporter.SILENT)
            .reembed(ReembedOptions.builder("docs").build());

    assertThat(again.total()).isZero();
    assertThat(again.processed()).isZero();
    assertThat(counting.calls()).isZero();
  }

  @Test
  void identicalTextsWithinABatchAreEmbeddedOnce() {
    store.upsert("docs", List.of(Corpus.repeated("same", 50, "the same boilerplate footer")));
    CountingEmbedder counting = new CountingEmbedder(hashing);

    ReembedResult r =
        maintenance(store, counting, ProgressReporter.SILENT)
            .reembed(ReembedOptions.builder("docs").batchSize(1000).build());

    assertThat(r.processed()).isEqualTo(350);
    assertThat(r.deduplicated()).isEqualTo(49);
    assertThat(counting.count("the same boilerplate footer")).isEqualTo(1);
    assertThat(store.chunks("docs", "same"))
        .allSatisfy(
            c ->
                assertThat(c.embedding())
                    .isEqualTo(store.chunks("docs", "same").get(0).embedding()))
        .allSatisfy(c -> assertThat(c.hasEmbedding()).isTrue());
  }

  @Test
  void staleModeReembedsOnlyChunksWhoseTextChangedSinceTheirVector() {
    Maintenance m = maintenance(store, hashing, ProgressReporter.SILENT);
    m.reembed(ReembedOptions.builder("docs").build());
    List<Chunk> some = store.chunks("docs", "doc-4");
    store.updateEmbeddings(
        "docs",
        some.stream()
            .map(
                c -> new EmbeddingUpdate(c.id(), c.embedding(), c.embeddingModel(), "0".repeat(64)))
            .toList());
    assertThat(store.stats("docs").staleChunks()).isEqualTo(10);
    CountingEmbedder counting = new CountingEmbedder(hashing);

    ReembedResult r =
        maintenance(store, counting, ProgressReporter.SILENT)
            .reembed(ReembedOptions.builder("docs").mode(ReembedMode.STALE).build());

    assertThat(r.total()).isEqualTo(10);
    assertThat(r.processed()).isEqualTo(10);
    assertThat(counting.perText().keySet())
        .containsExactlyInAnyOrderElementsOf(some.stream().map(Chunk::text).toList());
    assertThat(store.stats("docs").staleChunks()).isZero();
  }

  @Test
  void allModeGivesEveryChunkAFreshVector() {
    Maintenance m = maintenance(store, hashing, ProgressReporter.SILENT);
    m.reembed(ReembedOptions.builder("docs").documentKey("doc-1").build());
    CountingEmbedder counting = new CountingEmbedder(hashing);

    ReembedResult r =
        maintenance(store, counting, ProgressReporter.SILENT)
            .reembed(ReembedOptions.builder("docs").mode(ReembedMode.ALL).batchSize(64).build());

    assertThat(r.total()).isEqualTo(300);
    assertThat(r.processed()).isEqualTo(300);
    assertThat(counting.perText()).hasSize(300);
    assertEveryChunkEmbeddedBy(store, "docs", 0, hashing);
  }

  @Test
  void filtersLimitTheRunToDocumentsSourcesAndWorkspaces() {
    Maintenance m = maintenance(store, hashing, ProgressReporter.SILENT);

    ReembedResult byKeys =
        m.reembed(
            ReembedOptions.builder("docs").documentKey("doc-3").documentKey("doc-17").build());
    assertThat(byKeys.processed()).isEqualTo(20);
    assertThat(store.chunks("docs", "doc-3")).allMatch(Chunk::hasEmbedding);
    assertThat(store.chunks("docs", "doc-17")).allMatch(Chunk::hasEmbedding);
    assertThat(store.stats("docs").embeddedChunks()).isEqualTo(20);

    // src-1 holds documents 1, 4, 7, ... (10 documents); in ws-b the odd ones: 1, 7, 13, 19, 25
    ReembedResult bySourceAndWorkspace =
        m.reembed(ReembedOptions.builder("docs").sourceId("src-1").workspace("ws-b").build());
    assertThat(bySourceAndWorkspace.processed()).isEqualTo(50);
    assertThat(store.chunks("docs", "doc-25")).allMatch(Chunk::hasEmbedding);
    assertThat(store.chunks("docs", "doc-4")).noneMatch(Chunk::hasEmbedding);

    ReembedResult unknownKey =
        m.reembed(ReembedOptions.builder("docs").documentKey("no-such-document").build());
    assertThat(unknownKey.total()).isZero();
  }

  @Test
  void aDryRunCountsAndEstimatesTokensAndTouchesNothing() {
    CountingEmbedder counting = new CountingEmbedder(hashing);
    long expectedTokens =
        Corpus.chunks(store, "docs", 0).stream()
            .mapToLong(
                c ->
                    c.tokenCount() > 0
                        ? c.tokenCount()
                        : TokenCounter.approximate().count(c.text()))
            .sum();

    ReembedResult r =
        maintenance(store, counting, ProgressReporter.SILENT)
            .reembed(ReembedOptions.builder("docs").dryRun(true).batchSize(50).build());

    assertThat(r.dryRun()).isTrue();
    assertThat(r.total()).isEqualTo(300);
    assertThat(r.processed()).isZero();
    assertThat(r.estimates())
        .containsExactly(new ReembedEstimate("docs", 300, expectedTokens, 150));
    assertThat(counting.calls()).isZero();
    assertThat(store.stats("docs").embeddedChunks()).isZero();
    assertThat(r.toString())
        .isEqualTo(
            "reembed docs into set "
                + r.setId()
                + " (hashing:hashing-v1, missing) [dry run]: would embed 300 chunks, about "
                + expectedTokens
                + " tokens; nothing was changed");
  }

  @Test
  void aDryRunWithAPricedEmbedderEstimatesTheCost() {
    Embedder priced =
        Providers.embedder(
            Map.of(
                "provider",
                "hashing",
                "dimension",
                String.valueOf(hashing.info().dimension()),
                "pricePer1kTokens",
                "0.5"));

    ReembedResult r =
        maintenance(store, priced, ProgressReporter.SILENT)
            .reembed(ReembedOptions.builder("docs").dryRun(true).build());

    long tokens = r.estimates().get(0).estimatedTokens();
    assertThat(r.estimates().get(0).pricePer1kTokens()).isEqualTo(0.5);
    assertThat(r.estimatedCost()).hasValue(tokens / 1000.0 * 0.5);
    assertThat(r.toString())
        .contains(
            "about "
                + tokens
                + " tokens, estimated cost "
                + ReembedEstimate.formatCost(tokens / 2000.0)
                + " (at 0.5 per 1,000 tokens); nothing was changed");
    ReembedResult unpriced =
        maintenance(store, hashing, ProgressReporter.SILENT)
            .reembed(ReembedOptions.builder("docs").dryRun(true).build());
    assertThat(unpriced.estimatedCost()).isEmpty();
    assertThat(unpriced.toString()).doesNotContain("cost");
    assertThat(store.stats("docs").embeddedChunks()).isZero();
  }

  @Test
  void aCostBudgetAtTheEmbeddersPriceStopsTheRunAndARunAgainResumes() {
    Embedder priced =
        Providers.embedder(
            Map.of(
                "provider", "hashing", "dimension", String.valueOf(DIM), "pricePer1kTokens", "1"));
    Maintenance m = maintenance(store, priced, ProgressReporter.SILENT);
    long total = store.stats("docs").missingChunks();

    ReembedResult first =
        m.reembed(
            ReembedOptions.builder("docs").batchSize(10).maxConcurrency(1).costBudget(0.2).build());

    assertThat(first.cancelled()).as(first.toString()).isTrue();
    assertThat(first.usage().tokens()).isGreaterThanOrEqualTo(200);
    assertThat(first.processed()).isPositive().isLessThan(total);
    assertThat(store.stats("docs").missingChunks()).isEqualTo(total - first.processed());

    ReembedResult rest =
        m.reembed(ReembedOptions.builder("docs").batchSize(10).maxConcurrency(1).build());
    assertThat(rest.processed()).isEqualTo(total - first.processed());
    assertThat(store.stats("docs").missingChunks()).isZero();

    assertThatThrownBy(
            () ->
                maintenance(store, hashing, ProgressReporter.SILENT)
                    .reembed(ReembedOptions.builder("docs").costBudget(1).build()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "reembed.costBudget needs a price of 1,000 tokens: set the embedder option"
                + " pricePer1kTokens (hashing:hashing-v1 has none), or use reembed.tokenBudget");
    assertThatThrownBy(() -> ReembedOptions.builder("docs").tokenBudget(-1).build())
        .hasMessage("reembed.tokenBudget must be >= 0, 0 for none (was -1)");
  }

  @Test
  void costsAreFormattedForReading() {
    assertThat(ReembedEstimate.formatCost(12.3456)).isEqualTo("12.35");
    assertThat(ReembedEstimate.formatCost(0.00110649)).isEqualTo("0.001106");
    assertThat(ReembedEstimate.formatCost(0)).isEqualTo("0.00");
  }

  @Test
  void anEmbedderOfAnotherModelIsRefusedBeforeAnyWork() {
    CountingEmbedder other = new CountingEmbedder(new HashingEmbedder(24));

    assertThatThrownBy(
            () ->
                maintenance(store, other, ProgressReporter.SILENT)
                    .reembed(ReembedOptions.builder("docs").build()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "Model mismatch: the embedder produces hashing:hashing-v1 (24 dimensions) but set "
                + store.activeSet("docs").id()
                + " of collection 'docs' holds hashing:hashing-v1 (16 dimensions). Nothing was"
                + " embedded. To move the collection to hashing:hashing-v1, call"
                + " switchModel(\"docs\", embedder, options); to re-embed into this set, use an"
                + " embedder of hashing:hashing-v1 with 16 dimensions.")
        .extracting(e -> ((PortfolioException) e).code())
        .isEqualTo(ErrorCode.DIMENSION_MISMATCH);
    assertThat(other.calls()).isZero();
  }

  @Test
  void unknownCollectionsAndSetsAreReportedAsNotFound() {
    Maintenance m = maintenance(store, hashing, ProgressReporter.SILENT);
    assertThatThrownBy(() -> m.reembed(ReembedOptions.builder("nope").build()))
        .isInstanceOf(PortfolioException.class)
        .extracting(e -> ((PortfolioException) e).code())
        .isEqualTo(ErrorCode.NOT_FOUND);
    assertThatThrownBy(() -> m.reembed(ReembedOptions.builder("docs").targetSet(999).build()))
        .hasMessageContaining("Embedding set 999 does not exist in collection 'docs'");
  }

  @Test
  void transientFailuresAreRetriedAndEveryChunkIsEmbedded() {
    FaultyEmbedder faulty = new FaultyEmbedder(hashing, 42, 30, t -> false);

    ReembedResult r =
        maintenance(store, faulty, ProgressReporter.SILENT)
            .reembed(ReembedOptions.builder("docs").batchSize(10).build());

    assertThat(faulty.transientFailures()).isPositive();
    assertThat(r.processed()).isEqualTo(300);
    assertThat(r.usage().retries()).isEqualTo(faulty.transientFailures());
    assertEveryChunkEmbeddedBy(store, "docs", 0, hashing);
  }

  @Test
  void permanentlyRejectedInputsAreIsolatedRecordedAndTheirDocumentsMarkedFailed() {
    String bad1 = Corpus.text("doc-5", 3);
    String bad2 = Corpus.text("doc-8", 0);
    String bad3 = Corpus.text("doc-8", 9);
    FaultyEmbedder faulty =
        new FaultyEmbedder(hashing, 7, 20, t -> t.equals(bad1) || t.equals(bad2) || t.equals(bad3));
    Maintenance m =
        Maintenance.builder()
            .store(store)
            .embedder(faulty)
            .progress(ProgressReporter.SILENT)
            .retryMaxAttempts(10)
            .retryInitialBackoff(Duration.ZERO)
            .retryMaxBackoff(Duration.ZERO)
            .maxReportedErrors(2)
            .build();

    ReembedResult r = m.reembed(ReembedOptions.builder("docs").batchSize(25).build());

    assertThat(r.total()).isEqualTo(300);
    assertThat(r.processed()).isEqualTo(297);
    assertThat(r.failed()).isEqualTo(3);
    assertThat(r.errors()).hasSize(2);
    assertThat(r.errorsTruncated()).isTrue();
    assertThat(r.errors())
        .allSatisfy(e -> assertThat(e.reason()).contains("rejected").contains("is not allowed"));
    assertThat(store.findDocument("docs", "doc-5").orElseThrow().status())
        .isEqualTo(DocumentStatus.FAILED);
    assertThat(store.findDocument("docs", "doc-5").orElseThrow().error())
        .contains("failed for chunk")
        .contains("'" + bad1 + "' is not allowed");
    assertThat(store.findDocument("docs", "doc-8").orElseThrow().error()).contains("and 1 more");
    assertThat(store.findDocument("docs", "doc-6").orElseThrow().status())
        .isEqualTo(DocumentStatus.PENDING);
    assertThat(store.stats("docs").missingChunks()).isEqualTo(3);
    assertThat(r.toString()).contains("297 of 300 chunks embedded, 0 skipped, 3 failed (chunk ");
  }

  @Test
  void anEmbedderThatRejectsEverythingStopsTheRunInsteadOfFailingEveryChunk() {
    FaultyEmbedder broken = new FaultyEmbedder(hashing, 1, 0, t -> true);

    assertThatThrownBy(
            () ->
                maintenance(store, broken, ProgressReporter.SILENT)
                    .reembed(ReembedOptions.builder("docs").maxConcurrency(1).build()))
        .isInstanceOf(NonRetriableException.class)
        .hasMessageContaining("Re-embed of 'docs' into set")
        .hasMessageContaining("rejected all 100 distinct texts of a batch, also one by one")
        .hasMessageContaining("configuration (API key, model name, endpoint)");
    assertThat(store.stats("docs").documentsByStatus().get(DocumentStatus.FAILED)).isZero();
  }

  @Test
  void anEmbedderThatStaysUnavailableStopsTheRunAndARerunResumes() {
    Embedder down = new FaultyEmbedder(hashing, 3, 100, t -> false);
    Maintenance m = maintenance(store, down, ProgressReporter.SILENT);

    assertThatThrownBy(() -> m.reembed(ReembedOptions.builder("docs").build()))
        .isInstanceOf(RetriableException.class)
        .hasMessageContaining("stopped: the embedder stayed unavailable after every retry")
        .hasMessageContaining("When the embedder answers again, run again with the same options");

    ReembedResult again =
        maintenance(store, hashing, ProgressReporter.SILENT)
            .reembed(ReembedOptions.builder("docs").build());
    assertThat(again.processed()).isEqualTo(300);
  }

  @Test
  void aStoreFailureStopsTheRunWithAClearExceptionAndKeepsWhatWasWritten() {
    var failing = FailingStore.failingWritesAfter(store, 3);

    assertThatThrownBy(
            () ->
                maintenance(failing, hashing, ProgressReporter.SILENT)
                    .reembed(
                        ReembedOptions.builder("docs").batchSize(10).maxConcurrency(1).build()))
        .isInstanceOf(RetriableException.class)
        .hasMessageContaining("stopped: writing into the store failed: connection lost")
        .hasMessageContaining("The 30 vectors written before the stop are kept.")
        .hasMessageContaining("Fix the store problem and run again with the same options")
        .extracting(e -> ((PortfolioException) e).code())
        .isEqualTo(ErrorCode.STORE_UNAVAILABLE);
    assertThat(store.stats("docs").embeddedChunks()).isEqualTo(30);
  }

  @Test
  void atMostMaxConcurrencyEmbedderCallsAreInFlight() {
    CountDownLatch threeInFlight = new CountDownLatch(3);
    Embedder slow =
        new Embedder() {
          @Override
          public EmbedderInfo info() {
            return hashing.info();
          }

          @Override
          public EmbeddingBatch embed(List<String> texts, InputType type) {
            threeInFlight.countDown();
            try {
              threeInFlight.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return hashing.embed(texts, type);
          }
        };
    CountingEmbedder counting = new CountingEmbedder(slow);

    ReembedResult r =
        maintenance(store, counting, ProgressReporter.SILENT)
            .reembed(ReembedOptions.builder("docs").batchSize(10).maxConcurrency(3).build());

    assertThat(r.processed()).isEqualTo(300);
    assertThat(counting.maxInFlight()).isEqualTo(3);
  }

  @Test
  void progressIsReportedOncePerBatchWithTheTotalFromTheSetsStatistics() {
    RecordingReporter progress = new RecordingReporter();

    maintenance(store, hashing, progress)
        .reembed(ReembedOptions.builder("docs").batchSize(100).build());

    assertThat(progress.events("started", "reembed docs"))
        .singleElement()
        .extracting(ProgressEvent::total)
        .isEqualTo(300L);
    assertThat(progress.events("progressed", "reembed docs")).hasSize(3);
    assertThat(progress.events("finished", "reembed docs"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.outcome()).isEqualTo(ProgressEvent.Outcome.SUCCEEDED);
              assertThat(e.current()).isEqualTo(300);
              assertThat(e.message()).startsWith("reembed docs into set");
            });
  }

  @Test
  void aFilteredRunReportsAnUnknownTotal() {
    RecordingReporter progress = new RecordingReporter();

    maintenance(store, hashing, progress)
        .reembed(ReembedOptions.builder("docs").workspace("ws-a").build());

    assertThat(progress.events("started", "reembed docs"))
        .singleElement()
        .extracting(ProgressEvent::total)
        .isEqualTo(-1L);
  }

  @Test
  void aChunkDeletedWhileItsBatchIsEmbeddedIsCountedSkipped() {
    Embedder deleting =
        new Embedder() {
          @Override
          public EmbedderInfo info() {
            return hashing.info();
          }

          @Override
          public EmbeddingBatch embed(List<String> texts, InputType type) {
            store.deleteDocument("docs", "doc-0");
            return hashing.embed(texts, type);
          }
        };

    ReembedResult r =
        maintenance(store, deleting, ProgressReporter.SILENT)
            .reembed(ReembedOptions.builder("docs").batchSize(300).build());

    assertThat(r.total()).isEqualTo(300);
    assertThat(r.skipped()).isEqualTo(10);
    assertThat(r.processed()).isEqualTo(290);
  }
}
