package dev.portfolio.examples.springboot;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Portfolio's settings under {@code portfolio.*}.
 *
 * @param schema the schema of Portfolio's tables (default: {@code portfolio})
 * @param installSchema install or upgrade the schema at startup; needs DDL rights (default: true;
 *     false where migrations run elsewhere, e.g. from {@code PortfolioSchema.writeSchema})
 * @param embedder the embedder's options for {@code Providers.embedder}, e.g. {@code
 *     portfolio.embedder.provider=onnx} (default: {@code provider=hashing})
 */
@ConfigurationProperties("portfolio")
public record PortfolioProperties(
    @DefaultValue("portfolio") String schema,
    @DefaultValue("true") boolean installSchema,
    Map<String, String> embedder) {
  /** Applies the defaults and copies the map. */
  public PortfolioProperties {
    embedder =
        embedder == null || embedder.isEmpty()
            ? Map.of("provider", "hashing")
            : Map.copyOf(embedder);
  }
}
