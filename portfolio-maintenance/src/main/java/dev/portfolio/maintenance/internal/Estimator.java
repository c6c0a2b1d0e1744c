package dev.portfolio.maintenance.internal;

import dev.portfolio.core.model.Chunk;
import dev.portfolio.core.model.EmbeddingSet;
import dev.portfolio.core.progress.ProgressTracker;
import dev.portfolio.core.spi.EmbeddingUsage;
import dev.portfolio.core.text.TokenCounter;
import dev.portfolio.maintenance.reembed.ReembedEstimate;
import dev.portfolio.maintenance.reembed.ReembedResult;
import java.time.Duration;
import java.util.List;

/**
 * The dry run of a re-embed: reads the chunks the run would select, page by page as the run would,
 * and counts them and their tokens. Writes nothing.
 */
final class Estimator {
  private Estimator() {}

  /**
   * Counts what a run would do.
   *
   * @param settings the store and the progress reporter
   * @param spec the run
   * @param pricePer1kTokens the embedder's price of 1,000 tokens, 0 for none
   * @return a dry-run result with one estimate
   */
  static ReembedResult estimate(Settings settings, RunSpec spec, double pricePer1kTokens) {
    return estimate(settings, spec, spec.target(), pricePer1kTokens);
  }

  /**
   * Counts what a run would do, reporting another set as the target: the set a model switch would
   * create, when the count reads the active set.
   *
   * @param settings the store and the progress reporter
   * @param spec the run
   * @param reported the set named in the result
   * @param pricePer1kTokens the embedder's price of 1,000 tokens, 0 for none
   * @return a dry-run result with one estimate
   */
  static ReembedResult estimate(
      Settings settings, RunSpec spec, EmbeddingSet reported, double pricePer1kTokens) {
    long start = System.nanoTime();
    long chunks = 0;
    long tokens = 0;
    long estimated = 0;
    TokenCounter counter = TokenCounter.approximate();
    try (ProgressTracker progress =
        ProgressTracker.start(
            settings.progress(),
            spec.operation() + " (dry run)",
            ReembedRun.plannedTotal(settings.store(), spec))) {
      ChunkPages pages = new ChunkPages(settings.store(), spec);
      for (List<Chunk> page = pages.next(); !page.isEmpty(); page = pages.next()) {
        for (Chunk c : page) {
          chunks++;
          if (c.tokenCount() > 0) {
            tokens += c.tokenCount();
          } else {
            tokens += counter.count(c.text());
            estimated++;
          }
        }
        progress.advance(page.size());
      }
      ReembedResult result =
          new ReembedResult(
              spec.collection(),
              reported.id(),
              reported.model(),
              spec.mode(),
              true,
              false,
              chunks,
              0,
              0,
              0,
              0,
              List.of(),
              EmbeddingUsage.NONE,
              Duration.ofNanos(System.nanoTime() - start),
              List.of(
                  new ReembedEstimate(
                      spec.collection(), chunks, tokens, estimated, pricePer1kTokens)));
      progress.succeed(result.summary());
      return result;
    }
  }
}
