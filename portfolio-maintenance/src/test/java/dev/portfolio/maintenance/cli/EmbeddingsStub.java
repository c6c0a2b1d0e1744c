package dev.portfolio.maintenance.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OpenAI-shaped {@code /v1/embeddings} endpoint on loopback, for running the {@code openai}
 * embedder with a model of our choosing in a separate process: every text gets a unit vector of the
 * configured dimension derived from its hash. Records the models asked for and counts requests.
 */
final class EmbeddingsStub implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final int dimension;
  private final AtomicInteger requests = new AtomicInteger();
  private final Set<String> models = ConcurrentHashMap.newKeySet();

  private EmbeddingsStub(HttpServer server, int dimension) {
    this.server = server;
    this.dimension = dimension;
  }

  static EmbeddingsStub start(int dimension) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    EmbeddingsStub stub = new EmbeddingsStub(server, dimension);
    server.createContext("/v1/embeddings", stub::answer);
    server.start();
    return stub;
  }

  /** The {@code baseUrl} option that points the {@code openai} embedder here. */
  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  int requests() {
    return requests.get();
  }

  Set<String> models() {
    return Set.copyOf(models);
  }

  private void answer(HttpExchange exchange) throws IOException {
    try (exchange) {
      requests.incrementAndGet();
      JsonNode body = JSON.readTree(exchange.getRequestBody());
      models.add(body.path("model").asText());
      ObjectNode reply = JSON.createObjectNode();
      ArrayNode data = reply.putArray("data");
      int tokens = 0;
      int index = 0;
      for (JsonNode input : body.path("input")) {
        String text = input.asText();
        tokens += text.length() / 4 + 1;
        ObjectNode item = data.addObject();
        item.put("index", index++);
        ArrayNode vector = item.putArray("embedding");
        int hot = Math.floorMod(text.hashCode(), dimension);
        for (int i = 0; i < dimension; i++) {
          vector.add(i == hot ? 1.0f : 0.0f);
        }
      }
      reply.put("model", body.path("model").asText());
      reply.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
      byte[] bytes = JSON.writeValueAsBytes(reply);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
