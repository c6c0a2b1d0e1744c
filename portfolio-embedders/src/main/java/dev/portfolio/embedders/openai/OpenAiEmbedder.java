package dev.portfolio.embedders.openai;

import dev.portfolio.core.spi.EmbedderInfo;
import dev.portfolio.core.spi.InputType;
import dev.portfolio.embedders.internal.RemoteEmbedder;
import dev.portfolio.embedders.internal.RemoteSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Calls an OpenAI-compatible {@code /v1/embeddings} endpoint. */
final class OpenAiEmbedder extends RemoteEmbedder {
  private final Integer dimensions;

  OpenAiEmbedder(EmbedderInfo info, RemoteSettings settings, Integer dimensions) {
    super(info, settings);
    this.dimensions = dimensions;
  }

  @Override
  protected Map<String, Object> requestBody(List<String> texts, InputType type) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("model", info().model());
    body.put("input", texts);
    body.put("encoding_format", "float");
    if (dimensions != null) {
      body.put("dimensions", dimensions);
    }
    return body;
  }
}
