package dev.portfolio.maintenance.reembed;

import static dev.portfolio.maintenance.testing.Fixture.assertEveryChunkEmbeddedBy;
import static dev.portfolio.maintenance.testing.Fixture.maintenance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.PortfolioException;
import dev.portfolio.core.hashing.HashingEmbedder;
import dev.portfolio.core.memory.InMemoryVectorStore;
import dev.portfolio.core.spi.ProgressEvent;
import dev.portfolio.core.spi.ProgressReporter;
import dev.portfolio.maintenance.testing.CountingEmbedder;
import dev.portfolio.maintenance.testing.CrashingEmbedder;
import dev.portfolio.maintenance.testing.Fixture;
import dev.portfolio.maintenance.testing.RecordingReporter;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReembedResumeTest {
  private InMemoryVectorStore store;
  private HashingEmbedder hashing;
  private CountingEmbedder counting;

  @BeforeEach
  void load() {
    store = new InMemoryVectorStore();
    hashing = new HashingEmbedder(16);
    counting = new CountingEmbedder(hashing);
    Fixture.load(store, "docs", 16, 40, 25);
  }

  @Test
  void reembedResumesAfterACrashAndEmbedsNoChunkTwice() {
    CrashingEmbedder crashing = new CrashingEmbedder(counting, 4);

    assertThatThrownBy(
            () ->
                maintenance(store, crashing, ProgressReporter.SILENT)
                    .reembed(ReembedOptions.builder("docs").batchSize(50).build()))
        .isInstanceOf(PortfolioException.class)
        .hasMessageContaining("stopped: the embedder threw java.lang.IllegalStateException")
        .hasMessageContaining("simulated crash after 4 calls")
        .hasMessageContaining("run again with the same options: it resumes where it stopped")
        .extracting(e -> ((PortfolioException) e).code())
        .isEqualTo(ErrorCode.INTERNAL);
    long afterCrash = store.stats("docs").embeddedChunks();
    assertThat(afterCrash).isEqualTo(200);

    ReembedResult resumed =
        maintenance(store, counting, ProgressReporter.SILENT)
            .reembed(ReembedOptions.builder("docs").batchSize(50).build());

    assertThat(resumed.total()).isEqualTo(1000 - afterCrash);
    assertThat(resumed.processed()).isEqualTo(1000 - afterCrash);
    assertEveryChunkEmbeddedBy(store, "docs", 0, hashing);
    assertThat(counting.perText()).hasSize(1000).allSatisfy((text, n) -> assertThat(n).isOne());
  }

  @Test
  void aCancelledRunReturnsWhatItDidAndARerunCompletesIt() {
    AtomicBoolean cancel = new AtomicBoolean();
    RecordingReporter cancelAfterThreeBatches =
        new RecordingReporter(
            c -> {
              if (c.method().equals("progressed") && c.event().current() >= 150) {
                cancel.set(true);
              }
            });

    ReembedResult first =
        maintenance(store, counting, cancelAfterThreeBatches)
            .reembed(
                ReembedOptions.builder("docs")
                    .batchSize(50)
                    .maxConcurrency(2)
                    .cancellation(cancel::get)
                    .build());

    assertThat(first.cancelled()).isTrue();
    assertThat(first.complete()).isFalse();
    assertThat(first.processed()).isBetween(150L, 300L).isEqualTo(first.total());
    assertThat(first.toString()).endsWith("; cancelled, run again to resume");
    assertThat(cancelAfterThreeBatches.events("finished", "reembed docs"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.outcome()).isEqualTo(ProgressEvent.Outcome.FAILED);
              assertThat(e.message()).startsWith("cancelled: ");
            });

    ReembedResult second =
        maintenance(store, counting, ProgressReporter.SILENT)
            .reembed(ReembedOptions.builder("docs").batchSize(50).build());

    assertThat(first.processed() + second.processed()).isEqualTo(1000);
    assertEveryChunkEmbeddedBy(store, "docs", 0, hashing);
    assertThat(counting.perText()).hasSize(1000).allSatisfy((text, n) -> assertThat(n).isOne());
  }
}
