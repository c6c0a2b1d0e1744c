package dev.portfolio.core.spi;

import dev.portfolio.core.model.Embedding;
import java.util.List;
import java.util.Objects;

/**
 * The result of one {@link Embedder#embed} call: one embedding per input, in input order.
 *
 * @param embeddings the embeddings, immutable
 * @param usage what the call cost
 * @since 0.1.0
 */
public record EmbeddingBatch(List<Embedding> embeddings, EmbeddingUsage usage) {
  /** Copies the list. */
  public EmbeddingBatch {
    embeddings = List.copyOf(embeddings);
    Objects.requireNonNull(usage, "usage");
  }
}
