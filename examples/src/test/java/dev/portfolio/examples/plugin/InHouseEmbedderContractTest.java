package dev.portfolio.examples.plugin;

import dev.portfolio.core.discovery.Providers;
import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.testkit.EmbedderContract;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * How a plugin author tests an embedder: extend the contract from portfolio-core's test-jar and
 * create the embedder the way users will, through discovery by id.
 */
class InHouseEmbedderContractTest extends EmbedderContract {
  private static FakeInHouseServer server;

  @BeforeAll
  static void startServer() {
    server = new FakeInHouseServer(64);
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Override
  protected Embedder createEmbedder() {
    return Providers.embedder(
        Map.of("provider", "inhouse", "url", server.url(), "dimension", "64", "maxBatchSize", "8"));
  }
}
