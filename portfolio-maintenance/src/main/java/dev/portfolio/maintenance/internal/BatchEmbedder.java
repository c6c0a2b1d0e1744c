package dev.portfolio.maintenance.internal;

import dev.portfolio.core.error.NonRetriableException;
import dev.portfolio.core.model.Chunk;
import dev.portfolio.core.model.Embedding;
import dev.portfolio.core.model.EmbeddingUpdate;
import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.spi.EmbeddingBatch;
import dev.portfolio.core.spi.EmbeddingUsage;
import dev.portfolio.maintenance.reembed.ChunkError;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Embeds one batch of chunks: identical texts once, transient failures retried, and after a
 * permanent failure each text on its own, so that only the inputs the embedder rejects fail.
 * Thread-safe.
 */
final class BatchEmbedder {

  private final Embedder embedder;
  private final EmbedRetry retry;
  private final String model;
  private final int dimension;

  /**
   * Creates the step.
   *
   * @param embedder the embedder, whose model is the target set's
   * @param retry how transient failures are retried
   */
  BatchEmbedder(Embedder embedder, EmbedRetry retry) {
    this.embedder = embedder;
    this.retry = retry;
    this.model = embedder.info().modelRef();
    this.dimension = embedder.info().dimension();
  }

  /**
   * Embeds a batch.
   *
   * @param batch the chunks, not empty
   * @return the vectors to write and the chunks that failed
   * @throws dev.portfolio.core.error.RetriableException when the embedder stays unavailable after
   *     every attempt
   * @throws NonRetriableException when the embedder answers with an unusable response, or rejects
   *     every text of the batch one by one too (a configuration problem, not bad input)
   */
  BatchOutcome embed(List<Chunk> batch) {
    DistinctTexts distinct = DistinctTexts.of(batch);
    List<String> texts = distinct.texts();
    AtomicInteger retries = new AtomicInteger();
    EmbeddingBatch whole;
    try {
      whole = retry.call(model, () -> embedder.embed(texts), retries);
    } catch (NonRetriableException e) {
      return oneByOne(batch, distinct, e, retries);
    }
    EmbedderResponses.check(whole, model, dimension, texts.size());
    Embedding[] vectors = whole.embeddings().toArray(Embedding[]::new);
    return assemble(batch, distinct, vectors, new String[texts.size()], whole.usage(), retries);
  }

  private BatchOutcome oneByOne(
      List<Chunk> batch,
      DistinctTexts distinct,
      NonRetriableException batchError,
      AtomicInteger retries) {
    List<String> texts = distinct.texts();
    Embedding[] vectors = new Embedding[texts.size()];
    String[] reasons = new String[texts.size()];
    EmbeddingUsage usage = EmbeddingUsage.NONE;
    int rejected = 0;
    for (int i = 0; i < texts.size(); i++) {
      List<String> one = List.of(texts.get(i));
      EmbeddingBatch result;
      try {
        result = retry.call(model, () -> embedder.embed(one), retries);
      } catch (NonRetriableException e) {
        reasons[i] = EmbedderResponses.reason(e);
        rejected++;
        continue;
      }
      EmbedderResponses.check(result, model, dimension, 1);
      vectors[i] = result.embeddings().get(0);
      usage = usage.plus(result.usage());
    }
    if (rejected == texts.size() && texts.size() > 1) {
      throw new NonRetriableException(
          batchError.code(),
          "The embedder "
              + model
              + " rejected all "
              + texts.size()
              + " distinct texts of a batch, also one by one: "
              + EmbedderResponses.reason(batchError)
              + ". That points at its configuration (API key, model name, endpoint), not at the"
              + " texts, so the run stops instead of marking every chunk failed.",
          batchError);
    }
    return assemble(batch, distinct, vectors, reasons, usage, retries);
  }

  private BatchOutcome assemble(
      List<Chunk> batch,
      DistinctTexts distinct,
      Embedding[] vectors,
      String[] reasons,
      EmbeddingUsage usage,
      AtomicInteger retries) {
    List<EmbeddingUpdate> updates = new ArrayList<>(batch.size());
    List<ChunkError> failures = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      Chunk chunk = batch.get(i);
      int text = distinct.textOf(i);
      if (vectors[text] != null) {
        updates.add(new EmbeddingUpdate(chunk.id(), vectors[text], model, chunk.contentHash()));
      } else {
        failures.add(new ChunkError(chunk.id(), chunk.documentKey(), reasons[text]));
      }
    }
    int extra = retries.get();
    EmbeddingUsage total = usage.plus(new EmbeddingUsage(0, extra, extra));
    return new BatchOutcome(updates, failures, total, distinct.duplicates());
  }
}
