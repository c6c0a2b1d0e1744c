package dev.portfolio.maintenance.ingest;

import dev.portfolio.core.memory.InMemoryVectorStore;
import dev.portfolio.core.spi.VectorStore;

/** Ingestion on the in-memory store. */
class IngestTest extends IngestScenarios {
  private final VectorStore store = new InMemoryVectorStore();

  @Override
  VectorStore store() {
    return store;
  }
}
