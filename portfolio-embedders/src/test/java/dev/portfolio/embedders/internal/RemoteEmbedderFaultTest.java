package dev.portfolio.embedders.internal;

import static dev.portfolio.embedders.internal.FakeEmbeddingsServer.cutMidBody;
import static dev.portfolio.embedders.internal.FakeEmbeddingsServer.drop;
import static dev.portfolio.embedders.internal.FakeEmbeddingsServer.items;
import static dev.portfolio.embedders.internal.FakeEmbeddingsServer.json;
import static dev.portfolio.embedders.internal.FakeEmbeddingsServer.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.NonRetriableException;
import dev.portfolio.core.error.PortfolioException;
import dev.portfolio.core.error.RetriableException;
import dev.portfolio.core.model.Embedding;
import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.spi.EmbeddingBatch;
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

/**
 * What every remote embedder must do, checked against a fake server on loopback with fault
 * injection: vectors placed by index, batching by count and token budget, retries (429 with
 * Retry-After, 5xx, HTML error pages, timeouts, dropped connections) with attempts counted and
 * logged, no retry for 4xx with the failing input named, and every malformed response (truncated
 * JSON, wrong count, wrong dimension, NaN, bad indexes, HTML) a permanent error. Extended once per
 * remote provider.
 */
public abstract class RemoteEmbedderFaultTest {
  /** The API key every embedder under test is created with. */
  protected static final String KEY = "sk-test-0123456789abcdefWXYZ";

  private static final Duration FAST = Duration.ofSeconds(10);

  /** The fake server, started before each test. */
  protected FakeEmbeddingsServer server;

  private final List<Embedder> created = new ArrayList<>();

  /**
   * Creates the embedder under test. The provider must not read the environment.
   *
   * @param config the options: baseUrl, apiKey, model {@code test-model}, dimension 4, fast retries
   * @return the embedder
   */
  protected abstract Embedder create(Map<String, String> config);

  /** Returns the provider id. */
  protected abstract String providerId();

  /** Returns the simple class name that starts {@code toString()}. */
  protected abstract String className();

  @BeforeEach
  public void startServer() {
    server = new FakeEmbeddingsServer(4);
  }

  @AfterEach
  public void stopServer() {
    created.forEach(Embedder::close);
    server.close();
  }

  /** Creates an embedder with the common options plus the given key/value pairs. */
  protected Embedder embedder(String... options) {
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
    Embedder e = create(config);
    created.add(e);
    return e;
  }

  private String modelRef() {
    return providerId() + ":test-model";
  }

  private String target() {
    return modelRef() + " (" + server.baseUrl() + "/embeddings)";
  }

  private int limit() {
    return embedder().info().maxInputTokens();
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
  public void placesVectorsByTheirIndexNotByTheirPositionInTheResponse() {
    List<String> texts = texts(5);
    EmbeddingBatch batch = embedder().embed(texts);
    assertVectorsMatch(texts, batch);
    assertThat(batch.usage().requests()).isEqualTo(1);
    assertThat(batch.usage().retries()).isZero();
    assertThat(batch.usage().tokens()).isEqualTo(15);
  }

  @Test
  public void splitsRequestsByMaxBatchSize() {
    List<String> texts = texts(10);
    EmbeddingBatch batch = embedder("maxBatchSize", "4").embed(texts);
    assertVectorsMatch(texts, batch);
    assertThat(server.requests()).extracting(r -> r.inputs().size()).containsExactly(4, 4, 2);
    assertThat(batch.usage().requests()).isEqualTo(3);
  }

  @Test
  public void splitsRequestsByTheTokenBudgetAndSendsAnOversizedInputAlone() {
    String hundredTokens = "x".repeat(298);
    List<String> texts = List.of(hundredTokens, hundredTokens, hundredTokens, "y".repeat(900), "z");
    embedder("maxTokensPerRequest", "250").embed(texts);
    assertThat(server.requests()).extracting(r -> r.inputs().size()).containsExactly(2, 1, 1, 1);
  }

  @Test
  public void retriesA429HonouringRetryAfterInsteadOfTheBackoff() {
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
  public void logsEachRetryAttemptAndItsWaitAtDebug() {
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
            "DEBUG dev.portfolio.embedders.internal.RemoteEmbedder - "
                + modelRef()
                + ": attempt 1"
                + " failed, retrying in 15 ms: "
                + modelRef()
                + " ("
                + server.baseUrl()
                + "/embeddings) answered HTTP 503 (Retry-After 15ms) for input 0: down for"
                + " maintenance.");
  }

  @Test
  public void capsALongRetryAfterAtMaxWait() {
    server.then(status(429, "text/plain", "busy", "Retry-After", "3600"));
    Embedder e = embedder("retry.maxWait", "10ms");
    EmbeddingBatch batch = assertTimeoutPreemptively(FAST, () -> e.embed(texts(1)));
    assertThat(batch.usage().retries()).isEqualTo(1);
  }

  @Test
  public void retriesServerErrorsThenSucceeds() {
    server.then(
        status(500, "application/json", "{\"error\":{\"message\":\"boom\"}}"),
        status(503, "text/plain", "unavailable"));
    EmbeddingBatch batch = embedder().embed(texts(2));
    assertVectorsMatch(texts(2), batch);
    assertThat(server.requests()).hasSize(3);
    assertThat(batch.usage().retries()).isEqualTo(2);
  }

  @Test
  public void retriesAnHtmlErrorPageFromAProxy() {
    server.then(
        status(
            502,
            "text/html",
            "<html><head><title>502 Bad Gateway</title></head><body><h1>nginx</h1></body></html>"));
    EmbeddingBatch batch = embedder().embed(texts(2));
    assertThat(batch.usage().retries()).isEqualTo(1);
  }

  @Test
  public void retriesATimeoutThenSucceeds() {
    server.then(server.hang());
    Embedder e = embedder("requestTimeout", "200ms");
    EmbeddingBatch batch = assertTimeoutPreemptively(FAST, () -> e.embed(texts(2)));
    assertVectorsMatch(texts(2), batch);
    assertThat(server.requests()).hasSize(2);
  }

  @Test
  public void retriesAConnectionClosedWithoutAnswerOrMidBody() {
    server.then(drop(), cutMidBody());
    EmbeddingBatch batch = embedder().embed(texts(2));
    assertVectorsMatch(texts(2), batch);
    assertThat(batch.usage().retries()).isEqualTo(2);
  }

  @Test
  public void givesUpAfterMaxAttemptsWithARetriableErrorCarryingRetryAfter() {
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
            target()
                + " rate-limited the request for inputs 0..1 (HTTP 429; Retry-After"
                + " 0s): Rate limit reached. Gave up after 3 attempts in ")
        .hasMessageEndingWith(
            " ms (retry.maxAttempts=3); the service may be overloaded or down. Retry later.");
    assertThat(server.requests()).hasSize(3);
  }

  @Test
  public void reportsAnUnreachableServiceAsRetriableAfterRetrying() throws IOException {
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
  public void stopsWaitingForARetryWhenTheCallerIsInterrupted() throws Exception {
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
        .hasMessage("Embedding input 0 with " + target() + " was interrupted.");
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  public void doesNotRetryAnUnauthorisedRequestAndNamesTheKeySource() {
    server.then(
        status(
            401, "application/json", "{\"error\":{\"message\":\"Incorrect API key provided\"}}"));
    assertThatThrownBy(() -> embedder().embed(texts(2)))
        .isInstanceOfSatisfying(
            NonRetriableException.class,
            ex -> assertThat(ex.code()).isEqualTo(ErrorCode.EMBEDDER_REJECTED))
        .hasMessage(
            target()
                + " refused the API key (HTTP 401): Incorrect API key provided. Check"
                + " the key from option 'apiKey'.")
        .hasMessageNotContaining(KEY);
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  public void doesNotRetryForbiddenOrNotFound() {
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
  public void namesTheRejectedInputByItsIndexInTheWholeCall() {
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
            target()
                + " rejected input 6 (HTTP 400): Invalid 'input[2]': string too long.."
                + " Fix or shorten that input (estimated 5 tokens; model limit "
                + limit()
                + ");"
                + " retrying will not help. (1 of 2 requests of this call had succeeded, 12"
                + " tokens; their vectors were discarded.)");
    assertThat(server.requests()).hasSize(2);
  }

  @Test
  public void pointsAtTheLongestInputWhenTheServiceDoesNotSayWhichWasTooLong() {
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
                + " is input 1 (estimated 12 tokens; model limit "
                + limit()
                + "). Retrying will not"
                + " help.");
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  public void rejectsTruncatedJsonWithoutRetrying() {
    server.then(status(200, "application/json", "{\"data\":[{\"index\":0,\"embedding\":[0.1,"));
    assertThatThrownBy(() -> embedder().embed(texts(1)))
        .isInstanceOfSatisfying(
            NonRetriableException.class,
            ex -> assertThat(ex.code()).isEqualTo(ErrorCode.EMBEDDER_INVALID_RESPONSE))
        .hasMessageStartingWith(
            target()
                + " returned an invalid response for input 0: the body is not the"
                + " expected JSON (")
        .hasMessageEndingWith("). No vector of this response was used.");
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  public void rejectsAResponseWithTheWrongNumberOfVectors() {
    server.then(items(2, 4));
    assertThatThrownBy(() -> embedder().embed(texts(3)))
        .isInstanceOf(NonRetriableException.class)
        .hasMessageEndingWith(
            "returned an invalid response for inputs 0..2: it holds 2 embeddings for 3 inputs."
                + " No vector of this response was used.");
  }

  @Test
  public void rejectsAResponseWithTheWrongDimensionNamingTheInput() {
    server.then(items(3, 3));
    assertThatThrownBy(() -> embedder().embed(texts(3)))
        .isInstanceOfSatisfying(
            NonRetriableException.class,
            ex -> assertThat(ex.code()).isEqualTo(ErrorCode.EMBEDDER_INVALID_RESPONSE))
        .hasMessageEndingWith(
            "returned an invalid response for inputs 0..2: the embedding for input 0 has 3"
                + " dimensions but "
                + modelRef()
                + " is configured for 4. Set the option"
                + " 'dimension' to the model's real dimension, or check 'model'. No vector of this"
                + " response was used.");
  }

  @Test
  public void rejectsNanAndInfinityComponents() {
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
  public void rejectsNullComponentsInsteadOfReadingThemAsZero() {
    server.then(json(200, r -> "{\"data\":[{\"index\":0,\"embedding\":[0.1,null,0.3,0.4]}]}"));
    assertThatThrownBy(() -> embedder().embed(texts(1)))
        .isInstanceOf(NonRetriableException.class)
        .hasMessageContaining("the body is not the expected JSON (")
        .hasMessageContaining("at $.data[0].embedding[1]");
  }

  @Test
  public void rejectsMissingDuplicateOrOutOfRangeIndexes() {
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
  public void rejectsAnHtmlPageAnsweredWithStatus200() {
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
  public void estimatesTokensWhenTheServiceReportsNoUsage() {
    server.then(json(200, r -> "{\"data\":[{\"index\":0,\"embedding\":[1,2,3,4]}]}"));
    assertThat(embedder().embed(List.of("abcdef")).usage().tokens()).isEqualTo(2);
  }

  @Test
  public void returnsAnEmptyBatchWithoutAnyRequest() {
    assertThat(embedder().embed(List.of()).embeddings()).isEmpty();
    assertThat(server.requests()).isEmpty();
  }

  @Test
  public void masksTheApiKeyInToString() {
    assertThat(embedder().toString())
        .contains("apiKey=****WXYZ")
        .doesNotContain(KEY)
        .startsWith(className() + "[model=" + modelRef() + ", dimension=4, endpoint=");
  }
}
