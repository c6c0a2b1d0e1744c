package dev.portfolio.maintenance.domains;

import dev.portfolio.core.memory.InMemoryVectorStore;
import dev.portfolio.core.spi.VectorStore;

/** The per-domain migration on the in-memory store. */
class DomainMigrationTest extends DomainScenarios {
  private final VectorStore store = new InMemoryVectorStore();

  @Override
  protected VectorStore store() {
    return store;
  }
}
