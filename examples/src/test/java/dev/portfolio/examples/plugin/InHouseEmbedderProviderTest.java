package dev.portfolio.examples.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.error.NonRetriableException;
import dev.portfolio.core.error.RetriableException;
import dev.portfolio.core.spi.Embedder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InHouseEmbedderProviderTest {
  private FakeInHouseServer server;

  @BeforeEach
  void start() {
    server = new FakeInHouseServer(16);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Embedder embedder() {
    return new InHouseEmbedderProvider()
        .create(Map.of("url", server.url(), "dimension", "16", "maxBatchSize", "2"));
  }

  @Test
  void splitsByMaxBatchSizeAndReportsUsage() {
    try (Embedder e = embedder()) {
      var batch = e.embed(List.of("one", "two", "three"));
      assertThat(batch.embeddings()).hasSize(3);
      assertThat(batch.usage().requests()).isEqualTo(2);
      assertThat(server.requests()).isEqualTo(2);
    }
  }

  @Test
  void reportsServerErrorsAsRetriableAndRejectionsAsPermanent() {
    try (Embedder e = embedder()) {
      server.failNext(503);
      assertThatThrownBy(() -> e.embed(List.of("x")))
          .isInstanceOf(RetriableException.class)
          .hasMessage(server.url() + " answered HTTP 503; retry later.");
      server.failNext(400);
      assertThatThrownBy(() -> e.embed(List.of("x")))
          .isInstanceOfSatisfying(
              NonRetriableException.class,
              ex -> assertThat(ex.code()).isEqualTo(ErrorCode.EMBEDDER_REJECTED));
    }
  }

  @Test
  void requiresTheUrlOption() {
    assertThatThrownBy(() -> new InHouseEmbedderProvider().create(Map.of("dimension", "16")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("inhouse option 'url' is required but was not set");
  }
}
