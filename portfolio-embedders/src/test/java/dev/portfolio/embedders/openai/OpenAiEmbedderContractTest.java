package dev.portfolio.embedders.openai;

import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.testkit.EmbedderContract;
import dev.portfolio.embedders.internal.FakeEmbeddingsServer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The embedder contract for the openai embedder against a fake server that fails every third
 * request with HTTP 503, so the whole suite also runs through retries.
 */
class OpenAiEmbedderContractTest extends EmbedderContract {
  private static FakeEmbeddingsServer server;

  @BeforeAll
  static void startServer() {
    server = new FakeEmbeddingsServer(8).failEvery(3);
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Override
  protected Embedder createEmbedder() {
    return new OpenAiEmbedderProvider(name -> null)
        .create(
            Map.of(
                "baseUrl", server.baseUrl(),
                "apiKey", "sk-contract",
                "model", "fake-model",
                "dimension", "8",
                "maxBatchSize", "16",
                "retry.initialBackoff", "1ms",
                "retry.maxBackoff", "2ms"));
  }
}
