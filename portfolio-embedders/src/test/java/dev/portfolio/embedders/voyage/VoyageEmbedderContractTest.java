package dev.portfolio.embedders.voyage;

import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.testkit.EmbedderContract;
import dev.portfolio.embedders.internal.FakeEmbeddingsServer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The embedder contract for the voyage embedder against a fake server with injected faults. */
class VoyageEmbedderContractTest extends EmbedderContract {
  private static FakeEmbeddingsServer server;

  @BeforeAll
  static void startServer() {
    server = new FakeEmbeddingsServer(8).failEvery(4);
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Override
  protected Embedder createEmbedder() {
    return new VoyageEmbedderProvider(name -> null)
        .create(
            Map.of(
                "baseUrl", server.baseUrl(),
                "apiKey", "pa-contract",
                "outputDimension", "8",
                "maxBatchSize", "10",
                "retry.initialBackoff", "1ms",
                "retry.maxBackoff", "2ms"));
  }
}
