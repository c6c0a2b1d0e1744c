package dev.portfolio.maintenance.reembed;

import java.util.Objects;

/**
 * What a re-embed would do in one collection, as a dry run counts it.
 *
 * @param collection the collection
 * @param chunks the chunks that would be embedded
 * @param estimatedTokens the tokens they would cost: the sum of the chunks' stored token counts;
 *     for a chunk stored with a count of 0, the count of {@link
 *     dev.portfolio.core.text.TokenCounter#approximate()} (which errs high by 10-30% for English)
 * @param estimatedChunks how many chunks had no stored token count and were estimated
 * @since 0.1.0
 */
public record ReembedEstimate(
    String collection, long chunks, long estimatedTokens, long estimatedChunks) {
  /** Validates the components. */
  public ReembedEstimate {
    Objects.requireNonNull(collection, "collection");
  }

  /**
   * Returns the cost of the estimated tokens at a price.
   *
   * @param pricePerMillionTokens the price of 1,000,000 tokens
   * @return the estimated cost
   */
  public double cost(double pricePerMillionTokens) {
    return estimatedTokens * pricePerMillionTokens / 1_000_000.0;
  }
}
