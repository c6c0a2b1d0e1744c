package dev.portfolio.maintenance.internal;

import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.NonRetriableException;
import dev.portfolio.core.model.Embedding;
import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.spi.EmbeddingBatch;
import dev.portfolio.core.spi.EmbeddingUsage;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Embeds distinct texts in calls of at most the embedder's batch size: transient failures retried,
 * and after a permanent failure of a call each of its texts on its own, so that only the texts the
 * embedder rejects fail. Thread-safe.
 */
final class TextEmbedder {

  private final Embedder embedder;
  private final EmbedRetry retry;
  private final String model;
  private final int dimension;
  private final int batchSize;

  /** What embedding a list of texts gave: a vector or a reason per text, and the cost. */
  record Outcome(Embedding[] vectors, String[] reasons, EmbeddingUsage usage, long calls) {}

  TextEmbedder(Embedder embedder, EmbedRetry retry) {
    this.embedder = embedder;
    this.retry = retry;
    this.model = embedder.info().modelRef();
    this.dimension = embedder.info().dimension();
    this.batchSize = embedder.info().maxBatchSize();
  }

  Outcome embed(List<String> texts) {
    Embedding[] vectors = new Embedding[texts.size()];
    String[] reasons = new String[texts.size()];
    EmbeddingUsage usage = EmbeddingUsage.NONE;
    AtomicInteger retries = new AtomicInteger();
    long calls = 0;
    for (int from = 0; from < texts.size(); from += batchSize) {
      int to = Math.min(texts.size(), from + batchSize);
      List<String> part = texts.subList(from, to);
      calls++;
      EmbeddingBatch result;
      try {
        result = retry.call(model, () -> embedder.embed(part), retries);
      } catch (NonRetriableException e) {
        int rejected = 0;
        for (int i = from; i < to; i++) {
          List<String> one = List.of(texts.get(i));
          calls++;
          try {
            EmbeddingBatch single = retry.call(model, () -> embedder.embed(one), retries);
            EmbedderResponses.check(single, model, dimension, 1);
            vectors[i] = single.embeddings().get(0);
            usage = usage.plus(single.usage());
          } catch (NonRetriableException each) {
            if (each.code() == ErrorCode.EMBEDDER_INVALID_RESPONSE) {
              throw each;
            }
            reasons[i] = EmbedderResponses.reason(each);
            rejected++;
          }
        }
        if (rejected == part.size() && part.size() > 1) {
          throw new NonRetriableException(
              e.code(),
              "The embedder "
                  + model
                  + " rejected all "
                  + part.size()
                  + " texts of a call, also one by one: "
                  + EmbedderResponses.reason(e)
                  + ". That points at its configuration (API key, model name, endpoint), not at"
                  + " the documents, so the ingestion stops; the batches stored before are kept.",
              e);
        }
        continue;
      }
      EmbedderResponses.check(result, model, dimension, part.size());
      for (int i = 0; i < part.size(); i++) {
        vectors[from + i] = result.embeddings().get(i);
      }
      usage = usage.plus(result.usage());
    }
    int extra = retries.get();
    return new Outcome(vectors, reasons, usage.plus(new EmbeddingUsage(0, extra, extra)), calls);
  }
}
