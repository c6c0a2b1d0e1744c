package dev.portfolio.core.spi;

import java.util.List;

/**
 * Turns texts into vectors. Implementations are thread-safe.
 *
 * <p>Errors are typed: {@link dev.portfolio.core.error.RetriableException} for failures a retry may
 * fix (429, 5xx, timeouts), {@link dev.portfolio.core.error.NonRetriableException} for those it
 * will not (400, 401, 404, input too long), with the index of the failing input where known.
 *
 * @since 0.1.0
 */
public interface Embedder extends AutoCloseable {
  /**
   * Describes the model. Never makes a network call.
   *
   * @return the provider, model, dimension and limits
   */
  EmbedderInfo info();

  /**
   * Embeds texts. An empty list returns an empty batch without any call.
   *
   * @param texts the texts, not null, no null element; may be longer than {@link
   *     EmbedderInfo#maxBatchSize()} (the embedder splits it)
   * @param type whether the texts are documents or queries
   * @return exactly one embedding per text, in the order of {@code texts}, each of {@link
   *     EmbedderInfo#dimension()} with finite components
   * @throws dev.portfolio.core.error.PortfolioException when embedding fails
   */
  EmbeddingBatch embed(List<String> texts, InputType type);

  /**
   * Embeds document texts: {@code embed(texts, InputType.DOCUMENT)}.
   *
   * @param texts the texts
   * @return one embedding per text, in order
   */
  default EmbeddingBatch embed(List<String> texts) {
    return embed(texts, InputType.DOCUMENT);
  }

  /**
   * Embeds one search query: {@code embed(List.of(query), InputType.QUERY)}.
   *
   * @param query the query text, not null
   * @return its embedding
   * @throws dev.portfolio.core.error.PortfolioException when embedding fails
   */
  default dev.portfolio.core.model.Embedding embedQuery(String query) {
    dev.portfolio.core.validation.Inputs.requireNonNull("query", query);
    return embed(List.of(query), InputType.QUERY).embeddings().get(0);
  }

  /**
   * Tells how much text the model reads whole and how to count it, for sizing chunks. Never makes a
   * network call. Embedders that know their tokenizer return it with {@link InputTokens#exact()}
   * true; the default is {@link InputTokens#estimated(EmbedderInfo)}: the approximate counter up to
   * {@link EmbedderInfo#maxInputTokens()}.
   *
   * @return the input budget
   * @since 0.1.0
   */
  default InputTokens inputTokens() {
    return InputTokens.estimated(info());
  }

  /** Releases resources (HTTP clients, native sessions). Default: nothing. */
  @Override
  default void close() {}
}
