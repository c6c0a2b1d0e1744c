package dev.portfolio.maintenance.testing;

import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.spi.EmbedderInfo;
import dev.portfolio.core.spi.EmbeddingBatch;
import dev.portfolio.core.spi.InputType;
import java.util.List;

/** Presents a delegate under another model id, as if it were another model. */
public final class RenamedEmbedder implements Embedder {
  private final Embedder delegate;
  private final EmbedderInfo info;

  /**
   * Wraps an embedder.
   *
   * @param delegate the embedder
   * @param model the model id to report
   */
  public RenamedEmbedder(Embedder delegate, String model) {
    this.delegate = delegate;
    EmbedderInfo d = delegate.info();
    this.info =
        new EmbedderInfo(d.provider(), model, d.dimension(), d.maxBatchSize(), d.maxInputTokens());
  }

  @Override
  public EmbedderInfo info() {
    return info;
  }

  @Override
  public EmbeddingBatch embed(List<String> texts, InputType type) {
    return delegate.embed(texts, type);
  }
}
