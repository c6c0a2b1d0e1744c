package dev.portfolio.maintenance.testing;

import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.spi.EmbedderInfo;
import dev.portfolio.core.spi.EmbeddingBatch;
import dev.portfolio.core.spi.InputType;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Holds its first call until released, so that an operation is certainly running while a test does
 * something else: {@link #awaitCalled()} returns once the operation is inside the embedder.
 */
public final class BlockingEmbedder implements Embedder {
  private final Embedder delegate;
  private final CountDownLatch called = new CountDownLatch(1);
  private final CountDownLatch released = new CountDownLatch(1);

  /**
   * Wraps an embedder.
   *
   * @param delegate the embedder
   */
  public BlockingEmbedder(Embedder delegate) {
    this.delegate = delegate;
  }

  @Override
  public EmbedderInfo info() {
    return delegate.info();
  }

  @Override
  public EmbeddingBatch embed(List<String> texts, InputType type) {
    called.countDown();
    try {
      if (!released.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("never released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return delegate.embed(texts, type);
  }

  /**
   * Waits until the first call arrived.
   *
   * @throws InterruptedException when interrupted
   */
  public void awaitCalled() throws InterruptedException {
    if (!called.await(60, TimeUnit.SECONDS)) {
      throw new AssertionError("the embedder was never called");
    }
  }

  /** Lets every call through. */
  public void release() {
    released.countDown();
  }
}
