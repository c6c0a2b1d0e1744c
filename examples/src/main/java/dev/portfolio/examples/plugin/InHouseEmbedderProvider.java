package dev.portfolio.examples.plugin;

import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.spi.EmbedderProvider;
import dev.portfolio.core.spi.ProviderConfig;
import dev.portfolio.core.validation.Inputs;
import java.net.URI;
import java.net.URISyntaxException;
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
    URI url = url(c.require("url"));
    c.require("dimension"); // required: a missing value must not read as "0 is out of range"
    int dimension = c.integer("dimension", 0, 1, Inputs.MAX_DIMENSION);
    String model = c.string("model", "inhouse-v1");
    int maxBatchSize = c.integer("maxBatchSize", 64, 1, 10_000);
    Duration timeout = c.duration("timeout", Duration.ofSeconds(30));
    c.rejectUnknown();
    return new InHouseEmbedder(url, model, dimension, maxBatchSize, timeout);
  }

  private static URI url(String raw) {
    try {
      URI url = new URI(raw);
      if (("http".equals(url.getScheme()) || "https".equals(url.getScheme()))
          && url.getHost() != null) {
        return url;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw new InvalidInputException(
        "url",
        "inhouse option 'url' must be an http(s) URL such as http://embedder.internal:8080/embed"
            + " (was \""
            + Inputs.printable(raw)
            + "\")");
  }
}
