package dev.portfolio.core.spi;

import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.validation.Inputs;
import java.util.OptionalDouble;

/**
 * What an embedder produces, known without any network call.
 *
 * @param provider the provider id, for example {@code "openai"}
 * @param model the model id, for example {@code "text-embedding-3-small"}
 * @param dimension the vector dimension
 * @param maxBatchSize how many texts one call may carry
 * @param maxInputTokens the longest input in tokens; longer inputs are truncated or rejected as the
 *     provider documents
 * @param pricePer1kTokens what 1,000 tokens cost, in the caller's currency, as configured with the
 *     embedder option {@value ProviderConfig#PRICE_PER_1K_TOKENS}; 0 when no price is configured
 *     (the cost is then unknown, never assumed to be 0)
 * @since 0.1.0
 */
public record EmbedderInfo(
    String provider,
    String model,
    int dimension,
    int maxBatchSize,
    int maxInputTokens,
    double pricePer1kTokens) {
  /** Validates the components. */
  public EmbedderInfo {
    Inputs.requireKey("provider", provider);
    Inputs.requireKey("model", model);
    Inputs.dimension("dimension", dimension);
    Inputs.between("maxBatchSize", maxBatchSize, 1, 1_000_000);
    Inputs.between("maxInputTokens", maxInputTokens, 1, Integer.MAX_VALUE);
    if (!(pricePer1kTokens >= 0) || Double.isInfinite(pricePer1kTokens)) {
      throw new InvalidInputException(
          ProviderConfig.PRICE_PER_1K_TOKENS,
          "pricePer1kTokens must be finite and >= 0, 0 for none (was " + pricePer1kTokens + ")");
    }
  }

  /**
   * Creates the information of an embedder without a price.
   *
   * @param provider the provider id
   * @param model the model id
   * @param dimension the vector dimension
   * @param maxBatchSize how many texts one call may carry
   * @param maxInputTokens the longest input in tokens
   */
  public EmbedderInfo(
      String provider, String model, int dimension, int maxBatchSize, int maxInputTokens) {
    this(provider, model, dimension, maxBatchSize, maxInputTokens, 0);
  }

  /**
   * Returns the model reference stored with collections and chunks: {@code provider:model}.
   *
   * @return the model reference
   */
  public String modelRef() {
    return provider + ":" + model;
  }

  /**
   * Returns a copy with another price.
   *
   * @param value the price of 1,000 tokens, 0 for none
   * @return the copy
   */
  public EmbedderInfo withPricePer1kTokens(double value) {
    return new EmbedderInfo(provider, model, dimension, maxBatchSize, maxInputTokens, value);
  }

  /**
   * Tells whether a price is configured.
   *
   * @return true when {@link #pricePer1kTokens()} is above 0
   */
  public boolean hasPrice() {
    return pricePer1kTokens > 0;
  }

  /**
   * Returns what a number of tokens costs at the configured price.
   *
   * @param tokens the tokens
   * @return the cost, or empty when no price is configured
   */
  public OptionalDouble cost(long tokens) {
    return hasPrice()
        ? OptionalDouble.of(tokens / 1000.0 * pricePer1kTokens)
        : OptionalDouble.empty();
  }
}
