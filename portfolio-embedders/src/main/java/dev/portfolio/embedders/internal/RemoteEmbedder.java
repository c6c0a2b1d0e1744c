package dev.portfolio.embedders.internal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.NonRetriableException;
import dev.portfolio.core.error.PortfolioException;
import dev.portfolio.core.error.RetriableException;
import dev.portfolio.core.model.Embedding;
import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.spi.EmbedderInfo;
import dev.portfolio.core.spi.EmbeddingBatch;
import dev.portfolio.core.spi.EmbeddingUsage;
import dev.portfolio.core.spi.InputType;
import dev.portfolio.core.validation.Inputs;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.event.RetryOnRetryEvent;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedder that calls an HTTP embeddings endpoint answering in the OpenAI shape ({@code data[i]
 * .index}, {@code data[i].embedding}, {@code usage.total_tokens}). It does what every remote
 * provider shares:
 *
 * <ul>
 *   <li>splits the input into requests of at most {@code maxBatchSize} texts and {@code
 *       maxTokensPerRequest} estimated tokens;
 *   <li>retries 429, 408, 425, 5xx, timeouts and connection failures with exponential backoff and
 *       jitter, honouring {@code Retry-After} up to {@code retry.maxWait}; never retries other 4xx
 *       answers, which become a permanent error naming the failing input where it can be told;
 *   <li>validates every response (count, index of each item, dimension, finite components) before
 *       any vector is built, and places vectors by their index, not by their position;
 *   <li>reports usage per call: tokens (as the service counted them, else estimated), requests and
 *       retries.
 * </ul>
 *
 * <p>Subclasses provide the request body. Instances are thread-safe.
 */
public abstract class RemoteEmbedder implements Embedder {
  private static final Logger LOG = LoggerFactory.getLogger(RemoteEmbedder.class);

  /** Serialises request bodies. */
  protected static final ObjectMapper JSON = new ObjectMapper();

  private static final ObjectMapper RESPONSE_JSON =
      JsonMapper.builder()
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private static final Pattern INPUT_INDEX =
      Pattern.compile("input\\s*\\[\\s*(\\d+)\\s*]|\\bindex\\s+(\\d+)", Pattern.CASE_INSENSITIVE);
  private static final Pattern TOO_LONG =
      Pattern.compile(
          "too long|too many tokens|context length|maximum.*tokens|token limit|exceeds",
          Pattern.CASE_INSENSITIVE);

  private final EmbedderInfo info;
  private final RemoteSettings settings;
  private final HttpClient client;
  private final Retry retry;
  private final String target;

  /**
   * Creates the embedder and its HTTP client. No request is sent.
   *
   * @param info what the model produces; {@link EmbedderInfo#dimension()} is enforced on every
   *     response
   * @param settings the shared remote options
   */
  protected RemoteEmbedder(EmbedderInfo info, RemoteSettings settings) {
    this.info = info;
    this.settings = settings;
    boolean https = "https".equals(settings.endpoint().getScheme());
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(settings.connectTimeout())
            .version(https ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    this.retry = settings.retry().toRetry(info.modelRef());
    this.retry.getEventPublisher().onRetry(RemoteEmbedder::logRetry);
    this.target = info.modelRef() + " (" + settings.displayEndpoint() + ")";
  }

  /**
   * Builds the JSON request body for one request.
   *
   * @param texts the texts of this request, in order
   * @param type what the texts are for
   * @return the body, serialised with Jackson
   */
  protected abstract Map<String, Object> requestBody(List<String> texts, InputType type);

  /**
   * Returns the remote model's documented estimate as the counter ({@link TokenEstimator}: one
   * token per three ASCII characters, one per other character), inexact, up to {@link
   * EmbedderInfo#maxInputTokens()}.
   */
  @Override
  public dev.portfolio.core.spi.InputTokens inputTokens() {
    return new dev.portfolio.core.spi.InputTokens(REMOTE_ESTIMATE, info.maxInputTokens(), false);
  }

  private static final dev.portfolio.core.text.TokenCounter REMOTE_ESTIMATE =
      new dev.portfolio.core.text.TokenCounter() {
        @Override
        public int count(CharSequence text) {
          return text.length() == 0
              ? 0
              : (int) Math.min(Integer.MAX_VALUE, TokenEstimator.estimate(text.toString()));
        }

        @Override
        public String toString() {
          return "TokenEstimator";
        }
      };

  @Override
  public final EmbedderInfo info() {
    return info;
  }

  /**
   * Returns the shared remote settings.
   *
   * @return the settings
   */
  protected final RemoteSettings settings() {
    return settings;
  }

  @Override
  public final EmbeddingBatch embed(List<String> texts, InputType type) {
    Inputs.requireNoNullElements("texts", texts);
    Inputs.requireNonNull("type", type);
    if (texts.isEmpty()) {
      return new EmbeddingBatch(List.of(), EmbeddingUsage.NONE);
    }
    List<Request> requests = plan(texts);
    Embedding[] out = new Embedding[texts.size()];
    EmbeddingUsage usage = EmbeddingUsage.NONE;
    for (int r = 0; r < requests.size(); r++) {
      Request request = requests.get(r);
      Result result;
      try {
        result = call(request, type);
      } catch (PortfolioException e) {
        throw r == 0 ? e : withEarlierUsage(e, r, requests.size(), usage);
      }
      for (int k = 0; k < result.vectors().length; k++) {
        out[request.offset() + k] = Embedding.of(result.vectors()[k]);
      }
      usage = usage.plus(result.usage());
    }
    return new EmbeddingBatch(Arrays.asList(out), usage);
  }

  /** Closes the HTTP client, waiting for requests in flight. */
  @Override
  public void close() {
    client.close();
  }

  @Override
  public String toString() {
    return getClass().getSimpleName()
        + "[model="
        + info.modelRef()
        + ", dimension="
        + info.dimension()
        + ", "
        + settings
        + "]";
  }

  /** A slice of the input sent in one request. */
  private record Request(int offset, List<String> texts, long[] estimates) {
    long estimatedTokens() {
      long sum = 0;
      for (long e : estimates) {
        sum += e;
      }
      return sum;
    }

    String inputs() {
      return texts.size() == 1
          ? "input " + offset
          : "inputs " + offset + ".." + (offset + texts.size() - 1);
    }
  }

  /** The vectors of one request in input order, and what it cost. */
  private record Result(float[][] vectors, EmbeddingUsage usage) {}

  private List<Request> plan(List<String> texts) {
    List<Request> requests = new ArrayList<>();
    int start = 0;
    long tokens = 0;
    long[] estimates = new long[texts.size()];
    for (int i = 0; i < texts.size(); i++) {
      estimates[i] = TokenEstimator.estimate(texts.get(i));
      boolean full = i - start == settings.maxBatchSize();
      boolean overBudget = i > start && tokens + estimates[i] > settings.maxTokensPerRequest();
      if (full || overBudget) {
        requests.add(
            new Request(start, texts.subList(start, i), Arrays.copyOfRange(estimates, start, i)));
        start = i;
        tokens = 0;
      }
      tokens += estimates[i];
    }
    requests.add(
        new Request(
            start,
            texts.subList(start, texts.size()),
            Arrays.copyOfRange(estimates, start, texts.size())));
    return requests;
  }

  private Result call(Request request, InputType type) {
    byte[] body;
    try {
      body = JSON.writeValueAsBytes(requestBody(request.texts(), type));
    } catch (JsonProcessingException e) {
      throw new NonRetriableException(
          ErrorCode.INTERNAL, "Cannot serialise the request for " + target + ": " + e, e);
    }
    AtomicInteger attempts = new AtomicInteger();
    long started = System.nanoTime();
    try {
      Parsed parsed =
          retry.executeSupplier(
              () -> {
                attempts.incrementAndGet();
                return attempt(request, body);
              });
      long tokens = parsed.tokens() >= 0 ? parsed.tokens() : request.estimatedTokens();
      if (attempts.get() > 1) {
        LOG.debug("{}: {} succeeded after {} attempts", target, request.inputs(), attempts.get());
      }
      return new Result(
          parsed.vectors(), new EmbeddingUsage(tokens, attempts.get(), attempts.get() - 1L));
    } catch (RetriableException e) {
      if (Thread.currentThread().isInterrupted()) {
        throw cancelled(request, e);
      }
      long millis = (System.nanoTime() - started) / 1_000_000;
      throw new RetriableException(
          e.code(),
          e.getMessage()
              + " Gave up after "
              + attempts.get()
              + (attempts.get() == 1 ? " attempt" : " attempts")
              + " in "
              + millis
              + " ms (retry.maxAttempts="
              + settings.retry().maxAttempts()
              + "); the service may be overloaded or down. Retry later.",
          e.getCause(),
          e.retryAfter().orElse(null));
    }
  }

  /** The vectors and the tokens the service reported (-1 when it reported none). */
  private record Parsed(float[][] vectors, long tokens) {}

  private Parsed attempt(Request request, byte[] body) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(settings.endpoint())
            .timeout(settings.requestTimeout())
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (settings.apiKey() != null) {
      String key = settings.apiKey().reveal();
      boolean bearer = settings.apiKeyHeader().equalsIgnoreCase("Authorization");
      builder.header(settings.apiKeyHeader(), bearer ? "Bearer " + key : key);
    }
    settings.headers().forEach(builder::header);
    HttpResponse<byte[]> response;
    try {
      response = client.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (HttpConnectTimeoutException e) {
      throw new RetriableException(
          ErrorCode.EMBEDDER_UNAVAILABLE,
          target
              + " could not be reached for "
              + request.inputs()
              + ": connecting took longer than connectTimeout="
              + format(settings.connectTimeout())
              + ".",
          e);
    } catch (HttpTimeoutException e) {
      throw new RetriableException(
          ErrorCode.EMBEDDER_UNAVAILABLE,
          target
              + " did not answer for "
              + request.inputs()
              + " within requestTimeout="
              + format(settings.requestTimeout())
              + ".",
          e);
    } catch (ConnectException e) {
      throw new RetriableException(
          ErrorCode.EMBEDDER_UNAVAILABLE,
          target + " could not be reached for " + request.inputs() + ": " + describe(e) + ".",
          e);
    } catch (IOException e) {
      throw new RetriableException(
          ErrorCode.EMBEDDER_UNAVAILABLE,
          target + " failed for " + request.inputs() + ": " + describe(e) + ".",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw cancelled(request, e);
    }
    int status = response.statusCode();
    String contentType = response.headers().firstValue("Content-Type").orElse("");
    if (status >= 200 && status < 300) {
      return parse(request, response.body(), contentType);
    }
    throw failure(request, status, response.headers(), response.body(), contentType);
  }

  private PortfolioException failure(
      Request request, int status, HttpHeaders headers, byte[] body, String contentType) {
    String detail = ResponseText.detail(body, contentType);
    Duration retryAfter = RetryAfter.parse(headers).orElse(null);
    String waitNote = retryAfter == null ? "" : "; Retry-After " + format(retryAfter);
    if (status == 429) {
      return new RetriableException(
          ErrorCode.EMBEDDER_UNAVAILABLE,
          target
              + " rate-limited the request for "
              + request.inputs()
              + " (HTTP 429"
              + waitNote
              + "): "
              + detail
              + ".",
          null,
          retryAfter);
    }
    if (status == 408 || status == 425 || status >= 500) {
      return new RetriableException(
          ErrorCode.EMBEDDER_UNAVAILABLE,
          target
              + " answered HTTP "
              + status
              + (retryAfter == null ? "" : " (Retry-After " + format(retryAfter) + ")")
              + " for "
              + request.inputs()
              + ": "
              + detail
              + ".",
          null,
          retryAfter);
    }
    if (status >= 300 && status < 400) {
      return new NonRetriableException(
          ErrorCode.EMBEDDER_REJECTED,
          target
              + " answered with a redirect (HTTP "
              + status
              + ") to "
              + ResponseText.clip(headers.firstValue("Location").orElse("(no Location)"))
              + ". Redirects are not followed for requests carrying an API key: set baseUrl to the"
              + " final URL.");
    }
    String model = info.model();
    return switch (status) {
      case 401 ->
          new NonRetriableException(
              ErrorCode.EMBEDDER_REJECTED,
              target
                  + " refused the API key (HTTP 401): "
                  + detail
                  + ". Check the key from "
                  + settings.apiKeySource()
                  + (settings.apiKey() == null ? ", which is not set" : "")
                  + ".");
      case 403 ->
          new NonRetriableException(
              ErrorCode.EMBEDDER_REJECTED,
              target
                  + " denied access (HTTP 403): "
                  + detail
                  + ". The API key may not be allowed to use model '"
                  + model
                  + "'.");
      case 404 ->
          new NonRetriableException(
              ErrorCode.EMBEDDER_REJECTED,
              target
                  + " answered HTTP 404: "
                  + detail
                  + ". Check baseUrl (requests go to "
                  + settings.displayEndpoint()
                  + ") and that model '"
                  + model
                  + "' exists there.");
      default -> rejectedInput(request, status, detail);
    };
  }

  private NonRetriableException rejectedInput(Request request, int status, String detail) {
    int local = -1;
    Matcher m = INPUT_INDEX.matcher(detail);
    if (m.find()) {
      int found = Integer.parseInt(m.group(1) != null ? m.group(1) : m.group(2));
      local = found < request.texts().size() ? found : -1;
    }
    if (local < 0 && request.texts().size() == 1) {
      local = 0;
    }
    if (local >= 0) {
      return new NonRetriableException(
          ErrorCode.EMBEDDER_REJECTED,
          target
              + " rejected input "
              + (request.offset() + local)
              + " (HTTP "
              + status
              + "): "
              + detail
              + ". Fix or shorten that input (estimated "
              + tokens(request.estimates()[local])
              + "; model limit "
              + info.maxInputTokens()
              + "); retrying will not help.");
    }
    int longest = 0;
    for (int k = 1; k < request.estimates().length; k++) {
      if (request.estimates()[k] > request.estimates()[longest]) {
        longest = k;
      }
    }
    String lengthNote =
        TOO_LONG.matcher(detail).find()
            ? " The longest is input "
                + (request.offset() + longest)
                + " (estimated "
                + tokens(request.estimates()[longest])
                + "; model limit "
                + info.maxInputTokens()
                + ")."
            : "";
    return new NonRetriableException(
        ErrorCode.EMBEDDER_REJECTED,
        target
            + " rejected the request carrying "
            + request.inputs()
            + " (HTTP "
            + status
            + "): "
            + detail
            + ". The service did not say which input failed."
            + lengthNote
            + " Retrying will not help.");
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  private record Body(List<Item> data, Usage usage) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  private record Item(Integer index, float[] embedding) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  private record Usage(
      @JsonProperty("total_tokens") Long totalTokens,
      @JsonProperty("prompt_tokens") Long promptTokens) {}

  private Parsed parse(Request request, byte[] raw, String contentType) {
    String text = new String(raw, 0, Math.min(raw.length, 512), StandardCharsets.UTF_8);
    if (ResponseText.looksLikeHtml(text, contentType)) {
      throw invalid(request, "expected JSON but got " + ResponseText.detail(raw, contentType));
    }
    Body body;
    try {
      body = RESPONSE_JSON.readValue(raw, Body.class);
    } catch (JacksonException e) {
      throw invalid(request, "the body is not the expected JSON (" + describe(e) + ")");
    } catch (IOException e) {
      throw invalid(request, "the body cannot be read (" + e.getMessage() + ")");
    }
    int n = request.texts().size();
    if (body == null || body.data() == null) {
      String detail = ResponseText.detail(raw, contentType);
      throw invalid(request, "it has no 'data' array (" + detail + ")");
    }
    if (body.data().size() != n) {
      throw invalid(request, "it holds " + body.data().size() + " embeddings for " + n + " inputs");
    }
    float[][] vectors = new float[n][];
    for (int k = 0; k < n; k++) {
      Item item = body.data().get(k);
      if (item == null || item.index() == null) {
        throw invalid(
            request, "data[" + k + "] has no 'index', so it cannot be matched to an input");
      }
      int index = item.index();
      if (index < 0 || index >= n) {
        throw invalid(request, "data[" + k + "].index is " + index + ", outside 0.." + (n - 1));
      }
      if (vectors[index] != null) {
        throw invalid(request, "index " + index + " appears twice in 'data'");
      }
      int input = request.offset() + index;
      float[] v = item.embedding();
      if (v == null) {
        throw invalid(request, "the item for input " + input + " has no 'embedding' array");
      }
      if (v.length != info.dimension()) {
        throw invalid(
            request,
            "the embedding for input "
                + input
                + " has "
                + v.length
                + " dimensions but "
                + info.modelRef()
                + " is configured for "
                + info.dimension()
                + ". Set the option 'dimension' to the model's real dimension, or check 'model'");
      }
      for (int c = 0; c < v.length; c++) {
        if (!Float.isFinite(v[c])) {
          throw invalid(
              request, "the embedding for input " + input + " has " + v[c] + " at component " + c);
        }
      }
      vectors[index] = v;
    }
    long tokens = -1;
    if (body.usage() != null) {
      Long reported =
          body.usage().totalTokens() != null
              ? body.usage().totalTokens()
              : body.usage().promptTokens();
      tokens = reported == null ? -1 : reported;
    }
    return new Parsed(vectors, tokens);
  }

  private NonRetriableException invalid(Request request, String problem) {
    return new NonRetriableException(
        ErrorCode.EMBEDDER_INVALID_RESPONSE,
        target
            + " returned an invalid response for "
            + request.inputs()
            + ": "
            + problem
            + ". No vector of this response was used.");
  }

  private NonRetriableException cancelled(Request request, Exception cause) {
    return new NonRetriableException(
        ErrorCode.CANCELLED,
        "Embedding " + request.inputs() + " with " + target + " was interrupted.",
        cause);
  }

  private static PortfolioException withEarlierUsage(
      PortfolioException e, int done, int total, EmbeddingUsage usage) {
    String note =
        " ("
            + done
            + " of "
            + total
            + " requests of this call had succeeded, "
            + usage.tokens()
            + " tokens; their vectors were discarded.)";
    if (e instanceof RetriableException r) {
      return new RetriableException(
          r.code(), r.getMessage() + note, r.getCause(), r.retryAfter().orElse(null));
    }
    if (e.getClass() == NonRetriableException.class) {
      return new NonRetriableException(e.code(), e.getMessage() + note, e.getCause());
    }
    return e;
  }

  private static String describe(Exception e) {
    if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
      StringBuilder path = new StringBuilder("$");
      for (JsonMappingException.Reference ref : m.getPath()) {
        path.append(
            ref.getFieldName() != null ? "." + ref.getFieldName() : "[" + ref.getIndex() + "]");
      }
      return ResponseText.clip(m.getOriginalMessage()) + " at " + path;
    }
    if (e instanceof JacksonException j) {
      return ResponseText.clip(j.getOriginalMessage());
    }
    String message = e.getMessage();
    return e.getClass().getSimpleName()
        + (message == null || message.isBlank() ? "" : ": " + ResponseText.clip(message));
  }

  private static void logRetry(RetryOnRetryEvent event) {
    Throwable last = event.getLastThrowable();
    LOG.debug(
        "{}: attempt {} failed, retrying in {} ms: {}",
        event.getName(),
        event.getNumberOfRetryAttempts(),
        event.getWaitInterval().toMillis(),
        last == null ? "?" : last.getMessage());
  }

  private static String tokens(long n) {
    return n == 1 ? "1 token" : n + " tokens";
  }

  private static String format(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
  }
}
