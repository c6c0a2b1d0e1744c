package dev.portfolio.maintenance.reembed;

import dev.portfolio.core.spi.EmbeddingUsage;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a re-embed did. {@code total = processed + skipped + failed}. {@link #toString()} is a
 * one-line summary:
 *
 * <pre>
 * reembed docs into set 1 (hashing:hashing-v1, missing): 5019 of 5020 chunks embedded, 0 skipped,
 * 1 failed (chunk 173 of 'doc-17': input 0 rejected: ...), 19 shared a vector with an identical
 * text; 44995 tokens in 156 requests (7 retries) in 0.3 s
 * </pre>
 *
 * @param collection the collection
 * @param setId the embedding set written to
 * @param model the model reference of the vectors written (the set's model)
 * @param mode which chunks were selected
 * @param dryRun true when nothing was embedded or written, only counted
 * @param cancelled true when the run stopped early because its cancellation check said so; running
 *     again resumes (except in {@link ReembedMode#ALL})
 * @param total chunks selected and handled; for a dry run, chunks that would be embedded
 * @param processed chunks that received a vector
 * @param skipped chunks selected that received none because they were deleted meanwhile
 * @param failed chunks the embedder rejected permanently; their documents are marked {@link
 *     dev.portfolio.core.model.DocumentStatus#FAILED} with the reason
 * @param deduplicated chunks whose text equalled another chunk's in the same batch: embedded once,
 *     the vector written to both (counted in {@code processed} too)
 * @param errors the first failures (at most the configured cap, 100 by default), in no particular
 *     order; {@code failed} is the full count
 * @param usage tokens, requests and retries the embedder reported, plus the retries made here
 * @param elapsed the run's wall time
 * @param estimates for a dry run, the count and token estimate per collection; empty otherwise
 * @since 0.1.0
 */
public record ReembedResult(
    String collection,
    long setId,
    String model,
    ReembedMode mode,
    boolean dryRun,
    boolean cancelled,
    long total,
    long processed,
    long skipped,
    long failed,
    long deduplicated,
    List<ChunkError> errors,
    EmbeddingUsage usage,
    Duration elapsed,
    List<ReembedEstimate> estimates) {
  /** Validates the components and copies the lists. */
  public ReembedResult {
    Objects.requireNonNull(collection, "collection");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(mode, "mode");
    errors = List.copyOf(errors);
    Objects.requireNonNull(usage, "usage");
    Objects.requireNonNull(elapsed, "elapsed");
    estimates = List.copyOf(estimates);
  }

  /**
   * Tells whether {@link #errors()} lists fewer failures than there were.
   *
   * @return true when {@code failed > errors().size()}
   */
  public boolean errorsTruncated() {
    return failed > errors.size();
  }

  /**
   * Tells whether every selected chunk received its vector.
   *
   * @return true when nothing failed and the run was neither cancelled nor a dry run
   */
  public boolean complete() {
    return failed == 0 && !cancelled && !dryRun;
  }

  /**
   * Returns the tokens the embedder reported.
   *
   * @return {@code usage().tokens()}
   */
  public long tokens() {
    return usage.tokens();
  }

  /**
   * Returns the estimated cost of a dry run at the embedder's price ({@link
   * dev.portfolio.core.spi.EmbedderInfo#pricePer1kTokens()}).
   *
   * @return the cost, or empty when the embedder has no price or this is not a dry run
   */
  public java.util.OptionalDouble estimatedCost() {
    return ReembedEstimate.totalCost(estimates);
  }

  /**
   * Returns a one-line summary, as {@link #toString()} does.
   *
   * @return the summary
   */
  public String summary() {
    StringBuilder s =
        new StringBuilder("reembed ")
            .append(collection)
            .append(" into set ")
            .append(setId)
            .append(" (")
            .append(model)
            .append(", ")
            .append(mode.name().toLowerCase(Locale.ROOT))
            .append(")");
    if (dryRun) {
      long tokens = estimates.stream().mapToLong(ReembedEstimate::estimatedTokens).sum();
      s.append(" [dry run]: would embed ")
          .append(total)
          .append(" chunks, about ")
          .append(tokens)
          .append(" tokens");
      estimatedCost()
          .ifPresent(
              c ->
                  s.append(", estimated cost ")
                      .append(ReembedEstimate.formatCost(c))
                      .append(" (at ")
                      .append(ReembedEstimate.formatCost(estimates.get(0).pricePer1kTokens()))
                      .append(" per 1,000 tokens)"));
      return s.append("; nothing was changed").toString();
    }
    s.append(": ")
        .append(processed)
        .append(" of ")
        .append(total)
        .append(" chunks embedded, ")
        .append(skipped)
        .append(" skipped, ")
        .append(failed)
        .append(" failed");
    if (!errors.isEmpty()) {
      s.append(" (").append(errors.get(0)).append(failed > 1 ? ", ..." : "").append(')');
    }
    if (deduplicated > 0) {
      s.append(", ").append(deduplicated).append(" shared a vector with an identical text");
    }
    s.append("; ")
        .append(usage.tokens())
        .append(" tokens in ")
        .append(usage.requests())
        .append(" requests (")
        .append(usage.retries())
        .append(" retries) in ")
        .append(seconds(elapsed));
    if (cancelled) {
      s.append("; cancelled, run again to ")
          .append(mode == ReembedMode.ALL ? "start over" : "resume");
    }
    return s.toString();
  }

  @Override
  public String toString() {
    return summary();
  }

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1f s", d.toNanos() / 1e9);
  }
}
