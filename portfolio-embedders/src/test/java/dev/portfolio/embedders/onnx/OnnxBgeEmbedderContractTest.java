package dev.portfolio.embedders.onnx;

import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.testkit.EmbedderContract;
import java.util.Map;

/** The embedder contract for the bundled bge-small-en-v1.5 model. */
class OnnxBgeEmbedderContractTest extends EmbedderContract {
  @Override
  protected Embedder createEmbedder() {
    return new OnnxEmbedderProvider().create(Map.of("bundled", "bge-small-en-v1.5"));
  }

  @Override
  protected int largeBatchSize() {
    return 40;
  }
}
