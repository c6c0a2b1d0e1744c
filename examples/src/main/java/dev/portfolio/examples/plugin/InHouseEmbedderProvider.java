package dev.portfolio.examples.plugin;

import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.spi.EmbedderProvider;
import dev.portfolio.core.spi.ProviderConfig;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * Provides the {@code inhouse} embedder: a plugin for a company's own model server. Select it with
 * {@code Map.of("provider", "inhouse", "url", "http://models.internal:8080/embed", "dimension",
 * "768")}.
 *
 * <p>Options: {@code url} (required), {@code dimension} (required), {@code model} (default {@code
 * inhouse-v1}), {@code maxBatchSize} (default 64), {@code timeout} (default 30s).
 */
public final class InHouseEmbedderProvider implements EmbedderProvider {
  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public InHouseEmbedderProvider() {}

  @Override
  public String id() {
    return "inhouse";
  }

  @Override
  public String description() {
    return "the in-house model server (example plugin)";
  }

  @Override
  public Embedder create(Map<String, String> config) {
    ProviderConfig c = ProviderConfig.of(id(), config);
    URI url = URI.create(c.require("url"));
    int dimension = c.integer("dimension", 0, 1, 16_000);
    String model = c.string("model", "inhouse-v1");
    int maxBatchSize = c.integer("maxBatchSize", 64, 1, 10_000);
    Duration timeout = c.duration("timeout", Duration.ofSeconds(30));
    c.rejectUnknown();
    return new InHouseEmbedder(url, model, dimension, maxBatchSize, timeout);
  }
}
