package dev.portfolio.maintenance.internal;

import dev.portfolio.core.spi.EmbeddingUsage;
import dev.portfolio.maintenance.reembed.ChunkError;
import dev.portfolio.maintenance.reembed.ReembedResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The counts of one run, updated by its workers. Thread-safe. */
final class RunTally {
  private final int maxErrors;
  private final AtomicLong total = new AtomicLong();
  private final AtomicLong processed = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong deduplicated = new AtomicLong();
  private final AtomicLong tokens = new AtomicLong();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private final List<ChunkError> errors = new ArrayList<>();
  private final Set<Long> failedIds = ConcurrentHashMap.newKeySet();

  RunTally(int maxErrors) {
    this.maxErrors = maxErrors;
  }

  /** Counts chunks read. */
  void read(int chunks) {
    total.addAndGet(chunks);
  }

  /** Counts a batch that was embedded and written. */
  void batch(BatchOutcome outcome, int written) {
    processed.addAndGet(written);
    skipped.addAndGet(outcome.updates().size() - (long) written);
    failed.addAndGet(outcome.failures().size());
    deduplicated.addAndGet(outcome.deduplicated());
    tokens.addAndGet(outcome.usage().tokens());
    requests.addAndGet(outcome.usage().requests());
    retries.addAndGet(outcome.usage().retries());
    for (ChunkError e : outcome.failures()) {
      failedIds.add(e.chunkId());
    }
    synchronized (errors) {
      for (ChunkError e : outcome.failures()) {
        if (errors.size() >= maxErrors) {
          break;
        }
        errors.add(e);
      }
    }
  }

  /** Returns the chunks that received a vector so far. */
  long processed() {
    return processed.get();
  }

  /** Returns the ids of the chunks that failed. */
  Set<Long> failedIds() {
    return Set.copyOf(failedIds);
  }

  /** Builds the result of a run that ended (not a dry run). */
  ReembedResult result(RunSpec spec, boolean cancelled, Duration elapsed) {
    List<ChunkError> listed;
    synchronized (errors) {
      listed = List.copyOf(errors);
    }
    return new ReembedResult(
        spec.collection(),
        spec.target().id(),
        spec.target().model(),
        spec.mode(),
        false,
        cancelled,
        total.get(),
        processed.get(),
        skipped.get(),
        failed.get(),
        deduplicated.get(),
        listed,
        new EmbeddingUsage(tokens.get(), requests.get(), retries.get()),
        elapsed,
        List.of());
  }
}
