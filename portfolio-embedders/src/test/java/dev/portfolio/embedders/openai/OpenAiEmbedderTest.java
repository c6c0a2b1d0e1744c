package dev.portfolio.embedders.openai;

import static dev.portfolio.embedders.internal.FakeEmbeddingsServer.cutMidBody;
import static dev.portfolio.embedders.internal.FakeEmbeddingsServer.drop;
import static dev.portfolio.embedders.internal.FakeEmbeddingsServer.items;
import static dev.portfolio.embedders.internal.FakeEmbeddingsServer.json;
import static dev.portfolio.embedders.internal.FakeEmbeddingsServer.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.portfolio.core.discovery.Providers;
import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.error.NonRetriableException;
import dev.portfolio.core.error.PortfolioException;
import dev.portfolio.core.error.RetriableException;
import dev.portfolio.core.model.Embedding;
import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.spi.EmbeddingBatch;
import dev.portfolio.embedders.internal.FakeEmbeddingsServer;
import dev.portfolio.embedders.internal.FakeEmbeddingsServer.Recorded;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The openai embedder against a fake server on loopback, with fault injection. */
class OpenAiEmbedderTest {
  private static final String KEY = "sk-test-0123456789abcdefWXYZ";
  private static final Duration FAST = Duration.ofSeconds(10);

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

  private static List<String> texts(int n) {
    return IntStream.range(0, n).mapToObj(i -> "text number " + i).toList();
  }

  private static void assertVectorsMatch(List<String> texts, EmbeddingBatch batch) {
    assertThat(batch.embeddings()).hasSize(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      assertThat(batch.embeddings().get(i))
          .as("vector of input %d", i)
          .isEqualTo(Embedding.of(FakeEmbeddingsServer.vector(texts.get(i), 4)));
    }
  }

  @Test
  void placesVectorsByTheirIndexNotByTheirPositionInTheResponse() {
    List<String> texts = texts(5);
    EmbeddingBatch batch = embedder().embed(texts);
    assertVectorsMatch(texts, batch);
    assertThat(batch.usage().requests()).isEqualTo(1);
    assertThat(batch.usage().retries()).isZero();
    assertThat(batch.usage().tokens()).isEqualTo(15);
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
  void splitsRequestsByMaxBatchSize() {
    List<String> texts = texts(10);
    EmbeddingBatch batch = embedder("maxBatchSize", "4").embed(texts);
    assertVectorsMatch(texts, batch);
    assertThat(server.requests()).extracting(r -> r.inputs().size()).containsExactly(4, 4, 2);
    assertThat(batch.usage().requests()).isEqualTo(3);
  }

  @Test
  void splitsRequestsByTheTokenBudgetAndSendsAnOversizedInputAlone() {
    String hundredTokens = "x".repeat(298);
    List<String> texts = List.of(hundredTokens, hundredTokens, hundredTokens, "y".repeat(900), "z");
    embedder("maxTokensPerRequest", "250").embed(texts);
    assertThat(server.requests()).extracting(r -> r.inputs().size()).containsExactly(2, 1, 1, 1);
  }

  @Test
  void retriesA429HonouringRetryAfterInsteadOfTheBackoff() {
    server.then(
        status(
            429,
            "application/json",
            "{\"error\":{\"message\":\"Slow down\"}}",
            "retry-after-ms",
            "20"));
    Embedder e = embedder("retry.initialBackoff", "60s", "retry.maxBackoff", "60s");
    EmbeddingBatch batch = assertTimeoutPreemptively(FAST, () -> e.embed(texts(3)));
    assertVectorsMatch(texts(3), batch);
    assertThat(server.requests()).hasSize(2);
    assertThat(batch.usage().requests()).isEqualTo(2);
    assertThat(batch.usage().retries()).isEqualTo(1);
  }

  @Test
  void logsEachRetryAttemptAndItsWaitAtDebug() {
    server.then(status(503, "text/plain", "down for maintenance", "Retry-After", "0.015"));
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      embedder().embed(texts(1));
    } finally {
      System.setErr(original);
    }
    assertThat(captured.toString(StandardCharsets.UTF_8))
        .contains(
            "DEBUG dev.portfolio.embedders.internal.RemoteEmbedder - openai:test-model: attempt 1"
                + " failed, retrying in 15 ms: openai:test-model ("
                + server.baseUrl()
                + "/embeddings) answered HTTP 503 (Retry-After 15ms) for input 0: down for"
                + " maintenance.");
  }

  @Test
  void capsALongRetryAfterAtMaxWait() {
    server.then(status(429, "text/plain", "busy", "Retry-After", "3600"));
    Embedder e = embedder("retry.maxWait", "10ms");
    EmbeddingBatch batch = assertTimeoutPreemptively(FAST, () -> e.embed(texts(1)));
    assertThat(batch.usage().retries()).isEqualTo(1);
  }

  @Test
  void retriesServerErrorsThenSucceeds() {
    server.then(
        status(500, "application/json", "{\"error\":{\"message\":\"boom\"}}"),
        status(503, "text/plain", "unavailable"));
    EmbeddingBatch batch = embedder().embed(texts(2));
    assertVectorsMatch(texts(2), batch);
    assertThat(server.requests()).hasSize(3);
    assertThat(batch.usage().retries()).isEqualTo(2);
  }

  @Test
  void retriesAnHtmlErrorPageFromAProxy() {
    server.then(
        status(
            502,
            "text/html",
            "<html><head><title>502 Bad Gateway</title></head><body><h1>nginx</h1></body></html>"));
    EmbeddingBatch batch = embedder().embed(texts(2));
    assertThat(batch.usage().retries()).isEqualTo(1);
  }

  @Test
  void retriesATimeoutThenSucceeds() {
    server.then(server.hang());
    Embedder e = embedder("requestTimeout", "200ms");
    EmbeddingBatch batch = assertTimeoutPreemptively(FAST, () -> e.embed(texts(2)));
    assertVectorsMatch(texts(2), batch);
    assertThat(server.requests()).hasSize(2);
  }

  @Test
  void retriesAConnectionClosedWithoutAnswerOrMidBody() {
    server.then(drop(), cutMidBody());
    EmbeddingBatch batch = embedder().embed(texts(2));
    assertVectorsMatch(texts(2), batch);
    assertThat(batch.usage().retries()).isEqualTo(2);
  }

  @Test
  void givesUpAfterMaxAttemptsWithARetriableErrorCarryingRetryAfter() {
    String busy = "{\"error\":{\"message\":\"Rate limit reached\"}}";
    server.then(
        status(429, "application/json", busy, "Retry-After", "0"),
        status(429, "application/json", busy, "Retry-After", "0"),
        status(429, "application/json", busy, "Retry-After", "0"));
    Embedder e = embedder("retry.maxAttempts", "3");
    assertThatThrownBy(() -> e.embed(texts(2)))
        .isInstanceOfSatisfying(
            RetriableException.class,
            ex -> {
              assertThat(ex.code()).isEqualTo(ErrorCode.EMBEDDER_UNAVAILABLE);
              assertThat(ex.retryAfter()).contains(Duration.ZERO);
            })
        .hasMessageStartingWith(
            "openai:test-model ("
                + server.baseUrl()
                + "/embeddings) rate-limited the request for inputs 0..1 (HTTP 429; Retry-After"
                + " 0s): Rate limit reached. Gave up after 3 attempts in ")
        .hasMessageEndingWith(
            " ms (retry.maxAttempts=3); the service may be overloaded or down. Retry later.");
    assertThat(server.requests()).hasSize(3);
  }

  @Test
  void reportsAnUnreachableServiceAsRetriableAfterRetrying() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    Embedder e =
        embedder("baseUrl", "http://127.0.0.1:" + closedPort + "/v1", "retry.maxAttempts", "2");
    assertThatThrownBy(() -> e.embed(texts(1)))
        .isInstanceOf(RetriableException.class)
        .hasMessageContaining("could not be reached for input 0: ConnectException")
        .hasMessageContaining("Gave up after 2 attempts");
  }

  @Test
  void stopsWaitingForARetryWhenTheCallerIsInterrupted() throws Exception {
    for (int i = 0; i < 5; i++) {
      server.then(status(503, "text/plain", "down"));
    }
    Embedder e = embedder("retry.initialBackoff", "60s", "retry.maxBackoff", "60s");
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread caller =
        new Thread(
            () -> {
              try {
                e.embed(texts(1));
              } catch (RuntimeException ex) {
                thrown.set(ex);
              }
            });
    caller.start();
    long deadline = System.nanoTime() + FAST.toNanos();
    while (server.requests().isEmpty() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    caller.interrupt();
    caller.join(FAST.toMillis());
    assertThat(caller.isAlive()).as("caller still waiting").isFalse();
    assertThat(thrown.get())
        .isInstanceOfSatisfying(
            NonRetriableException.class, ex -> assertThat(ex.code()).isEqualTo(ErrorCode.CANCELLED))
        .hasMessage(
            "Embedding input 0 with openai:test-model ("
                + server.baseUrl()
                + "/embeddings) was interrupted.");
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void doesNotRetryAnUnauthorisedRequestAndNamesTheKeySource() {
    server.then(
        status(
            401, "application/json", "{\"error\":{\"message\":\"Incorrect API key provided\"}}"));
    assertThatThrownBy(() -> embedder().embed(texts(2)))
        .isInstanceOfSatisfying(
            NonRetriableException.class,
            ex -> assertThat(ex.code()).isEqualTo(ErrorCode.EMBEDDER_REJECTED))
        .hasMessage(
            "openai:test-model ("
                + server.baseUrl()
                + "/embeddings) refused the API key (HTTP 401): Incorrect API key provided. Check"
                + " the key from option 'apiKey'.")
        .hasMessageNotContaining(KEY);
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void doesNotRetryForbiddenOrNotFound() {
    server.then(
        status(403, "application/json", "{\"error\":{\"message\":\"no access\"}}"),
        status(404, "text/plain", "Not Found"));
    Embedder e = embedder();
    assertThatThrownBy(() -> e.embed(texts(1)))
        .isInstanceOf(NonRetriableException.class)
        .hasMessageEndingWith(
            "denied access (HTTP 403): no access. The API key may not be allowed to use model"
                + " 'test-model'.");
    assertThatThrownBy(() -> e.embed(texts(1)))
        .isInstanceOf(NonRetriableException.class)
        .hasMessageEndingWith(
            "answered HTTP 404: Not Found. Check baseUrl (requests go to "
                + server.baseUrl()
                + "/embeddings) and that model 'test-model' exists there.");
    assertThat(server.requests()).hasSize(2);
  }

  @Test
  void namesTheRejectedInputByItsIndexInTheWholeCall() {
    server.then(
        server.ok(),
        status(
            400,
            "application/json",
            "{\"error\":{\"message\":\"Invalid 'input[2]': string too long.\"}}"));
    Embedder e = embedder("maxBatchSize", "4");
    assertThatThrownBy(() -> e.embed(texts(8)))
        .isInstanceOfSatisfying(
            NonRetriableException.class,
            ex -> assertThat(ex.code()).isEqualTo(ErrorCode.EMBEDDER_REJECTED))
        .hasMessage(
            "openai:test-model ("
                + server.baseUrl()
                + "/embeddings) rejected input 6 (HTTP 400): Invalid 'input[2]': string too long.."
                + " Fix or shorten that input (estimated 5 tokens; model limit 8191);"
                + " retrying will not help. (1 of 2 requests of this call had succeeded, 12"
                + " tokens; their vectors were discarded.)");
    assertThat(server.requests()).hasSize(2);
  }

  @Test
  void pointsAtTheLongestInputWhenTheServiceDoesNotSayWhichWasTooLong() {
    server.then(
        status(
            400,
            "application/json",
            "{\"error\":{\"message\":\"This model's maximum context length is 8192 tokens\"}}"));
    List<String> texts = List.of("short", "a much longer text than the others", "mid text");
    assertThatThrownBy(() -> embedder().embed(texts))
        .isInstanceOf(NonRetriableException.class)
        .hasMessageEndingWith(
            "rejected the request carrying inputs 0..2 (HTTP 400): This model's maximum context"
                + " length is 8192 tokens. The service did not say which input failed. The longest"
                + " is input 1 (estimated 12 tokens; model limit 8191). Retrying will not"
                + " help.");
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void rejectsTruncatedJsonWithoutRetrying() {
    server.then(status(200, "application/json", "{\"data\":[{\"index\":0,\"embedding\":[0.1,"));
    assertThatThrownBy(() -> embedder().embed(texts(1)))
        .isInstanceOfSatisfying(
            NonRetriableException.class,
            ex -> assertThat(ex.code()).isEqualTo(ErrorCode.EMBEDDER_INVALID_RESPONSE))
        .hasMessageStartingWith(
            "openai:test-model ("
                + server.baseUrl()
                + "/embeddings) returned an invalid response for input 0: the body is not the"
                + " expected JSON (")
        .hasMessageEndingWith("). No vector of this response was used.");
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void rejectsAResponseWithTheWrongNumberOfVectors() {
    server.then(items(2, 4));
    assertThatThrownBy(() -> embedder().embed(texts(3)))
        .isInstanceOf(NonRetriableException.class)
        .hasMessageEndingWith(
            "returned an invalid response for inputs 0..2: it holds 2 embeddings for 3 inputs."
                + " No vector of this response was used.");
  }

  @Test
  void rejectsAResponseWithTheWrongDimensionNamingTheInput() {
    server.then(items(3, 3));
    assertThatThrownBy(() -> embedder().embed(texts(3)))
        .isInstanceOfSatisfying(
            NonRetriableException.class,
            ex -> assertThat(ex.code()).isEqualTo(ErrorCode.EMBEDDER_INVALID_RESPONSE))
        .hasMessageEndingWith(
            "returned an invalid response for inputs 0..2: the embedding for input 0 has 3"
                + " dimensions but openai:test-model is configured for 4. Set the option"
                + " 'dimension' to the model's real dimension, or check 'model'. No vector of this"
                + " response was used.");
  }

  @Test
  void rejectsNanAndInfinityComponents() {
    server.then(
        json(200, r -> "{\"data\":[{\"index\":0,\"embedding\":[0.1,NaN,0.3,0.4]}]}"),
        json(200, r -> "{\"data\":[{\"index\":0,\"embedding\":[0.1,0.2,1e39,0.4]}]}"));
    Embedder e = embedder();
    assertThatThrownBy(() -> e.embed(texts(1)))
        .isInstanceOf(NonRetriableException.class)
        .hasMessageContaining("the embedding for input 0 has NaN at component 1.");
    assertThatThrownBy(() -> e.embed(texts(1)))
        .isInstanceOf(NonRetriableException.class)
        .hasMessageContaining("the embedding for input 0 has Infinity at component 2.");
  }

  @Test
  void rejectsNullComponentsInsteadOfReadingThemAsZero() {
    server.then(json(200, r -> "{\"data\":[{\"index\":0,\"embedding\":[0.1,null,0.3,0.4]}]}"));
    assertThatThrownBy(() -> embedder().embed(texts(1)))
        .isInstanceOf(NonRetriableException.class)
        .hasMessageContaining("the body is not the expected JSON (")
        .hasMessageContaining("at $.data[0].embedding[1]");
  }

  @Test
  void rejectsMissingDuplicateOrOutOfRangeIndexes() {
    server.then(
        json(
            200,
            r -> "{\"data\":[{\"embedding\":[1,2,3,4]},{\"index\":1,\"embedding\":[1,2,3,4]}]}"),
        json(
            200,
            r ->
                "{\"data\":[{\"index\":1,\"embedding\":[1,2,3,4]},{\"index\":1,\"embedding\":[1,2,3,4]}]}"),
        json(
            200,
            r ->
                "{\"data\":[{\"index\":0,\"embedding\":[1,2,3,4]},{\"index\":2,\"embedding\":[1,2,3,4]}]}"));
    Embedder e = embedder();
    assertThatThrownBy(() -> e.embed(texts(2)))
        .hasMessageContaining("data[0] has no 'index', so it cannot be matched to an input.");
    assertThatThrownBy(() -> e.embed(texts(2)))
        .hasMessageContaining("index 1 appears twice in 'data'.");
    assertThatThrownBy(() -> e.embed(texts(2)))
        .hasMessageContaining("data[1].index is 2, outside 0..1.");
  }

  @Test
  void rejectsAnHtmlPageAnsweredWithStatus200() {
    server.then(
        status(
            200,
            "text/html",
            "<!DOCTYPE html><html><head><title>Captive portal</title></head></html>"));
    assertThatThrownBy(() -> embedder().embed(texts(1)))
        .isInstanceOfSatisfying(
            PortfolioException.class,
            ex -> assertThat(ex.code()).isEqualTo(ErrorCode.EMBEDDER_INVALID_RESPONSE))
        .hasMessageEndingWith(
            "returned an invalid response for input 0: expected JSON but got HTML page: Captive"
                + " portal. No vector of this response was used.");
  }

  @Test
  void estimatesTokensWhenTheServiceReportsNoUsage() {
    server.then(json(200, r -> "{\"data\":[{\"index\":0,\"embedding\":[1,2,3,4]}]}"));
    assertThat(embedder().embed(List.of("abcdef")).usage().tokens()).isEqualTo(2);
  }

  @Test
  void returnsAnEmptyBatchWithoutAnyRequest() {
    assertThat(embedder().embed(List.of()).embeddings()).isEmpty();
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void masksTheApiKeyInToString() {
    assertThat(embedder().toString())
        .contains("apiKey=****WXYZ")
        .doesNotContain(KEY)
        .startsWith("OpenAiEmbedder[model=openai:test-model, dimension=4, endpoint=");
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
}
