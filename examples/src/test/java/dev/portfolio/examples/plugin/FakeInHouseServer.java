package dev.portfolio.examples.plugin;

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
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the in-house model server on loopback: vectors are hashed character trigrams, so
 * equal texts get equal vectors and similar texts similar ones.
 */
final class FakeInHouseServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final int dimension;
  private final AtomicInteger requests = new AtomicInteger();
  private volatile int nextStatus = 200;

  FakeInHouseServer(int dimension) {
    this.dimension = dimension;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/embed", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/embed";
  }

  int requests() {
    return requests.get();
  }

  /** Makes the next request fail with this status. */
  void failNext(int status) {
    nextStatus = status;
  }

  private void handle(HttpExchange exchange) throws IOException {
    requests.incrementAndGet();
    JsonNode request = JSON.readTree(exchange.getRequestBody());
    int status = nextStatus;
    nextStatus = 200;
    ObjectNode answer = JSON.createObjectNode();
    if (status == 200) {
      ArrayNode vectors = answer.putArray("vectors");
      long tokens = 0;
      for (JsonNode text : request.path("texts")) {
        ArrayNode v = vectors.addArray();
        for (float f : vector(text.asText())) {
          v.add(f);
        }
        tokens += text.asText().length() / 4 + 1;
      }
      answer.put("tokens", tokens);
    }
    byte[] body = JSON.writeValueAsBytes(answer);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private float[] vector(String text) {
    float[] v = new float[dimension];
    v[0] = 1;
    String padded = "  " + text + "  ";
    for (int i = 0; i + 3 <= padded.length(); i++) {
      int h = padded.substring(i, i + 3).hashCode();
      v[Math.floorMod(h, dimension)] += (h & 1) == 0 ? 1 : -1;
    }
    return v;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
