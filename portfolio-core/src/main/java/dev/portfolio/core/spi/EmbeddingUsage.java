package dev.portfolio.core.spi;

/**
 * What embedding calls cost: tokens billed, requests sent and retries made.
 *
 * @param tokens input tokens, as reported by the service or counted locally
 * @param requests requests sent (including retries)
 * @param retries requests that were retries of a failed one
 * @since 0.1.0
 */
public record EmbeddingUsage(long tokens, long requests, long retries) {
  /** No usage. */
  public static final EmbeddingUsage NONE = new EmbeddingUsage(0, 0, 0);

  /**
   * Adds another usage to this one.
   *
   * @param other the other usage
   * @return the sum
   */
  public EmbeddingUsage plus(EmbeddingUsage other) {
    return new EmbeddingUsage(
        tokens + other.tokens, requests + other.requests, retries + other.retries);
  }

  /**
   * Returns the cost at a price per million tokens.
   *
   * @param pricePerMillionTokens the price of 1,000,000 tokens
   * @return the cost
   */
  public double cost(double pricePerMillionTokens) {
    return tokens * pricePerMillionTokens / 1_000_000.0;
  }
}
