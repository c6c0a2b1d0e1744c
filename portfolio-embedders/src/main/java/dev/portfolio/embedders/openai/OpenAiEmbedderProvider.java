package dev.portfolio.embedders.openai;

import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.spi.EmbedderInfo;
import dev.portfolio.core.spi.EmbedderProvider;
import dev.portfolio.core.spi.ProviderConfig;
import dev.portfolio.embedders.internal.RemoteSettings;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Provides the {@code openai} embedder for any OpenAI-compatible {@code /v1/embeddings} endpoint:
 * OpenAI, Azure OpenAI, Ollama, vLLM, LM Studio, text-embeddings-inference and others.
 *
 * <p>Options:
 *
 * <ul>
 *   <li>{@code baseUrl}: the API root; {@code /embeddings} is appended and a query string (Azure's
 *       {@code ?api-version=}) is kept (default: {@code https://api.openai.com/v1})
 *   <li>{@code apiKey}, or {@code apiKeyEnv} naming the environment variable that holds it
 *       (default: {@code OPENAI_API_KEY}); required for api.openai.com only. Never logged.
 *   <li>{@code apiKeyHeader}: {@code Authorization} sends {@code Bearer <key>} (default); any other
 *       name, such as Azure's {@code api-key}, sends the bare key
 *   <li>{@code model} (default: {@code text-embedding-3-small})
 *   <li>{@code dimensions}: asks the service for shorter vectors (text-embedding-3 models)
 *   <li>{@code dimension}: the dimension to expect; required unless {@code dimensions} is set or
 *       the model is a known OpenAI model
 *   <li>{@code maxInputTokens}: the model's input limit, for {@code info()} and messages (default:
 *       8191)
 *   <li>{@code maxBatchSize}: texts per request (default: 256, at most 2048)
 *   <li>{@code maxTokensPerRequest}: estimated tokens per request (default: 250000)
 *   <li>{@code requestTimeout} (default: 60s), {@code connectTimeout} (default: 10s)
 *   <li>{@code retry.maxAttempts} (default: 5), {@code retry.initialBackoff} (default: 500ms),
 *       {@code retry.maxBackoff} (default: 20s), {@code retry.maxWait}: the longest {@code
 *       Retry-After} honoured (default: 60s)
 *   <li>{@code header.<Name>}: an extra request header, for example {@code
 *       header.OpenAI-Organization}
 * </ul>
 *
 * @since 0.1.0
 */
public final class OpenAiEmbedderProvider implements EmbedderProvider {
  /** The provider id. */
  public static final String ID = "openai";

  private static final Map<String, Integer> KNOWN_DIMENSIONS =
      Map.of(
          "text-embedding-3-small", 1536,
          "text-embedding-3-large", 3072,
          "text-embedding-ada-002", 1536);

  private final UnaryOperator<String> env;

  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public OpenAiEmbedderProvider() {
    this(System::getenv);
  }

  OpenAiEmbedderProvider(UnaryOperator<String> env) {
    this.env = env;
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String description() {
    return "OpenAI-compatible /v1/embeddings endpoint (OpenAI, Azure, Ollama, vLLM, TEI)";
  }

  @Override
  public Embedder create(Map<String, String> config) {
    ProviderConfig c = ProviderConfig.of(ID, config);
    RemoteSettings settings =
        RemoteSettings.read(
            c,
            config,
            new RemoteSettings.Defaults(
                ID, "https://api.openai.com/v1", "OPENAI_API_KEY", 256, 2048, 250_000),
            env);
    String model = c.string("model", "text-embedding-3-small");
    Optional<String> dimensionsRaw = c.string("dimensions");
    Integer dimensions = dimensionsRaw.isPresent() ? c.integer("dimensions", 0, 1, 16_000) : null;
    Integer known = dimensions != null ? dimensions : KNOWN_DIMENSIONS.get(model);
    int dimension;
    if (c.string("dimension").isPresent() || known == null) {
      if (c.string("dimension").isEmpty()) {
        throw new InvalidInputException(
            "dimension",
            "openai option 'dimension' is required for model '"
                + model
                + "': its vector dimension is not known without calling the service. Set it to"
                + " the model's output size (for example 768 for nomic-embed-text, 1024 for"
                + " mxbai-embed-large).");
      }
      dimension = c.integer("dimension", 0, 1, 16_000);
      if (dimensions != null && dimension != dimensions) {
        throw new InvalidInputException(
            "dimension",
            "openai options 'dimension' ("
                + dimension
                + ") and 'dimensions' ("
                + dimensions
                + ") disagree; set only 'dimensions' to request shorter vectors.");
      }
    } else {
      dimension = known;
    }
    int maxInputTokens = c.integer("maxInputTokens", 8191, 1, Integer.MAX_VALUE);
    c.rejectUnknown();
    if (settings.apiKey() == null
        && "api.openai.com".equalsIgnoreCase(settings.endpoint().getHost())) {
      throw new InvalidInputException(
          "apiKey",
          "openai needs an API key for api.openai.com: set the option 'apiKey' or the "
              + settings.apiKeySource()
              + ".");
    }
    EmbedderInfo info =
        new EmbedderInfo(ID, model, dimension, settings.maxBatchSize(), maxInputTokens);
    return new OpenAiEmbedder(info, settings, dimensions);
  }
}
