package dev.portfolio.core.discovery;

import dev.portfolio.core.model.Embedding;
import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.spi.EmbedderInfo;
import dev.portfolio.core.spi.EmbeddingBatch;
import dev.portfolio.core.spi.InputTokens;
import dev.portfolio.core.spi.InputType;
import java.util.List;

/**
 * An embedder with a configured price: every call goes to the provider's embedder, and {@link
 * #info()} carries the price. Closing it closes the provider's embedder.
 */
final class PricedEmbedder implements Embedder {
  private final Embedder delegate;
  private final EmbedderInfo info;

  PricedEmbedder(Embedder delegate, double pricePer1kTokens) {
    this.delegate = delegate;
    this.info = delegate.info().withPricePer1kTokens(pricePer1kTokens);
  }

  @Override
  public EmbedderInfo info() {
    return info;
  }

  @Override
  public EmbeddingBatch embed(List<String> texts, InputType type) {
    return delegate.embed(texts, type);
  }

  @Override
  public EmbeddingBatch embed(List<String> texts) {
    return delegate.embed(texts);
  }

  @Override
  public Embedding embedQuery(String query) {
    return delegate.embedQuery(query);
  }

  @Override
  public InputTokens inputTokens() {
    return delegate.inputTokens();
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public String toString() {
    return delegate + " at " + info.pricePer1kTokens() + " per 1,000 tokens";
  }
}
