package dev.portfolio.maintenance.internal;

import dev.portfolio.core.model.Chunk;
import dev.portfolio.core.model.CollectionStats;
import dev.portfolio.core.model.DocumentStatus;
import dev.portfolio.core.progress.ProgressTracker;
import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.spi.VectorStore;
import dev.portfolio.maintenance.reembed.ChunkError;
import dev.portfolio.maintenance.reembed.ReembedResult;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One re-embed run, pipelined. A reader thread ({@link PageReader}) reads keyset pages of several
 * batches ahead and slices them into batches of {@code batchSize}; the calling thread hands each
 * batch to a pool of workers. At most {@code maxConcurrency} batches are being embedded at once,
 * and at most {@code 2 x maxConcurrency} are outstanding (embedding or writing), so memory stays
 * bounded. A worker embeds its batch ({@link BatchEmbedder}) and frees its embedding slot, then
 * writes the vectors with {@link VectorStore#writeVectors} (COPY on PostgreSQL), marks the
 * documents of rejected chunks {@link DocumentStatus#FAILED}, and reports progress once per batch:
 * page reads and writes overlap the embedder calls instead of taking turns with them (measured with
 * a 50 ms embedder at concurrency 8: 0.50x of its ceiling before, see the README).
 *
 * <p>Progress lives in the data: a chunk that received its vector leaves the {@code MISSING} (or
 * {@code STALE}) selection, so a run started again after a crash or a cancellation continues where
 * the first stopped. The first failure of the store, or an embedder that stays unavailable, stops
 * the run: no new batch starts, the batches in flight finish and write, then the exception says
 * what happened.
 */
final class ReembedRun {
  private static final AtomicInteger RUNS = new AtomicInteger();

  private final Settings settings;
  private final VectorStore store;
  private final RunSpec spec;
  private final BatchEmbedder embedder;
  private final RunTally tally;
  private final AtomicReference<Stop> stop = new AtomicReference<>();
  private final Watermark watermark;
  private volatile long endCursor = -1;

  ReembedRun(Settings settings, Embedder embedder, RunSpec spec) {
    this.settings = settings;
    this.store = settings.store();
    this.spec = spec;
    this.embedder = new BatchEmbedder(embedder, settings.retry());
    this.tally = new RunTally(settings.maxReportedErrors());
    this.watermark = new Watermark(spec.window().checkpoints());
  }

  /**
   * Counts what a run has to do, when that is cheap: from the set's statistics for a run over the
   * whole collection; unknown for a filtered run (counting it would read every selected chunk).
   *
   * @param store the store
   * @param spec the run
   * @return the count, or {@link ProgressTracker#UNKNOWN_TOTAL}
   */
  static long plannedTotal(VectorStore store, RunSpec spec) {
    if (spec.narrowed()) {
      return ProgressTracker.UNKNOWN_TOTAL;
    }
    CollectionStats stats = store.stats(spec.collection(), spec.target().id());
    return switch (spec.mode()) {
      case MISSING -> stats.missingChunks();
      case STALE -> stats.staleChunks();
      case ALL -> stats.chunks();
    };
  }

  /**
   * Runs to the end, to a cancellation or to the first fatal failure.
   *
   * @return the result and the failed chunk ids
   * @throws dev.portfolio.core.error.PortfolioException when the store fails or the embedder stays
   *     unavailable; vectors written before are kept
   */
  RunOutcome execute() {
    long start = System.nanoTime();
    int slots = spec.maxConcurrency();
    int outstanding = 2 * slots;
    try (ProgressTracker progress =
        ProgressTracker.start(settings.progress(), spec.operation(), plannedTotal(store, spec))) {
      ExecutorService workers = Executors.newFixedThreadPool(outstanding, threads());
      Semaphore free = new Semaphore(outstanding);
      Semaphore embedding = new Semaphore(slots);
      boolean cancelled = false;
      try {
        cancelled = feed(workers, free, embedding, progress);
      } finally {
        free.acquireUninterruptibly(outstanding);
        workers.shutdown();
      }
      if (endCursor >= 0 && stop.get() == null) {
        watermark.finish(endCursor);
      }
      Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
      Stop failure = stop.get();
      if (failure != null) {
        if (failure.cause() instanceof Error e) {
          progress.fail(e);
          throw e;
        }
        RuntimeException e = failure.toException(spec, tally.processed());
        progress.fail(e);
        throw e;
      }
      ReembedResult result = tally.result(spec, cancelled, elapsed);
      if (cancelled) {
        progress.fail("cancelled: " + result.summary());
      } else {
        progress.succeed(result.summary());
      }
      return new RunOutcome(result, tally.failedIds());
    }
  }

  /** Reads pages and hands them to the workers; returns true when cancelled. */
  private boolean feed(
      ExecutorService workers, Semaphore free, Semaphore embedding, ProgressTracker progress) {
    ChunkPages chunkPages = new ChunkPages(store, spec);
    try (PageReader pages =
        new PageReader(chunkPages, spec, Thread.currentThread().getName() + "-pages")) {
      while (stop.get() == null) {
        if (spec.cancellation().getAsBoolean()) {
          return true;
        }
        List<Chunk> batch;
        try {
          batch = pages.next();
        } catch (RuntimeException e) {
          stop.compareAndSet(null, new Stop(Stop.Step.READ, e));
          return false;
        }
        if (batch.isEmpty()) {
          // The reader thread has finished: its cursor is safe to read after the queue hand-off.
          endCursor =
              spec.window().upToId() == Long.MAX_VALUE
                  ? chunkPages.cursor()
                  : spec.window().upToId();
          return false;
        }
        // Batches come in ascending id order: the last id is where a checkpoint may resume.
        long cursor = batch.get(batch.size() - 1).id();
        free.acquire();
        try {
          embedding.acquire();
        } catch (InterruptedException e) {
          free.release();
          throw e;
        }
        if (stop.get() != null) {
          embedding.release();
          free.release();
          return false;
        }
        tally.read(batch.size());
        watermark.read(cursor, batch.size());
        try {
          workers.execute(
              () -> {
                try {
                  if (process(batch, embedding, progress)) {
                    watermark.done(cursor);
                  }
                } catch (RuntimeException | Error e) {
                  stop.compareAndSet(null, new Stop(Stop.Step.EMBED, e));
                } finally {
                  free.release();
                }
              });
        } catch (RejectedExecutionException e) {
          embedding.release();
          free.release();
          throw e;
        }
      }
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  /**
   * Embeds, writes and counts one batch; frees the embedding slot once the embedder answered;
   * records a stop instead of throwing.
   *
   * @return true when the batch was handled, false when it stopped the run
   */
  private boolean process(List<Chunk> batch, Semaphore embedding, ProgressTracker progress) {
    BatchOutcome outcome;
    try {
      outcome = embedder.embed(batch);
    } catch (RuntimeException e) {
      stop.compareAndSet(null, new Stop(Stop.Step.EMBED, e));
      return false;
    } finally {
      embedding.release();
    }
    int written;
    try {
      written =
          outcome.updates().isEmpty()
              ? 0
              : store.writeVectors(spec.collection(), spec.target().id(), outcome.updates());
      markFailed(outcome.failures());
    } catch (RuntimeException e) {
      stop.compareAndSet(null, new Stop(Stop.Step.WRITE, e));
      return false;
    }
    tally.batch(outcome, written);
    progress.advance(
        batch.size(), outcome.failures().isEmpty() ? null : outcome.failures().size() + " failed");
    return true;
  }

  /** Marks the documents of rejected chunks failed, once per document, with the first reason. */
  private void markFailed(List<ChunkError> failures) {
    if (failures.isEmpty()) {
      return;
    }
    Map<String, List<ChunkError>> byDocument = new LinkedHashMap<>();
    for (ChunkError e : failures) {
      byDocument.computeIfAbsent(e.documentKey(), k -> new java.util.ArrayList<>()).add(e);
    }
    for (Map.Entry<String, List<ChunkError>> d : byDocument.entrySet()) {
      ChunkError first = d.getValue().get(0);
      int more = d.getValue().size() - 1;
      String reason =
          "Embedding into set "
              + spec.target().id()
              + " ("
              + spec.target().model()
              + ") failed for chunk "
              + first.chunkId()
              + (more > 0 ? " and " + more + " more" : "")
              + ": "
              + first.reason();
      store.updateStatus(spec.collection(), d.getKey(), DocumentStatus.FAILED, reason);
    }
  }

  private static ThreadFactory threads() {
    int run = RUNS.incrementAndGet();
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "portfolio-reembed-" + run + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
