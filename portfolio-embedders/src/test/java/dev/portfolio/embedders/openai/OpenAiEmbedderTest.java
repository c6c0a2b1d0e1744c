package dev.portfolio.embedders.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portfolio.core.discovery.Providers;
import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.spi.Embedder;
import dev.portfolio.embedders.internal.FakeEmbeddingsServer;
import dev.portfolio.embedders.internal.FakeEmbeddingsServer.Recorded;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What is specific to the openai embedder: its request, URLs, keys and options. Fault injection is
 * in {@link OpenAiEmbedderFaultTest}.
 */
class OpenAiEmbedderTest {
  private static final String KEY = "sk-test-0123456789abcdefWXYZ";

  private FakeEmbeddingsServer server;
  private final List<Embedder> created = new ArrayList<>();

  @BeforeEach
  void start() {
    server = new FakeEmbeddingsServer(4);
  }

  @AfterEach
  void stop() {
    created.forEach(Embedder::close);
    server.close();
  }

  private Embedder embedder(String... options) {
    Map<String, String> config = new HashMap<>();
    config.put("baseUrl", server.baseUrl());
    config.put("apiKey", KEY);
    config.put("model", "test-model");
    config.put("dimension", "4");
    config.put("retry.initialBackoff", "1ms");
    config.put("retry.maxBackoff", "5ms");
    config.put("requestTimeout", "2s");
    for (int i = 0; i + 1 < options.length; i += 2) {
      config.put(options[i], options[i + 1]);
    }
    Embedder e = new OpenAiEmbedderProvider(name -> null).create(config);
    created.add(e);
    return e;
  }

  @Test
  void sendsModelInputsFloatEncodingAndTheBearerKey() {
    embedder("dimensions", "4").embed(List.of("a", "b"));
    Recorded request = server.requests().get(0);
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.uri()).isEqualTo("/v1/embeddings");
    assertThat(request.header("Authorization")).isEqualTo("Bearer " + KEY);
    assertThat(request.header("Content-Type")).isEqualTo("application/json");
    assertThat(request.body().toString())
        .isEqualTo(
            "{\"model\":\"test-model\",\"input\":[\"a\",\"b\"],\"encoding_format\":\"float\","
                + "\"dimensions\":4}");
  }

  @Test
  void supportsAzureStyleUrlsAndKeyHeaderAndExtraHeaders() {
    String azure =
        server.baseUrl().replace("/v1", "/openai/deployments/emb?api-version=2024-02-01");
    embedder("baseUrl", azure, "apiKeyHeader", "api-key", "header.X-Team", "search")
        .embed(List.of("a"));
    Recorded request = server.requests().get(0);
    assertThat(request.uri())
        .isEqualTo("/openai/deployments/emb/embeddings?api-version=2024-02-01");
    assertThat(request.header("api-key")).isEqualTo(KEY);
    assertThat(request.header("Authorization")).isNull();
    assertThat(request.header("X-Team")).isEqualTo("search");
  }

  @Test
  void worksWithoutAnApiKeyForLocalServers() {
    Embedder ollama =
        new OpenAiEmbedderProvider(name -> null)
            .create(
                Map.of("baseUrl", server.baseUrl(), "model", "nomic-embed-text", "dimension", "4"));
    created.add(ollama);
    ollama.embed(List.of("a"));
    assertThat(server.requests().get(0).header("Authorization")).isNull();
  }

  @Test
  void readsTheApiKeyFromTheNamedEnvironmentVariable() {
    Embedder fromEnv =
        new OpenAiEmbedderProvider(name -> name.equals("MY_KEY") ? "sk-from-env" : null)
            .create(
                Map.of(
                    "baseUrl",
                    server.baseUrl(),
                    "model",
                    "m",
                    "dimension",
                    "4",
                    "apiKeyEnv",
                    "MY_KEY"));
    created.add(fromEnv);
    fromEnv.embed(List.of("a"));
    assertThat(server.requests().get(0).header("Authorization")).isEqualTo("Bearer sk-from-env");
  }

  @Test
  void sizesChunksWithTheDocumentedEstimateUpToTheModelsLimit() {
    Embedder small = new OpenAiEmbedderProvider(name -> "sk-x").create(Map.of());
    created.add(small);
    var tokens = small.inputTokens();
    assertThat(tokens.exact()).isFalse();
    assertThat(tokens.maxTokens()).isEqualTo(8191);
    assertThat(tokens.count("abcdef")).isEqualTo(2);
    assertThat(tokens.count("")).isZero();
  }

  @Test
  void knowsTheDimensionsOfOpenAiModels() {
    Embedder small = new OpenAiEmbedderProvider(name -> "sk-x").create(Map.of());
    created.add(small);
    assertThat(small.info().modelRef()).isEqualTo("openai:text-embedding-3-small");
    assertThat(small.info().dimension()).isEqualTo(1536);
    Embedder large =
        new OpenAiEmbedderProvider(name -> "sk-x")
            .create(Map.of("model", "text-embedding-3-large", "dimensions", "256"));
    created.add(large);
    assertThat(large.info().dimension()).isEqualTo(256);
  }

  @Test
  void requiresADimensionForUnknownModels() {
    assertThatThrownBy(
            () ->
                new OpenAiEmbedderProvider(name -> null)
                    .create(
                        Map.of(
                            "baseUrl", "http://localhost:11434/v1", "model", "nomic-embed-text")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "openai option 'dimension' is required for model 'nomic-embed-text': its vector"
                + " dimension is not known without calling the service. Set it to the model's"
                + " output size (for example 768 for nomic-embed-text, 1024 for"
                + " mxbai-embed-large).");
  }

  @Test
  void requiresAnApiKeyForOpenAiItself() {
    assertThatThrownBy(() -> new OpenAiEmbedderProvider(name -> null).create(Map.of()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "openai needs an API key for api.openai.com: set the option 'apiKey' or the"
                + " environment variable OPENAI_API_KEY.");
  }

  @Test
  void rejectsAMalformedBaseUrl() {
    assertThatThrownBy(
            () ->
                new OpenAiEmbedderProvider(name -> null)
                    .create(Map.of("baseUrl", "localhost:11434")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "openai option 'baseUrl' is \"localhost:11434\": it must start with http:// or"
                + " https://. Example: https://api.openai.com/v1 or http://localhost:11434/v1.");
  }

  @Test
  void rejectsUnknownOptions() {
    assertThatThrownBy(() -> embedder("retries", "3"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("Unknown openai option [retries]. Known options: [")
        .hasMessageContaining("retry.maxAttempts");
  }

  @Test
  void isFoundByIdThroughDiscovery() {
    Embedder found =
        Providers.embedder(
            Map.of(
                "provider", "openai", "baseUrl", server.baseUrl(), "model", "m", "dimension", "4"));
    created.add(found);
    assertThat(found.info().modelRef()).isEqualTo("openai:m");
  }

  @Test
  void aKeyThatCannotBeSentIsRejectedWithoutShowingIt() {
    String bad = "sk-proj-SECRETSECRET\u2028tail";
    assertThatThrownBy(() -> embedder("apiKey", bad))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "openai option 'apiKey' (from option 'apiKey') contains a character that cannot be"
                + " sent in an HTTP header at position 20; copy the value again (the value is not"
                + " shown because it may be secret).");
    assertThatThrownBy(() -> embedder("header.X-Token", "abc\ndef"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("option 'header.X-Token'")
        .hasMessageNotContaining("abc");
  }

  @Test
  void credentialsInTheBaseUrlAreRejectedAndQueriesAreNeverPrinted() {
    String withUser = server.baseUrl().replace("http://", "http://user:hunter2@");
    assertThatThrownBy(() -> embedder("baseUrl", withUser))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("contains credentials")
        .hasMessageNotContaining("hunter2");

    Embedder e = embedder("baseUrl", server.baseUrl() + "?api_key=QSECRET");
    assertThat(e.toString()).doesNotContain("QSECRET");
  }
}
