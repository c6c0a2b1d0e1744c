package dev.portfolio.maintenance.retry;

import dev.portfolio.core.spi.EmbeddingUsage;
import dev.portfolio.maintenance.reembed.ChunkError;
import dev.portfolio.maintenance.report.Report;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link dev.portfolio.maintenance.Maintenance#retryFailed} did. Of the {@code examined}
 * failed documents, {@code retried} were re-processed ({@code recovered + failedAgain +} those of
 * them given up), {@code gaveUp} were marked permanently failed, and {@code alreadyPermanent} were
 * left alone. For a dry run the counts say what a run would do.
 *
 * <pre>
 * retry-failed docs (set 1, hashing:hashing-v1, max 3 attempts): 12 failed documents examined,
 * 11 retried: 10 recovered, 1 failed again, 1 given up, 0 already permanent; 140 chunks embedded,
 * 1 failed; 1400 tokens in 3 requests (0 retries) in 0.2 s
 * </pre>
 *
 * @param collection the collection
 * @param setId the set written to (the active set)
 * @param model its model
 * @param maxAttempts the maximum of failed attempts
 * @param dryRun true when nothing was embedded or written
 * @param cancelled true when the run stopped early because its cancellation check said so
 * @param examined failed documents read
 * @param retried documents re-processed (or, in a dry run, that would be)
 * @param recovered documents now ready
 * @param failedAgain documents that failed again with attempts left
 * @param gaveUp documents marked permanently failed in this run: those that had reached the maximum
 *     before it, and those that reached it now
 * @param alreadyPermanent documents permanently failed before the run, left alone
 * @param chunksEmbedded chunks that received a vector (dry run: that would be embedded)
 * @param chunksFailed chunks the embedder rejected again
 * @param documents the documents that did not recover, at most the configured cap (100 by default);
 *     for a dry run the documents it would retry or give up
 * @param errors the chunk errors, at most the configured cap
 * @param usage what the embedder reported
 * @param elapsed the wall time
 * @since 0.1.0
 */
public record RetryResult(
    String collection,
    long setId,
    String model,
    int maxAttempts,
    boolean dryRun,
    boolean cancelled,
    long examined,
    long retried,
    long recovered,
    long failedAgain,
    long gaveUp,
    long alreadyPermanent,
    long chunksEmbedded,
    long chunksFailed,
    List<DocumentRetry> documents,
    List<ChunkError> errors,
    EmbeddingUsage usage,
    Duration elapsed)
    implements Report {
  /** Validates the components and copies the lists. */
  public RetryResult {
    Objects.requireNonNull(collection, "collection");
    Objects.requireNonNull(model, "model");
    documents = List.copyOf(documents);
    errors = List.copyOf(errors);
    Objects.requireNonNull(usage, "usage");
    Objects.requireNonNull(elapsed, "elapsed");
  }

  /**
   * Tells whether no failed document is left that a later run would retry.
   *
   * @return true when nothing failed again and the run was neither cancelled nor a dry run
   */
  public boolean complete() {
    return failedAgain == 0 && !cancelled && !dryRun;
  }

  @Override
  public String operation() {
    return "retry-failed";
  }

  @Override
  public String summary() {
    StringBuilder s =
        new StringBuilder("retry-failed ")
            .append(collection)
            .append(" (set ")
            .append(setId)
            .append(", ")
            .append(model)
            .append(", max ")
            .append(maxAttempts)
            .append(" attempts)");
    if (dryRun) {
      return s.append(" [dry run]: ")
          .append(examined)
          .append(" failed documents, would retry ")
          .append(retried)
          .append(" (")
          .append(chunksEmbedded)
          .append(" chunks) and give up ")
          .append(gaveUp)
          .append(", ")
          .append(alreadyPermanent)
          .append(" already permanent; nothing was changed")
          .toString();
    }
    s.append(": ")
        .append(examined)
        .append(" failed documents examined, ")
        .append(retried)
        .append(" retried: ")
        .append(recovered)
        .append(" recovered, ")
        .append(failedAgain)
        .append(" failed again, ")
        .append(gaveUp)
        .append(" given up, ")
        .append(alreadyPermanent)
        .append(" already permanent; ")
        .append(chunksEmbedded)
        .append(" chunks embedded, ")
        .append(chunksFailed)
        .append(" failed; ")
        .append(usage.tokens())
        .append(" tokens in ")
        .append(usage.requests())
        .append(" requests (")
        .append(usage.retries())
        .append(" retries) in ")
        .append(String.format(Locale.ROOT, "%.1f s", elapsed.toNanos() / 1e9));
    if (cancelled) {
      s.append("; cancelled, run again to continue");
    }
    return s.toString();
  }

  @Override
  public Map<String, Object> fields() {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("operation", operation());
    f.put("collection", collection);
    f.put("setId", setId);
    f.put("model", model);
    f.put("maxAttempts", maxAttempts);
    f.put("dryRun", dryRun);
    f.put("cancelled", cancelled);
    f.put("examined", examined);
    f.put("retried", retried);
    f.put("recovered", recovered);
    f.put("failedAgain", failedAgain);
    f.put("gaveUp", gaveUp);
    f.put("alreadyPermanent", alreadyPermanent);
    f.put("chunksEmbedded", chunksEmbedded);
    f.put("chunksFailed", chunksFailed);
    f.put("tokens", usage.tokens());
    f.put("requests", usage.requests());
    f.put("retries", usage.retries());
    f.put("elapsedMs", elapsed.toMillis());
    f.put(
        "documents",
        documents.stream()
            .map(
                d -> {
                  Map<String, Object> row = new LinkedHashMap<>();
                  row.put("key", d.key());
                  row.put("outcome", d.outcome().name());
                  row.put("attempts", d.attempts());
                  row.put("reason", d.reason());
                  return java.util.Collections.unmodifiableMap(row);
                })
            .toList());
    f.put(
        "errors",
        errors.stream()
            .map(
                e -> {
                  Map<String, Object> row = new LinkedHashMap<>();
                  row.put("chunkId", e.chunkId());
                  row.put("documentKey", e.documentKey());
                  row.put("reason", e.reason());
                  return java.util.Collections.unmodifiableMap(row);
                })
            .toList());
    return java.util.Collections.unmodifiableMap(f);
  }

  @Override
  public String toString() {
    return summary();
  }
}
