package dev.portfolio.maintenance.internal;

import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.NonRetriableException;
import dev.portfolio.core.model.Embedding;
import dev.portfolio.core.spi.EmbeddingBatch;

/** Checks shared by the re-embed and ingest pipelines on what an embedder returned. */
final class EmbedderResponses {
  /** The longest failure reason kept per chunk or document. */
  static final int MAX_REASON_LENGTH = 1000;

  private EmbedderResponses() {}

  /**
   * Checks that a batch has one vector per text, each of the embedder's declared dimension.
   *
   * @throws NonRetriableException EMBEDDER_INVALID_RESPONSE naming what is wrong
   */
  static void check(EmbeddingBatch result, String model, int dimension, int expected) {
    if (result.embeddings().size() != expected) {
      throw new NonRetriableException(
          ErrorCode.EMBEDDER_INVALID_RESPONSE,
          "The embedder "
              + model
              + " returned "
              + result.embeddings().size()
              + " vectors for "
              + expected
              + " texts; the Embedder contract asks for exactly one per text, in order.");
    }
    for (Embedding e : result.embeddings()) {
      if (e.dimension() != dimension) {
        throw new NonRetriableException(
            ErrorCode.EMBEDDER_INVALID_RESPONSE,
            "The embedder "
                + model
                + " returned a vector of "
                + e.dimension()
                + " dimensions although its info() says "
                + dimension
                + "; nothing of that batch was written.");
      }
    }
  }

  /** A failure's message, cut to {@link #MAX_REASON_LENGTH} characters. */
  static String reason(RuntimeException e) {
    String m = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
    return m.length() <= MAX_REASON_LENGTH ? m : m.substring(0, MAX_REASON_LENGTH) + "...";
  }
}
