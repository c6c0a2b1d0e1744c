package dev.portfolio.embedders.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A fake OpenAI-shaped embeddings server on loopback with scripted faults. Unscripted requests get
 * a correct answer whose items come in reverse order (clients must place vectors by index); each
 * vector is {@link #vector(String, int)} of its text.
 */
public final class FakeEmbeddingsServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the server does with one request. */
  @FunctionalInterface
  public interface Reply {
    void handle(HttpExchange exchange, Recorded request) throws IOException;
  }

  /** A request the server received. */
  public record Recorded(
      String method, String uri, Map<String, List<String>> headers, JsonNode body) {
    /** Returns the first value of a header (case-insensitive), or null. */
    public String header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
          return e.getValue().get(0);
        }
      }
      return null;
    }

    /** Returns the texts of the request's {@code input}. */
    public List<String> inputs() {
      List<String> texts = new ArrayList<>();
      body.path("input").forEach(n -> texts.add(n.asText()));
      return texts;
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final Deque<Reply> script = new ConcurrentLinkedDeque<>();
  private final List<Recorded> requests = Collections.synchronizedList(new ArrayList<>());
  private final CountDownLatch release = new CountDownLatch(1);
  private final int dimension;
  private final java.util.concurrent.atomic.AtomicInteger unscripted =
      new java.util.concurrent.atomic.AtomicInteger();
  private volatile int faultEvery;

  /**
   * Starts a server on a free loopback port.
   *
   * @param dimension the dimension of the vectors it returns
   */
  public FakeEmbeddingsServer(int dimension) {
    this.dimension = dimension;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(executor);
    server.createContext("/", this::dispatch);
    server.start();
  }

  /** Returns the base URL, for example {@code http://127.0.0.1:40123/v1}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  /** Queues replies for the next requests, in order; later requests get correct answers. */
  public FakeEmbeddingsServer then(Reply... replies) {
    script.addAll(List.of(replies));
    return this;
  }

  /**
   * Answers every {@code n}-th unscripted request with HTTP 503 (0 turns this off), so that whole
   * suites run through retries.
   */
  public FakeEmbeddingsServer failEvery(int n) {
    faultEvery = n;
    return this;
  }

  /** Returns the requests received so far. */
  public List<Recorded> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  /** The deterministic vector the server returns for a text. */
  public static float[] vector(String text, int dimension) {
    Random r = new Random(text.hashCode());
    float[] v = new float[dimension];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return v;
  }

  @Override
  public void close() {
    release.countDown();
    server.stop(0);
    executor.shutdownNow();
  }

  private void dispatch(HttpExchange exchange) throws IOException {
    byte[] raw = exchange.getRequestBody().readAllBytes();
    JsonNode body;
    try {
      body = JSON.readTree(raw);
    } catch (IOException e) {
      body = JSON.createObjectNode();
    }
    Recorded recorded =
        new Recorded(
            exchange.getRequestMethod(),
            exchange.getRequestURI().toString(),
            Map.copyOf(exchange.getRequestHeaders()),
            body);
    requests.add(recorded);
    Reply reply = script.poll();
    int every = faultEvery;
    if (reply == null && every > 0 && unscripted.incrementAndGet() % every == 0) {
      reply = status(503, "text/plain", "injected fault");
    }
    try {
      (reply == null ? ok() : reply).handle(exchange, recorded);
    } finally {
      exchange.close();
    }
  }

  // ---- replies ----

  /** A correct answer, items in reverse order, with usage. */
  public Reply ok() {
    return (exchange, request) ->
        send(
            exchange,
            200,
            "application/json",
            answer(request, request.inputs().size(), dimension, true));
  }

  /** A correct-looking answer built by a function of the request. */
  public static Reply json(int status, Function<Recorded, String> body) {
    return (exchange, request) ->
        send(
            exchange,
            status,
            "application/json",
            body.apply(request).getBytes(StandardCharsets.UTF_8));
  }

  /** A fixed answer. */
  public static Reply status(int status, String contentType, String body, String... headers) {
    return (exchange, request) -> {
      for (int i = 0; i + 1 < headers.length; i += 2) {
        exchange.getResponseHeaders().add(headers[i], headers[i + 1]);
      }
      send(exchange, status, contentType, body.getBytes(StandardCharsets.UTF_8));
    };
  }

  /** An answer with {@code count} items of {@code dim} dimensions. */
  public static Reply items(int count, int dim) {
    return (exchange, request) ->
        send(exchange, 200, "application/json", answer(request, count, dim, false));
  }

  /** Never answers until the server closes: the client's timeout fires. */
  public Reply hang() {
    return (exchange, request) -> {
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
  }

  /** Closes the connection without any answer. */
  public static Reply drop() {
    return (exchange, request) -> {};
  }

  /** Promises a longer body than it sends, then closes the connection. */
  public static Reply cutMidBody() {
    return (exchange, request) -> {
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, 1000);
      OutputStream out = exchange.getResponseBody();
      out.write("{\"data\":[{\"index\":0,".getBytes(StandardCharsets.UTF_8));
      out.flush();
    };
  }

  private static byte[] answer(Recorded request, int count, int dim, boolean reversed) {
    List<String> inputs = request.inputs();
    ObjectNode root = JSON.createObjectNode();
    root.put("object", "list");
    ArrayNode data = root.putArray("data");
    for (int k = 0; k < count; k++) {
      int index = reversed ? count - 1 - k : k;
      String text = index < inputs.size() ? inputs.get(index) : "extra " + index;
      ObjectNode item = data.addObject();
      item.put("object", "embedding");
      item.put("index", index);
      ArrayNode embedding = item.putArray("embedding");
      for (float f : vector(text, dim)) {
        embedding.add(f);
      }
    }
    root.put("model", request.body().path("model").asText());
    int tokens = 0;
    for (String t : inputs) {
      tokens += t.split("\\s+").length;
    }
    root.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
    try {
      return JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void send(HttpExchange exchange, int status, String contentType, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().add("Content-Type", contentType);
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
