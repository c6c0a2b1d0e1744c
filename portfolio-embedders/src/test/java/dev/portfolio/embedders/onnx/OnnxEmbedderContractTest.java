package dev.portfolio.embedders.onnx;

import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.testkit.EmbedderContract;
import java.util.Map;

/** The embedder contract for the default onnx embedder (int8 all-MiniLM-L6-v2). */
class OnnxEmbedderContractTest extends EmbedderContract {
  @Override
  protected Embedder createEmbedder() {
    return new OnnxEmbedderProvider().create(Map.of());
  }
}
