package dev.portfolio.maintenance.reembed;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * What a re-embed would do in one collection, as a dry run counts it.
 *
 * @param collection the collection
 * @param chunks the chunks that would be embedded
 * @param estimatedTokens the tokens they would cost: the sum of the chunks' stored token counts;
 *     for a chunk stored with a count of 0, the count of {@link
 *     dev.portfolio.core.text.TokenCounter#approximate()} (which errs high by 10-30% for English)
 * @param estimatedChunks how many chunks had no stored token count and were estimated
 * @param pricePer1kTokens the embedder's price of 1,000 tokens ({@link
 *     dev.portfolio.core.spi.EmbedderInfo#pricePer1kTokens()}), 0 when it has none
 * @since 0.1.0
 */
public record ReembedEstimate(
    String collection,
    long chunks,
    long estimatedTokens,
    long estimatedChunks,
    double pricePer1kTokens) {
  /** Validates the components. */
  public ReembedEstimate {
    Objects.requireNonNull(collection, "collection");
  }

  /**
   * Creates an estimate without a price.
   *
   * @param collection the collection
   * @param chunks the chunks that would be embedded
   * @param estimatedTokens the tokens they would cost
   * @param estimatedChunks how many chunks had no stored token count
   */
  public ReembedEstimate(
      String collection, long chunks, long estimatedTokens, long estimatedChunks) {
    this(collection, chunks, estimatedTokens, estimatedChunks, 0);
  }

  /**
   * Returns the estimated cost at the embedder's price.
   *
   * @return {@code estimatedTokens / 1000 * pricePer1kTokens}, or empty when the embedder has no
   *     price
   */
  public OptionalDouble estimatedCost() {
    return pricePer1kTokens > 0
        ? OptionalDouble.of(estimatedTokens / 1000.0 * pricePer1kTokens)
        : OptionalDouble.empty();
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

  /**
   * Sums the estimated cost of several estimates.
   *
   * @param estimates the estimates
   * @return the total, or empty when none of them has a price or the list is empty
   */
  public static OptionalDouble totalCost(java.util.Collection<ReembedEstimate> estimates) {
    double total = 0;
    boolean priced = false;
    for (ReembedEstimate e : estimates) {
      OptionalDouble c = e.estimatedCost();
      if (c.isPresent()) {
        total += c.getAsDouble();
        priced = true;
      }
    }
    return priced ? OptionalDouble.of(total) : OptionalDouble.empty();
  }

  /**
   * Formats a cost for a summary line: 4 significant decimals below 1, else 2 decimals.
   *
   * @param cost the cost
   * @return the text, for example {@code 1.23} or {@code 0.001106}
   */
  public static String formatCost(double cost) {
    if (cost == 0 || Math.abs(cost) >= 1) {
      return String.format(java.util.Locale.ROOT, "%.2f", cost);
    }
    return new java.math.BigDecimal(cost)
        .round(new java.math.MathContext(4))
        .stripTrailingZeros()
        .toPlainString();
  }
}
