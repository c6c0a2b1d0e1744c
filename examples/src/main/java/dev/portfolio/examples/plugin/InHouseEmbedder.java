package dev.portfolio.examples.plugin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.NonRetriableException;
import dev.portfolio.core.error.RetriableException;
import dev.portfolio.core.model.Embedding;
import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.spi.EmbedderInfo;
import dev.portfolio.core.spi.EmbeddingBatch;
import dev.portfolio.core.spi.EmbeddingUsage;
import dev.portfolio.core.spi.InputType;
import dev.portfolio.core.validation.Inputs;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Calls an in-house model server: {@code POST url} with {@code {"texts": [...], "kind":
 * "document"}}, answered by {@code {"vectors": [[...], ...], "tokens": 42}}. It shows what a plugin
 * owes the SPI: texts split by {@code maxBatchSize}, one finite vector per text in order, usage
 * reported, and typed errors (retriable for 429, 5xx and I/O failures; permanent otherwise).
 */
final class InHouseEmbedder implements Embedder {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI url;
  private final EmbedderInfo info;
  private final Duration timeout;
  private final HttpClient client;

  InHouseEmbedder(URI url, String model, int dimension, int maxBatchSize, Duration timeout) {
    this.url = url;
    this.info = new EmbedderInfo("inhouse", model, dimension, maxBatchSize, 512);
    this.timeout = timeout;
    this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  @Override
  public EmbedderInfo info() {
    return info;
  }

  @Override
  public EmbeddingBatch embed(List<String> texts, InputType type) {
    Inputs.requireNoNullElements("texts", texts);
    Inputs.requireNonNull("type", type);
    List<Embedding> out = new ArrayList<>(texts.size());
    long tokens = 0;
    int requests = 0;
    for (int from = 0; from < texts.size(); from += info.maxBatchSize()) {
      List<String> slice = texts.subList(from, Math.min(texts.size(), from + info.maxBatchSize()));
      JsonNode answer = post(slice, type);
      JsonNode vectors = answer.path("vectors");
      if (!vectors.isArray() || vectors.size() != slice.size()) {
        throw invalid("expected " + slice.size() + " vectors, got " + vectors.size());
      }
      for (int k = 0; k < slice.size(); k++) {
        JsonNode v = vectors.get(k);
        if (v.size() != info.dimension()) {
          throw invalid(
              "vector " + (from + k) + " has " + v.size() + " dimensions, not " + info.dimension());
        }
        float[] values = new float[v.size()];
        for (int i = 0; i < values.length; i++) {
          values[i] = (float) v.get(i).asDouble(Double.NaN);
          if (!Float.isFinite(values[i])) {
            throw invalid("vector " + (from + k) + " has a non-finite component " + i);
          }
        }
        out.add(Embedding.of(values));
      }
      tokens += answer.path("tokens").asLong(0);
      requests++;
    }
    return new EmbeddingBatch(out, new EmbeddingUsage(tokens, requests, 0));
  }

  private JsonNode post(List<String> texts, InputType type) {
    try {
      byte[] body =
          JSON.writeValueAsBytes(
              Map.of("texts", texts, "kind", type.name().toLowerCase(Locale.ROOT)));
      HttpRequest request =
          HttpRequest.newBuilder(url)
              .timeout(timeout)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(body))
              .build();
      HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
      int status = response.statusCode();
      if (status == 429 || status >= 500) {
        throw new RetriableException(
            ErrorCode.EMBEDDER_UNAVAILABLE,
            url + " answered HTTP " + status + "; retry later.",
            null);
      }
      if (status != 200) {
        throw new NonRetriableException(
            ErrorCode.EMBEDDER_REJECTED, url + " rejected the request with HTTP " + status + ".");
      }
      return JSON.readTree(response.body());
    } catch (JsonProcessingException e) {
      throw invalid("the answer is not JSON (" + e.getOriginalMessage() + ")");
    } catch (IOException e) {
      throw new RetriableException(
          ErrorCode.EMBEDDER_UNAVAILABLE, url + " could not be reached: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NonRetriableException(ErrorCode.CANCELLED, "Embedding was interrupted.", e);
    }
  }

  private NonRetriableException invalid(String problem) {
    return new NonRetriableException(
        ErrorCode.EMBEDDER_INVALID_RESPONSE, url + " answered with bad vectors: " + problem + ".");
  }

  @Override
  public void close() {
    client.close();
  }
}
