package dev.portfolio.maintenance.ingest;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * What an ingestion did. Counts are of documents unless they say chunks.
 *
 * @param read documents taken from the input (from {@link IngestOptions#startAt()} on)
 * @param added documents stored that were not stored before
 * @param updated stored documents rewritten with changed content (or forced)
 * @param unchanged documents whose fingerprint matched: no embedder call, nothing written
 * @param skipped stored documents the mode left alone ({@link IngestMode#SKIP_EXISTING})
 * @param removed documents of the synced source that the input no longer names ({@link
 *     IngestMode#FULL_SYNC})
 * @param failed documents that could not be stored; nothing of them was written
 * @param failures the first failures with key and reason (at most the facade's {@code
 *     maxReportedErrors}; {@code failed} is always complete)
 * @param chunksEmbedded chunks whose text was sent to the embedder (identical texts of a batch
 *     count once)
 * @param chunksReused chunks that kept a stored vector because their text did not change
 * @param chunksTruncated embedded chunks longer than the model reads, so the model saw only their
 *     start (0 with chunks sized for the embedder; estimated with an inexact counter)
 * @param tokensUsed tokens the embedder reported
 * @param embedderCalls calls made to the embedder
 * @param cost {@code tokensUsed / 1000 * price}: the price of {@link
 *     IngestOptions#costPer1kTokens()}, else the embedder's ({@code pricePer1kTokens}); 0 when
 *     neither has one
 * @param elapsed wall time
 * @param stoppedByBudget true when the token or cost budget stopped the run at a batch boundary
 * @param nextPosition the input position to resume at ({@link IngestOptions#startAt()}): the first
 *     document not processed, or the input's end
 * @param remaining documents of the input not processed, when the input's size is known (a list);
 *     empty for a stream that was not read to its end
 * @since 0.1.0
 */
public record IngestResult(
    long read,
    long added,
    long updated,
    long unchanged,
    long skipped,
    long removed,
    long failed,
    List<IngestFailure> failures,
    long chunksEmbedded,
    long chunksReused,
    long chunksTruncated,
    long tokensUsed,
    long embedderCalls,
    double cost,
    Duration elapsed,
    boolean stoppedByBudget,
    long nextPosition,
    OptionalLong remaining) {
  /** Copies the failures. */
  public IngestResult {
    failures = List.copyOf(failures);
    Objects.requireNonNull(elapsed, "elapsed");
    Objects.requireNonNull(remaining, "remaining");
  }

  /**
   * Returns the documents written (added plus updated).
   *
   * @return the count
   */
  public long written() {
    return added + updated;
  }

  /**
   * Tells whether every document read was handled without failure and the run was not stopped.
   *
   * @return true when complete and clean
   */
  public boolean complete() {
    return failed == 0 && !stoppedByBudget;
  }
}
