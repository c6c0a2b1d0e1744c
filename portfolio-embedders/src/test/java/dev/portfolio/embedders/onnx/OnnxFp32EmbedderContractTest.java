package dev.portfolio.embedders.onnx;

import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.testkit.EmbedderContract;
import java.util.Map;

/** The embedder contract for the fp32 onnx embedder, batching 8 texts per run. */
class OnnxFp32EmbedderContractTest extends EmbedderContract {
  @Override
  protected Embedder createEmbedder() {
    return new OnnxEmbedderProvider().create(Map.of("variant", "fp32", "batchSize", "8"));
  }

  @Override
  protected int largeBatchSize() {
    return 40;
  }
}
