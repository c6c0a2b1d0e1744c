package dev.portfolio.embedders.internal;

import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.spi.ProviderConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * The options every remote embedder shares: where to send requests, how to authenticate, limits per
 * request, timeouts and retries.
 *
 * @param endpoint the embeddings URL: {@code baseUrl} plus {@code /embeddings}, query kept
 * @param apiKey the API key, or null when none is configured
 * @param apiKeySource where the key comes from, for messages (for example {@code environment
 *     variable OPENAI_API_KEY})
 * @param apiKeyHeader the header that carries the key: {@code Authorization} sends {@code Bearer
 *     <key>}, any other header the bare key
 * @param headers extra request headers (options {@code header.<Name>})
 * @param requestTimeout how long one request may take, from sending to the last byte
 * @param connectTimeout how long connecting may take
 * @param maxBatchSize the most texts in one request
 * @param maxTokensPerRequest the most estimated tokens in one request
 * @param retry the retry policy
 */
public record RemoteSettings(
    URI endpoint,
    Secret apiKey,
    String apiKeySource,
    String apiKeyHeader,
    Map<String, String> headers,
    Duration requestTimeout,
    Duration connectTimeout,
    int maxBatchSize,
    int maxTokensPerRequest,
    RetryPolicy retry) {

  private static final Set<String> RESTRICTED_HEADERS =
      Set.of("connection", "content-length", "expect", "host", "upgrade", "content-type");

  /** Copies the header map. */
  public RemoteSettings {
    headers = Map.copyOf(headers);
  }

  /**
   * Provider-specific defaults for {@link #read}.
   *
   * @param provider the provider id, used in messages
   * @param baseUrl the default base URL
   * @param apiKeyEnv the default environment variable holding the key
   * @param maxBatchSize the default {@code maxBatchSize}
   * @param batchLimit the largest {@code maxBatchSize} the service accepts
   * @param maxTokensPerRequest the default {@code maxTokensPerRequest}
   */
  public record Defaults(
      String provider,
      String baseUrl,
      String apiKeyEnv,
      int maxBatchSize,
      int batchLimit,
      int maxTokensPerRequest) {}

  /**
   * Reads the shared options: {@code baseUrl}, {@code apiKey}, {@code apiKeyEnv}, {@code
   * apiKeyHeader}, {@code header.<Name>}, {@code requestTimeout}, {@code connectTimeout}, {@code
   * maxBatchSize}, {@code maxTokensPerRequest} and the {@code retry.*} options.
   *
   * @param c the configuration reader; the keys read here are claimed in it
   * @param raw the raw options, to find {@code header.*} keys
   * @param d the provider's defaults
   * @param env reads environment variables (normally {@code System::getenv})
   * @return the settings
   * @throws InvalidInputException naming the option that is malformed
   */
  public static RemoteSettings read(
      ProviderConfig c, Map<String, String> raw, Defaults d, UnaryOperator<String> env) {
    URI endpoint = endpoint(d.provider(), c.string("baseUrl", d.baseUrl()));
    String apiKeyEnv = c.string("apiKeyEnv", d.apiKeyEnv());
    Secret apiKey = null;
    String source = "option 'apiKey'";
    String direct = c.string("apiKey").orElse(null);
    if (direct != null) {
      checkHeaderValue(d.provider(), "apiKey", source, direct);
      apiKey = Secret.of(direct);
    } else {
      String fromEnv = env.apply(apiKeyEnv);
      source = "environment variable " + apiKeyEnv;
      if (fromEnv != null && !fromEnv.isBlank()) {
        checkHeaderValue(d.provider(), "apiKey", source, fromEnv.trim());
        apiKey = Secret.of(fromEnv.trim());
      }
    }
    String apiKeyHeader = c.string("apiKeyHeader", "Authorization");
    checkHeaderName(d.provider(), "apiKeyHeader", apiKeyHeader);
    Map<String, String> headers = new LinkedHashMap<>();
    for (String key : new TreeSet<>(raw.keySet())) {
      if (key.startsWith("header.")) {
        String name = key.substring("header.".length());
        checkHeaderName(d.provider(), key, name);
        String value = c.string(key, "");
        checkHeaderValue(d.provider(), key, "option '" + key + "'", value);
        headers.put(name, value);
      }
    }
    return new RemoteSettings(
        endpoint,
        apiKey,
        source,
        apiKeyHeader,
        headers,
        c.duration("requestTimeout", Duration.ofSeconds(60)),
        c.duration("connectTimeout", Duration.ofSeconds(10)),
        c.integer("maxBatchSize", d.maxBatchSize(), 1, d.batchLimit()),
        c.integer("maxTokensPerRequest", d.maxTokensPerRequest(), 1, Integer.MAX_VALUE),
        RetryPolicy.read(c));
  }

  /**
   * Builds the embeddings URL: the base URL with {@code /embeddings} appended to its path unless it
   * already ends so; a query (Azure's {@code api-version}) is kept.
   */
  static URI endpoint(String provider, String baseUrl) {
    URI base;
    try {
      base = new URI(baseUrl);
    } catch (URISyntaxException e) {
      throw badBaseUrl(provider, baseUrl, "it is not a valid URL (" + e.getReason() + ")");
    }
    String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw badBaseUrl(provider, baseUrl, "it must start with http:// or https://");
    }
    if (base.getHost() == null) {
      throw badBaseUrl(provider, baseUrl, "it has no host");
    }
    if (base.getRawUserInfo() != null) {
      // Never echo this URL: it carries credentials.
      throw new InvalidInputException(
          "baseUrl",
          provider
              + " option 'baseUrl' contains credentials (user:password@). Put the key in"
              + " 'apiKey' (or 'apiKeyEnv'), or other credentials in a 'header.<Name>' option.");
    }
    String path = base.getRawPath() == null ? "" : base.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    if (!path.endsWith("/embeddings")) {
      path = path + "/embeddings";
    }
    String query = base.getRawQuery() == null ? "" : "?" + base.getRawQuery();
    return URI.create(scheme + "://" + base.getRawAuthority() + path + query);
  }

  private static InvalidInputException badBaseUrl(String provider, String url, String problem) {
    return new InvalidInputException(
        "baseUrl",
        provider
            + " option 'baseUrl' is \""
            + dev.portfolio.core.validation.Inputs.printable(url)
            + "\": "
            + problem
            + ". Example: https://api.openai.com/v1 or http://localhost:11434/v1.");
  }

  /**
   * Rejects a header value the HTTP client would refuse. The JDK's message would repeat the value,
   * which may be a secret, so ours names only the position.
   */
  private static void checkHeaderValue(String provider, String option, String source, String v) {
    for (int i = 0; i < v.length(); i++) {
      char ch = v.charAt(i);
      if (ch != '\t' && (ch < 0x20 || ch > 0x7e)) {
        throw new InvalidInputException(
            option,
            provider
                + " option '"
                + option
                + "' (from "
                + source
                + ") contains a character that cannot be sent in an HTTP header at position "
                + i
                + "; copy the value again (the value is not shown because it may be secret).");
      }
    }
  }

  /**
   * Returns the endpoint for messages and logs: scheme, host, port and path, without the query
   * (which may carry a key).
   *
   * @return the printable endpoint
   */
  public String displayEndpoint() {
    return endpoint.getScheme() + "://" + endpoint.getRawAuthority() + endpoint.getRawPath();
  }

  private static void checkHeaderName(String provider, String option, String name) {
    if (name.isBlank() || !name.chars().allMatch(ch -> ch > 0x20 && ch < 0x7f && ch != ':')) {
      throw new InvalidInputException(
          option,
          provider
              + " option '"
              + option
              + "' must name an HTTP header (visible ASCII, no ':'; was \""
              + dev.portfolio.core.validation.Inputs.printable(name)
              + "\")");
    }
    if (RESTRICTED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
      throw new InvalidInputException(
          option,
          provider
              + " option '"
              + option
              + "' cannot set the header "
              + name
              + "; it is managed by the HTTP client.");
    }
  }

  /**
   * Describes the settings without the key.
   *
   * @return a printable description
   */
  @Override
  public String toString() {
    return "endpoint="
        + displayEndpoint()
        + ", apiKey="
        + (apiKey == null ? "none" : apiKey.toString())
        + ", requestTimeout="
        + requestTimeout
        + ", maxBatchSize="
        + maxBatchSize
        + ", maxTokensPerRequest="
        + maxTokensPerRequest
        + ", retry="
        + retry;
  }
}
