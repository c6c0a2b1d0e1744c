package dev.portfolio.embedders.voyage;

import static dev.portfolio.embedders.internal.FakeEmbeddingsServer.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portfolio.core.discovery.Providers;
import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.error.NonRetriableException;
import dev.portfolio.core.model.Embedding;
import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.spi.EmbeddingBatch;
import dev.portfolio.core.spi.InputType;
import dev.portfolio.embedders.internal.FakeEmbeddingsServer;
import dev.portfolio.embedders.internal.FakeEmbeddingsServer.Recorded;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The voyage embedder against a fake server on loopback. */
class VoyageEmbedderTest {
  private static final String KEY = "pa-test-0123456789abcdefQRST";

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
    config.put("outputDimension", "4");
    config.put("retry.initialBackoff", "1ms");
    config.put("retry.maxBackoff", "5ms");
    for (int i = 0; i + 1 < options.length; i += 2) {
      config.put(options[i], options[i + 1]);
    }
    Embedder e = new VoyageEmbedderProvider(name -> null).create(config);
    created.add(e);
    return e;
  }

  @Test
  void sendsTheInputTypeOfEachCall() {
    Embedder e = embedder();
    e.embed(List.of("a document"), InputType.DOCUMENT);
    e.embed(List.of("a query"), InputType.QUERY);
    List<Recorded> requests = server.requests();
    assertThat(requests.get(0).body().toString())
        .isEqualTo(
            "{\"model\":\"voyage-3.5\",\"input\":[\"a document\"],\"input_type\":\"document\","
                + "\"truncation\":false,\"output_dimension\":4}");
    assertThat(requests.get(1).body().path("input_type").asText()).isEqualTo("query");
    assertThat(requests.get(0).header("Authorization")).isEqualTo("Bearer " + KEY);
  }

  @Test
  void sendsNoInputTypeWhenToldSo() {
    embedder("inputType", "none", "truncation", "true").embed(List.of("x"), InputType.QUERY);
    Recorded request = server.requests().get(0);
    assertThat(request.body().get("input_type").isNull()).isTrue();
    assertThat(request.body().get("truncation").asBoolean()).isTrue();
  }

  @Test
  void placesVectorsByIndexAndReportsUsage() {
    List<String> texts = List.of("one", "two words", "three little words");
    EmbeddingBatch batch = embedder("maxBatchSize", "2").embed(texts);
    for (int i = 0; i < texts.size(); i++) {
      assertThat(batch.embeddings().get(i))
          .isEqualTo(Embedding.of(FakeEmbeddingsServer.vector(texts.get(i), 4)));
    }
    assertThat(batch.usage().tokens()).isEqualTo(6);
    assertThat(batch.usage().requests()).isEqualTo(2);
  }

  @Test
  void retriesServerErrorsAndSurfacesVoyageErrorDetails() {
    server.then(
        status(503, "application/json", "{\"detail\":\"Service temporarily unavailable\"}"),
        status(400, "application/json", "{\"detail\":\"Input text at index 0 is too long\"}"));
    assertThatThrownBy(() -> embedder().embed(List.of("x")))
        .isInstanceOfSatisfying(
            NonRetriableException.class,
            ex -> assertThat(ex.code()).isEqualTo(ErrorCode.EMBEDDER_REJECTED))
        .hasMessage(
            "voyage:voyage-3.5 ("
                + server.baseUrl()
                + "/embeddings) rejected input 0 (HTTP 400): Input text at index 0 is too long."
                + " Fix or shorten that input (estimated 1 token; model limit 32000);"
                + " retrying will not help.");
    assertThat(server.requests()).hasSize(2);
  }

  @Test
  void knowsTheDimensionOfVoyageModels() {
    Embedder e =
        new VoyageEmbedderProvider(name -> "pa-env").create(Map.of("model", "voyage-3-lite"));
    created.add(e);
    assertThat(e.info().modelRef()).isEqualTo("voyage:voyage-3-lite");
    assertThat(e.info().dimension()).isEqualTo(512);
    assertThat(e.info().maxInputTokens()).isEqualTo(32_000);
  }

  @Test
  void requiresAnApiKey() {
    assertThatThrownBy(() -> new VoyageEmbedderProvider(name -> null).create(Map.of()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "voyage needs an API key: set the option 'apiKey' or the environment variable"
                + " VOYAGE_API_KEY.");
  }

  @Test
  void rejectsAnUnknownInputTypeSetting() {
    assertThatThrownBy(() -> embedder("inputType", "passage"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("voyage option 'inputType' must be auto or none (was \"passage\")");
  }

  @Test
  void rejectsDisagreeingDimensionOptions() {
    assertThatThrownBy(() -> embedder("dimension", "1024"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "voyage options 'dimension' (1024) and 'outputDimension' (4) disagree; set only"
                + " 'outputDimension'.");
  }

  @Test
  void masksTheApiKeyInToString() {
    assertThat(embedder().toString()).contains("apiKey=****QRST").doesNotContain(KEY);
  }

  @Test
  void isFoundByIdThroughDiscovery() {
    Embedder found =
        Providers.embedder(
            Map.of("provider", "voyage", "apiKey", KEY, "baseUrl", server.baseUrl()));
    created.add(found);
    assertThat(found.info().modelRef()).isEqualTo("voyage:voyage-3.5");
  }
}
