package dev.portfolio.maintenance.testing;

import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.spi.EmbedderInfo;
import dev.portfolio.core.spi.EmbeddingBatch;
import dev.portfolio.core.spi.InputType;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts, per text, how often a delegate embedded it successfully, and how many calls were in
 * flight at most. Thread-safe.
 */
public final class CountingEmbedder implements Embedder {
  private final Embedder delegate;
  private final Map<String, AtomicInteger> perText = new ConcurrentHashMap<>();
  private final AtomicInteger calls = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();

  /**
   * Wraps an embedder.
   *
   * @param delegate the embedder
   */
  public CountingEmbedder(Embedder delegate) {
    this.delegate = delegate;
  }

  @Override
  public EmbedderInfo info() {
    return delegate.info();
  }

  @Override
  public EmbeddingBatch embed(List<String> texts, InputType type) {
    calls.incrementAndGet();
    maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    try {
      EmbeddingBatch batch = delegate.embed(texts, type);
      texts.forEach(t -> perText.computeIfAbsent(t, k -> new AtomicInteger()).incrementAndGet());
      return batch;
    } finally {
      inFlight.decrementAndGet();
    }
  }

  /**
   * Returns how often each text was embedded successfully.
   *
   * @return counts by text
   */
  public Map<String, Integer> perText() {
    Map<String, Integer> out = new ConcurrentHashMap<>();
    perText.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  /**
   * Returns how often a text was embedded successfully.
   *
   * @param text the text
   * @return the count
   */
  public int count(String text) {
    AtomicInteger n = perText.get(text);
    return n == null ? 0 : n.get();
  }

  /**
   * Returns the calls made, failed ones included.
   *
   * @return the call count
   */
  public int calls() {
    return calls.get();
  }

  /**
   * Returns the largest number of calls in flight at once.
   *
   * @return the peak
   */
  public int maxInFlight() {
    return maxInFlight.get();
  }
}
