package dev.portfolio.maintenance.retry;

import static dev.portfolio.maintenance.testing.Fixture.maintenance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.RetriableException;
import dev.portfolio.core.hashing.HashingEmbedder;
import dev.portfolio.core.model.Chunk;
import dev.portfolio.core.model.DocumentQuery;
import dev.portfolio.core.model.DocumentStatus;
import dev.portfolio.core.model.FailedDocument;
import dev.portfolio.core.model.FailureKind;
import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.spi.EmbedderInfo;
import dev.portfolio.core.spi.EmbeddingBatch;
import dev.portfolio.core.spi.InputType;
import dev.portfolio.core.spi.ProgressReporter;
import dev.portfolio.core.spi.VectorStore;
import dev.portfolio.maintenance.Maintenance;
import dev.portfolio.maintenance.reembed.ChunkError;
import dev.portfolio.maintenance.reembed.ReembedOptions;
import dev.portfolio.maintenance.reembed.ReembedResult;
import dev.portfolio.maintenance.retry.DocumentRetry.Outcome;
import dev.portfolio.maintenance.testing.Corpus;
import dev.portfolio.maintenance.testing.FaultyEmbedder;
import dev.portfolio.maintenance.testing.Fixture;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What {@code retryFailed} does, on any store: run once per store by its subclasses. */
abstract class RetryFailedScenarios {
  /**
   * Returns the store under test; collections get unique names.
   *
   * @return the store
   */
  protected abstract VectorStore store();

  private static String unique(String hint) {
    return hint + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void
      afterFaultsTheReembedListsThePermanentFailuresAndRetryFailedClearsThemOnceTheEmbedderIsFixed() {
    VectorStore store = store();
    String c = unique("faults");
    HashingEmbedder hashing = new HashingEmbedder(16);
    Fixture.load(store, c, 16, 200, 10);
    Predicate<String> rejected = FaultyEmbedder.rejectsByHash(23, 10);
    Set<Long> expected =
        Corpus.chunks(store, c, 0).stream()
            .filter(ch -> rejected.test(ch.text()))
            .map(Chunk::id)
            .collect(Collectors.toSet());
    assertThat(expected).isNotEmpty();
    FaultyEmbedder faulty = new FaultyEmbedder(hashing, 9, 20, rejected);

    ReembedResult reembed =
        maintenance(store, faulty, ProgressReporter.SILENT)
            .reembed(ReembedOptions.builder(c).batchSize(50).build());

    assertThat(faulty.transientFailures()).isPositive();
    assertThat(reembed.failed()).isEqualTo(expected.size());
    assertThat(reembed.errors())
        .extracting(ChunkError::chunkId)
        .containsExactlyInAnyOrderElementsOf(expected);
    Set<String> failedDocs =
        reembed.errors().stream().map(ChunkError::documentKey).collect(Collectors.toSet());
    assertThat(failed(store, c))
        .extracting(f -> f.document().key())
        .containsExactlyInAnyOrderElementsOf(failedDocs);

    RetryResult dry =
        maintenance(store, hashing, ProgressReporter.SILENT)
            .retryFailed(RetryOptions.builder(c).dryRun(true).build());
    assertThat(dry.retried()).isEqualTo(failedDocs.size());
    assertThat(dry.chunksEmbedded()).isEqualTo(expected.size());
    assertThat(failed(store, c)).hasSize(failedDocs.size());

    RetryResult retry =
        maintenance(store, hashing, ProgressReporter.SILENT)
            .retryFailed(RetryOptions.builder(c).batchSize(7).build());

    assertThat(retry.examined()).isEqualTo(failedDocs.size());
    assertThat(retry.recovered()).isEqualTo(failedDocs.size());
    assertThat(retry.failedAgain()).isZero();
    assertThat(retry.gaveUp()).isZero();
    assertThat(retry.chunksEmbedded()).isEqualTo(expected.size());
    assertThat(retry.complete()).isTrue();
    assertThat(retry.fields()).containsEntry("recovered", (long) failedDocs.size());
    assertThat(failed(store, c)).isEmpty();
    assertThat(store.stats(c).missingChunks()).isZero();
    for (String key : failedDocs) {
      assertThat(store.findDocument(c, key).orElseThrow().status()).isEqualTo(DocumentStatus.READY);
    }
    Fixture.assertEveryChunkEmbeddedBy(store, c, 0, hashing);
  }

  @Test
  void aDocumentThatKeepsFailingIsGivenUpAtTheMaximumWithItsLastReasonAndThenLeftAlone() {
    VectorStore store = store();
    String c = unique("giveup");
    HashingEmbedder hashing = new HashingEmbedder(8);
    Fixture.load(store, c, 8, 3, 2);
    Predicate<String> rejectsDoc1 = t -> t.contains(" of doc-1 ");
    Embedder rejecting = new FaultyEmbedder(hashing, 1, 0, rejectsDoc1);
    Maintenance m = maintenance(store, rejecting, ProgressReporter.SILENT);
    m.reembed(ReembedOptions.builder(c).build());
    assertThat(store.findDocument(c, "doc-1").orElseThrow().attempts()).isEqualTo(1);

    RetryResult second = m.retryFailed(RetryOptions.builder(c).build());
    assertThat(second.failedAgain()).isEqualTo(1);
    assertThat(second.documents())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.key()).isEqualTo("doc-1");
              assertThat(d.outcome()).isEqualTo(Outcome.FAILED_AGAIN);
              assertThat(d.attempts()).isEqualTo(2);
              assertThat(d.reason()).contains("rejected");
            });
    assertThat(second.errors()).hasSize(2);

    RetryResult third = m.retryFailed(RetryOptions.builder(c).build());
    assertThat(third.gaveUp()).isEqualTo(1);
    assertThat(third.documents())
        .extracting(DocumentRetry::outcome)
        .containsExactly(Outcome.GAVE_UP);
    FailedDocument given = failed(store, c).get(0);
    assertThat(given.kind()).isEqualTo(FailureKind.PERMANENT);
    assertThat(given.document().attempts()).isEqualTo(3);
    assertThat(given.document().error())
        .startsWith("Gave up after 3 failed attempts; last: Embedding into set")
        .contains("rejected");

    RetryResult fixed =
        maintenance(store, hashing, ProgressReporter.SILENT)
            .retryFailed(RetryOptions.builder(c).build());
    assertThat(fixed.alreadyPermanent()).isEqualTo(1);
    assertThat(fixed.retried()).isZero();
    assertThat(failed(store, c)).hasSize(1);
  }

  @Test
  void documentsOverTheMaximumAreGivenUpWithoutAnEmbedderCallAndADryRunChangesNothing() {
    VectorStore store = store();
    String c = unique("over");
    Fixture.load(store, c, 8, 2, 1);
    store.updateStatus(c, "doc-0", DocumentStatus.FAILED, "first");
    store.updateStatus(c, "doc-0", DocumentStatus.FAILED, "second");
    Embedder never = refusing(new HashingEmbedder(8));

    RetryResult dry =
        maintenance(store, never, ProgressReporter.SILENT)
            .retryFailed(RetryOptions.builder(c).maxAttempts(2).dryRun(true).build());
    assertThat(dry.gaveUp()).isEqualTo(1);
    assertThat(dry.documents())
        .extracting(DocumentRetry::outcome)
        .containsExactly(Outcome.WOULD_GIVE_UP);
    assertThat(failed(store, c).get(0).kind()).isEqualTo(FailureKind.REJECTED);

    RetryResult r =
        maintenance(store, never, ProgressReporter.SILENT)
            .retryFailed(RetryOptions.builder(c).maxAttempts(2).build());

    assertThat(r.gaveUp()).isEqualTo(1);
    assertThat(r.retried()).isZero();
    FailedDocument f = failed(store, c).get(0);
    assertThat(f.kind()).isEqualTo(FailureKind.PERMANENT);
    assertThat(f.document().attempts()).isEqualTo(2);
    assertThat(f.document().error()).isEqualTo("Gave up after 2 failed attempts; last: second");
  }

  @Test
  void
      anUnavailableEmbedderStopsTheRunRecordsARetriableFailureAndARetriableFailureIsRetriedPastTheMaximum() {
    VectorStore store = store();
    String c = unique("down");
    HashingEmbedder hashing = new HashingEmbedder(8);
    Fixture.load(store, c, 8, 2, 2);
    store.updateStatus(c, "doc-1", DocumentStatus.FAILED, "rejected once");
    Embedder down =
        new Embedder() {
          @Override
          public EmbedderInfo info() {
            return hashing.info();
          }

          @Override
          public EmbeddingBatch embed(List<String> texts, InputType type) {
            throw new RetriableException(
                ErrorCode.EMBEDDER_UNAVAILABLE, "503 from the service", null);
          }
        };

    assertThatThrownBy(
            () ->
                maintenance(store, down, ProgressReporter.SILENT)
                    .retryFailed(RetryOptions.builder(c).build()))
        .isInstanceOf(RetriableException.class)
        .hasMessageContaining("stopped: the embedder stayed unavailable after every retry")
        .hasMessageContaining("run retryFailed again");
    FailedDocument f = failed(store, c).get(0);
    assertThat(f.kind()).isEqualTo(FailureKind.RETRIABLE);
    assertThat(f.document().attempts()).isEqualTo(2);
    assertThat(f.document().error()).contains("503 from the service");
    assertThat(store.maintenanceLockHolder(c)).isEmpty();

    RetryResult r =
        maintenance(store, hashing, ProgressReporter.SILENT)
            .retryFailed(RetryOptions.builder(c).maxAttempts(2).build());

    assertThat(r.recovered()).isEqualTo(1);
    assertThat(store.findDocument(c, "doc-1").orElseThrow().status())
        .isEqualTo(DocumentStatus.READY);
  }

  @Test
  void aCollectionWithoutFailuresOrWhoseChunksAreAllCurrentIsAZeroResult() {
    VectorStore store = store();
    String empty = unique("empty");
    Fixture.load(store, empty, 8, 0, 0);
    String current = unique("current");
    HashingEmbedder hashing = new HashingEmbedder(8);
    Fixture.load(store, current, 8, 5, 3);
    Maintenance m = maintenance(store, hashing, ProgressReporter.SILENT);
    m.reembed(ReembedOptions.builder(current).build());

    for (String c : List.of(empty, current)) {
      RetryResult r = m.retryFailed(RetryOptions.builder(c).build());
      assertThat(r.examined()).isZero();
      assertThat(r.retried()).isZero();
      assertThat(r.usage().requests()).isZero();
      assertThat(r.complete()).isTrue();
      ReembedResult again = m.reembed(ReembedOptions.builder(c).build());
      assertThat(again.total()).isZero();
      assertThat(again.usage().requests()).isZero();
    }
  }

  private static List<FailedDocument> failed(VectorStore store, String c) {
    return store.listFailedDocuments(DocumentQuery.of(c, 1000)).items();
  }

  /** An embedder a test expects never to be called. */
  private static Embedder refusing(Embedder model) {
    return new Embedder() {
      @Override
      public EmbedderInfo info() {
        return model.info();
      }

      @Override
      public EmbeddingBatch embed(List<String> texts, InputType type) {
        throw new AssertionError("the embedder was called with " + texts);
      }
    };
  }
}
