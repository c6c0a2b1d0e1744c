package dev.portfolio.core.spi;

import dev.portfolio.core.validation.Inputs;

/**
 * What an embedder produces, known without any network call.
 *
 * @param provider the provider id, for example {@code "openai"}
 * @param model the model id, for example {@code "text-embedding-3-small"}
 * @param dimension the vector dimension
 * @param maxBatchSize how many texts one call may carry
 * @param maxInputTokens the longest input in tokens; longer inputs are truncated or rejected as the
 *     provider documents
 * @since 0.1.0
 */
public record EmbedderInfo(
    String provider, String model, int dimension, int maxBatchSize, int maxInputTokens) {
  /** Validates the components. */
  public EmbedderInfo {
    Inputs.requireKey("provider", provider);
    Inputs.requireKey("model", model);
    Inputs.dimension("dimension", dimension);
    Inputs.between("maxBatchSize", maxBatchSize, 1, 1_000_000);
    Inputs.between("maxInputTokens", maxInputTokens, 1, Integer.MAX_VALUE);
  }

  /**
   * Returns the model reference stored with collections and chunks: {@code provider:model}.
   *
   * @return the model reference
   */
  public String modelRef() {
    return provider + ":" + model;
  }
}
