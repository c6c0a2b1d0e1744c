package dev.portfolio.maintenance.internal;

import dev.portfolio.core.error.NonRetriableException;
import dev.portfolio.core.error.RetriableException;
import dev.portfolio.core.model.Chunk;
import dev.portfolio.core.model.ChunkQuery;
import dev.portfolio.core.model.DocumentQuery;
import dev.portfolio.core.model.DocumentStatus;
import dev.portfolio.core.model.EmbeddingSet;
import dev.portfolio.core.model.EmbeddingState;
import dev.portfolio.core.model.FailedDocument;
import dev.portfolio.core.model.FailureKind;
import dev.portfolio.core.model.Page;
import dev.portfolio.core.progress.ProgressTracker;
import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.spi.EmbeddingUsage;
import dev.portfolio.core.spi.VectorStore;
import dev.portfolio.maintenance.lock.OperationLocks;
import dev.portfolio.maintenance.reembed.ChunkError;
import dev.portfolio.maintenance.retry.DocumentRetry;
import dev.portfolio.maintenance.retry.DocumentRetry.Outcome;
import dev.portfolio.maintenance.retry.RetryOptions;
import dev.portfolio.maintenance.retry.RetryResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code Maintenance.retryFailed}: pages through a collection's failed documents and, for each,
 *
 * <ul>
 *   <li>leaves it alone when it is already {@link FailureKind#PERMANENT};
 *   <li>gives it up (marks it permanent with its last reason) when its failure was not retriable
 *       and it has reached the maximum of attempts;
 *   <li>otherwise re-embeds its chunks that miss a current vector in the active set (in batches,
 *       transient embedder errors retried with backoff), and marks it {@link DocumentStatus#READY}
 *       when every chunk then has one, or records the new failure (counting an attempt) and gives
 *       it up when that reaches the maximum.
 * </ul>
 *
 * <p>An embedder that stays unavailable after every retry stops the run: the documents of that
 * batch are recorded with a {@link FailureKind#RETRIABLE} failure, and the exception says how far
 * the run came. The keyset cursor is the last document id read, so a document that failed again is
 * not retried twice in one run.
 */
public final class FailedRetrier {
  private final Settings settings;
  private final VectorStore store;
  private final Embedder embedder;

  /**
   * Creates the operation.
   *
   * @param settings what every operation shares
   * @param embedder the embedder of the active set's model
   */
  public FailedRetrier(Settings settings, Embedder embedder) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.store = settings.store();
    this.embedder = Objects.requireNonNull(embedder, "embedder");
  }

  /**
   * Retries what the options select.
   *
   * @param options the options
   * @param locks the held lock, checked between batches; null for a dry run
   * @return the result
   */
  public RetryResult retry(RetryOptions options, OperationLocks.Held locks) {
    EmbeddingSet target = store.activeSet(options.collection());
    TargetSets.requireFit(target, embedder.info());
    return new Run(options, target, locks).execute();
  }

  private final class Run {
    private final long start = System.nanoTime();
    private final RetryOptions options;
    private final EmbeddingSet target;
    private final OperationLocks.Held locks;
    private final BatchEmbedder batches;
    private final int cap = settings.maxReportedErrors();
    private final List<DocumentRetry> listed = new ArrayList<>();
    private final List<ChunkError> errors = new ArrayList<>();
    private long examined;
    private long retried;
    private long recovered;
    private long failedAgain;
    private long gaveUp;
    private long alreadyPermanent;
    private long chunksEmbedded;
    private long chunksFailed;
    private EmbeddingUsage usage = EmbeddingUsage.NONE;

    Run(RetryOptions options, EmbeddingSet target, OperationLocks.Held locks) {
      this.options = options;
      this.target = target;
      this.locks = locks;
      this.batches = new BatchEmbedder(embedder, settings.retry());
    }

    RetryResult execute() {
      String collection = options.collection();
      long failedCount =
          store.stats(collection).documentsByStatus().getOrDefault(DocumentStatus.FAILED, 0L);
      String name =
          "retry-failed " + collection + (options.dryRun() ? " (dry run)" : "") + " (documents)";
      boolean cancelled = false;
      try (ProgressTracker progress =
          ProgressTracker.start(settings.progress(), name, failedCount)) {
        DocumentQuery query =
            new DocumentQuery(collection, options.filter(), 0, options.batchSize());
        while (true) {
          if (options.cancellation().getAsBoolean()) {
            cancelled = true;
            break;
          }
          if (locks != null) {
            locks.requireHeld(recovered + " documents recovered before");
          }
          Page<FailedDocument> page = store.listFailedDocuments(query);
          try {
            handle(page.items());
          } catch (RuntimeException e) {
            progress.fail(e);
            throw e;
          }
          progress.advance(page.items().size());
          if (!page.hasNext()) {
            break;
          }
          query = query.after(page.nextAfter().getAsLong());
        }
        RetryResult result = result(cancelled);
        if (cancelled) {
          progress.fail("cancelled: " + result.summary());
        } else {
          progress.succeed(result.summary());
        }
        return result;
      }
    }

    private void handle(List<FailedDocument> page) {
      List<FailedDocument> eligible = new ArrayList<>();
      for (FailedDocument f : page) {
        examined++;
        int attempts = f.document().attempts();
        if (f.kind() == FailureKind.PERMANENT) {
          alreadyPermanent++;
        } else if (f.kind() == FailureKind.RETRIABLE || attempts < options.maxAttempts()) {
          eligible.add(f);
        } else {
          giveUp(f.document().key(), attempts, reasonOf(f));
        }
      }
      // Chunks of several documents are embedded together, a batch at most batchSize chunks.
      Map<String, List<Chunk>> todo = new LinkedHashMap<>();
      for (FailedDocument f : eligible) {
        retried++;
        List<Chunk> chunks =
            store.chunks(options.collection(), f.document().key()).stream()
                .filter(c -> !c.hasEmbedding() || c.isStale())
                .toList();
        todo.put(f.document().key(), chunks);
      }
      if (options.dryRun()) {
        for (FailedDocument f : eligible) {
          chunksEmbedded += todo.get(f.document().key()).size();
          list(
              new DocumentRetry(
                  f.document().key(),
                  Outcome.WOULD_RETRY,
                  f.document().attempts(),
                  f.document().error()));
        }
        return;
      }
      Map<String, ChunkError> failedDocs = new HashMap<>();
      List<Chunk> batch = new ArrayList<>();
      for (FailedDocument f : eligible) {
        for (Chunk c : todo.get(f.document().key())) {
          batch.add(c);
          if (batch.size() == options.batchSize()) {
            embed(batch, failedDocs, eligible);
            batch.clear();
          }
        }
      }
      if (!batch.isEmpty()) {
        embed(batch, failedDocs, eligible);
      }
      for (FailedDocument f : eligible) {
        settle(f, failedDocs.get(f.document().key()));
      }
    }

    private void embed(
        List<Chunk> batch, Map<String, ChunkError> failedDocs, List<FailedDocument> eligible) {
      BatchOutcome outcome;
      try {
        outcome = batches.embed(List.copyOf(batch));
      } catch (RetriableException e) {
        unavailable(batch, e, eligible);
        throw e; // not reached: unavailable throws
      } catch (NonRetriableException e) {
        // A retry batch holds only chunks that failed before, so every text being rejected is
        // likely: when the embedder embeds a known-good text, the rejections are the inputs'.
        if (!embedderWorks()) {
          throw e;
        }
        for (Chunk c : batch) {
          embed(List.of(c), failedDocs, eligible);
        }
        return;
      }
      usage = usage.plus(outcome.usage());
      int written =
          outcome.updates().isEmpty()
              ? 0
              : store.writeVectors(options.collection(), target.id(), outcome.updates());
      chunksEmbedded += written;
      for (ChunkError e : outcome.failures()) {
        chunksFailed++;
        failedDocs.putIfAbsent(e.documentKey(), e);
        if (errors.size() < cap) {
          errors.add(e);
        }
      }
    }

    /** Embeds a chunk that has a vector (or a plain word): false when the embedder rejects it. */
    private boolean embedderWorks() {
      Page<Chunk> good =
          store.listChunks(
              ChunkQuery.of(options.collection(), 1)
                  .withEmbeddingState(EmbeddingState.PRESENT)
                  .inSet(target.id()));
      Chunk canary =
          good.items().isEmpty()
              ? new Chunk(
                  0, options.collection(), "canary", 0, "canary", "0", 1, null, null, null, null)
              : good.items().get(0);
      try {
        BatchOutcome probe = batches.embed(List.of(canary));
        usage = usage.plus(probe.usage());
        return probe.failures().isEmpty();
      } catch (RuntimeException e) {
        return false;
      }
    }

    /** The embedder stayed unavailable: record that on the batch's documents, then stop. */
    private void unavailable(List<Chunk> batch, RetriableException e, List<FailedDocument> docs) {
      Map<String, FailedDocument> byKey = new HashMap<>();
      docs.forEach(d -> byKey.put(d.document().key(), d));
      String reason =
          "Embedding into set "
              + target.id()
              + " ("
              + target.model()
              + ") failed: "
              + e.getMessage();
      batch.stream()
          .map(Chunk::documentKey)
          .distinct()
          .forEach(
              key -> {
                store.recordFailure(options.collection(), key, FailureKind.RETRIABLE, reason);
                int attempts = byKey.get(key).document().attempts() + 1;
                if (attempts >= options.maxAttempts()) {
                  giveUp(key, attempts, reason);
                } else {
                  failedAgain++;
                  list(new DocumentRetry(key, Outcome.FAILED_AGAIN, attempts, reason));
                }
              });
      throw new RetriableException(
          e.code(),
          "retry-failed of '"
              + options.collection()
              + "' stopped: the embedder stayed unavailable after every retry: "
              + e.getMessage()
              + " "
              + recovered
              + " documents recovered before the stop are ready; the documents of the batch in"
              + " flight were recorded as retriable failures. When the embedder answers again,"
              + " run retryFailed again.",
          e,
          e.retryAfter().orElse(null));
    }

    private void settle(FailedDocument f, ChunkError error) {
      String key = f.document().key();
      if (error == null) {
        // Upserted meanwhile? Only a document whose every chunk now has a current vector is ready.
        boolean complete =
            store.chunks(options.collection(), key).stream()
                .allMatch(c -> c.hasEmbedding() && !c.isStale());
        if (complete && store.updateStatus(options.collection(), key, DocumentStatus.READY, null)) {
          recovered++;
          return;
        }
        error = new ChunkError(0, key, "chunks changed while retrying; run retryFailed again");
      }
      String reason =
          "Embedding into set "
              + target.id()
              + " ("
              + target.model()
              + ") failed for chunk "
              + error.chunkId()
              + ": "
              + error.reason();
      store.recordFailure(options.collection(), key, FailureKind.REJECTED, reason);
      int attempts = f.document().attempts() + 1;
      if (attempts >= options.maxAttempts()) {
        giveUp(key, attempts, reason);
      } else {
        failedAgain++;
        list(new DocumentRetry(key, Outcome.FAILED_AGAIN, attempts, reason));
      }
    }

    private void giveUp(String key, int attempts, String reason) {
      gaveUp++;
      if (options.dryRun()) {
        list(new DocumentRetry(key, Outcome.WOULD_GIVE_UP, attempts, reason));
        return;
      }
      store.recordFailure(
          options.collection(),
          key,
          FailureKind.PERMANENT,
          "Gave up after " + attempts + " failed attempts; last: " + reason);
      list(new DocumentRetry(key, Outcome.GAVE_UP, attempts, reason));
    }

    private void list(DocumentRetry d) {
      if (listed.size() < cap) {
        listed.add(d);
      }
    }

    private String reasonOf(FailedDocument f) {
      return f.document().error() == null ? "(no reason recorded)" : f.document().error();
    }

    private RetryResult result(boolean cancelled) {
      return new RetryResult(
          options.collection(),
          target.id(),
          target.model(),
          options.maxAttempts(),
          options.dryRun(),
          cancelled,
          examined,
          retried,
          recovered,
          failedAgain,
          gaveUp,
          alreadyPermanent,
          chunksEmbedded,
          chunksFailed,
          listed,
          errors,
          usage,
          Duration.ofNanos(System.nanoTime() - start));
    }
  }
}
