package dev.portfolio.maintenance.retry;

import dev.portfolio.core.memory.InMemoryVectorStore;
import dev.portfolio.core.spi.VectorStore;

/** {@code retryFailed} on the in-memory store. */
class RetryFailedTest extends RetryFailedScenarios {
  private final VectorStore store = new InMemoryVectorStore();

  @Override
  protected VectorStore store() {
    return store;
  }
}
