package dev.portfolio.maintenance.internal;

import dev.portfolio.core.model.Embedding;
import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.spi.EmbedderInfo;
import dev.portfolio.core.spi.EmbeddingBatch;
import dev.portfolio.core.spi.InputTokens;
import dev.portfolio.core.spi.InputType;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An embedder that adds up the tokens its calls report, for a run's token or cost budget. Thread-
 * safe; does not close the embedder it measures.
 */
final class TokenMeter implements Embedder {
  private final Embedder delegate;
  private final AtomicLong tokens = new AtomicLong();

  TokenMeter(Embedder delegate) {
    this.delegate = delegate;
  }

  /** Returns the tokens reported so far. */
  long tokens() {
    return tokens.get();
  }

  @Override
  public EmbedderInfo info() {
    return delegate.info();
  }

  @Override
  public EmbeddingBatch embed(List<String> texts, InputType type) {
    EmbeddingBatch batch = delegate.embed(texts, type);
    tokens.addAndGet(batch.usage().tokens());
    return batch;
  }

  @Override
  public Embedding embedQuery(String query) {
    return delegate.embedQuery(query);
  }

  @Override
  public InputTokens inputTokens() {
    return delegate.inputTokens();
  }
}
