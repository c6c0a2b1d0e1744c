package dev.portfolio.maintenance.testing;

import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.spi.EmbedderInfo;
import dev.portfolio.core.spi.EmbeddingBatch;
import dev.portfolio.core.spi.InputType;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Lets a number of calls through, then throws an unchecked exception, like a process dying. */
public final class CrashingEmbedder implements Embedder {
  private final Embedder delegate;
  private final int healthyCalls;
  private final AtomicInteger calls = new AtomicInteger();

  /**
   * Wraps an embedder.
   *
   * @param delegate the embedder
   * @param healthyCalls calls that succeed before every later one throws
   */
  public CrashingEmbedder(Embedder delegate, int healthyCalls) {
    this.delegate = delegate;
    this.healthyCalls = healthyCalls;
  }

  @Override
  public EmbedderInfo info() {
    return delegate.info();
  }

  @Override
  public EmbeddingBatch embed(List<String> texts, InputType type) {
    if (calls.incrementAndGet() > healthyCalls) {
      throw new IllegalStateException("simulated crash after " + healthyCalls + " calls");
    }
    return delegate.embed(texts, type);
  }
}
