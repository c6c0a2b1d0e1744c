package dev.portfolio.embedders.voyage;

import dev.portfolio.core.spi.EmbedderInfo;
import dev.portfolio.core.spi.InputType;
import dev.portfolio.embedders.internal.RemoteEmbedder;
import dev.portfolio.embedders.internal.RemoteSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Calls Voyage AI's {@code /v1/embeddings} endpoint. */
final class VoyageEmbedder extends RemoteEmbedder {
  private final Integer outputDimension;
  private final boolean sendInputType;
  private final boolean truncation;

  VoyageEmbedder(
      EmbedderInfo info,
      RemoteSettings settings,
      Integer outputDimension,
      boolean sendInputType,
      boolean truncation) {
    super(info, settings);
    this.outputDimension = outputDimension;
    this.sendInputType = sendInputType;
    this.truncation = truncation;
  }

  @Override
  protected Map<String, Object> requestBody(List<String> texts, InputType type) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("model", info().model());
    body.put("input", texts);
    body.put("input_type", sendInputType ? type.name().toLowerCase(Locale.ROOT) : null);
    body.put("truncation", truncation);
    if (outputDimension != null) {
      body.put("output_dimension", outputDimension);
    }
    return body;
  }
}
