package dev.portfolio.embedders.voyage;

import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.spi.EmbedderInfo;
import dev.portfolio.core.spi.EmbedderProvider;
import dev.portfolio.core.spi.ProviderConfig;
import dev.portfolio.embedders.internal.RemoteSettings;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Provides the {@code voyage} embedder for Voyage AI's embeddings API. Queries and documents are
 * embedded differently: the call's {@link dev.portfolio.core.spi.InputType} is sent as {@code
 * input_type}.
 *
 * <p>Options:
 *
 * <ul>
 *   <li>{@code apiKey}, or {@code apiKeyEnv} naming the environment variable that holds it
 *       (default: {@code VOYAGE_API_KEY}); required. Never logged.
 *   <li>{@code model} (default: {@code voyage-3.5})
 *   <li>{@code outputDimension}: asks for shorter (or longer) vectors where the model supports it
 *   <li>{@code dimension}: the dimension to expect; required unless {@code outputDimension} is set
 *       or the model is known
 *   <li>{@code inputType}: {@code auto} sends {@code document} or {@code query} from each call
 *       (default); {@code none} sends no input type
 *   <li>{@code truncation}: let the service cut over-long inputs instead of rejecting them
 *       (default: false, so an over-long input is a clear error naming it)
 *   <li>{@code maxInputTokens} (default: 32000), {@code maxBatchSize} (default: 128, at most 1000),
 *       {@code maxTokensPerRequest} (default: 120000)
 *   <li>{@code baseUrl} (default: {@code https://api.voyageai.com/v1}), {@code apiKeyHeader},
 *       {@code header.<Name>}, {@code requestTimeout}, {@code connectTimeout} and the {@code
 *       retry.*} options as for {@code openai}
 * </ul>
 *
 * @since 0.1.0
 */
public final class VoyageEmbedderProvider implements EmbedderProvider {
  /** The provider id. */
  public static final String ID = "voyage";

  private static final Map<String, Integer> KNOWN_DIMENSIONS =
      Map.ofEntries(
          Map.entry("voyage-3.5", 1024),
          Map.entry("voyage-3.5-lite", 1024),
          Map.entry("voyage-3-large", 1024),
          Map.entry("voyage-3", 1024),
          Map.entry("voyage-3-lite", 512),
          Map.entry("voyage-code-3", 1024),
          Map.entry("voyage-finance-2", 1024),
          Map.entry("voyage-law-2", 1024),
          Map.entry("voyage-multilingual-2", 1024),
          Map.entry("voyage-code-2", 1536));

  private final UnaryOperator<String> env;

  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public VoyageEmbedderProvider() {
    this(System::getenv);
  }

  VoyageEmbedderProvider(UnaryOperator<String> env) {
    this.env = env;
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String description() {
    return "Voyage AI embeddings API (document/query input types)";
  }

  @Override
  public Embedder create(Map<String, String> config) {
    ProviderConfig c = ProviderConfig.of(ID, config);
    RemoteSettings settings =
        RemoteSettings.read(
            c,
            config,
            new RemoteSettings.Defaults(
                ID, "https://api.voyageai.com/v1", "VOYAGE_API_KEY", 128, 1000, 120_000),
            env);
    String model = c.string("model", "voyage-3.5");
    Integer outputDimension =
        c.string("outputDimension").isPresent() ? c.integer("outputDimension", 0, 1, 16_000) : null;
    Integer known = outputDimension != null ? outputDimension : KNOWN_DIMENSIONS.get(model);
    int dimension;
    if (c.string("dimension").isPresent()) {
      dimension = c.integer("dimension", 0, 1, 16_000);
      if (outputDimension != null && dimension != outputDimension) {
        throw new InvalidInputException(
            "dimension",
            "voyage options 'dimension' ("
                + dimension
                + ") and 'outputDimension' ("
                + outputDimension
                + ") disagree; set only 'outputDimension'.");
      }
    } else if (known != null) {
      dimension = known;
    } else {
      throw new InvalidInputException(
          "dimension",
          "voyage option 'dimension' is required for model '"
              + model
              + "': its vector dimension is not known without calling the service. Set"
              + " 'dimension' or 'outputDimension'.");
    }
    String inputType = c.string("inputType", "auto").toLowerCase(Locale.ROOT);
    if (!inputType.equals("auto") && !inputType.equals("none")) {
      throw new InvalidInputException(
          "inputType",
          "voyage option 'inputType' must be auto or none (was \"" + inputType + "\")");
    }
    boolean truncation = c.bool("truncation", false);
    int maxInputTokens = c.integer("maxInputTokens", 32_000, 1, Integer.MAX_VALUE);
    c.rejectUnknown();
    if (settings.apiKey() == null) {
      throw new InvalidInputException(
          "apiKey",
          "voyage needs an API key: set the option 'apiKey' or the "
              + settings.apiKeySource()
              + ".");
    }
    EmbedderInfo info =
        new EmbedderInfo(ID, model, dimension, settings.maxBatchSize(), maxInputTokens);
    return new VoyageEmbedder(
        info, settings, outputDimension, inputType.equals("auto"), truncation);
  }
}
