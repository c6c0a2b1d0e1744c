package dev.portfolio.maintenance.testing;

import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.NonRetriableException;
import dev.portfolio.core.error.RetriableException;
import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.spi.EmbedderInfo;
import dev.portfolio.core.spi.EmbeddingBatch;
import dev.portfolio.core.spi.InputType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Injects failures, deterministically by seed whatever the order of calls: a request (its list of
 * texts) fails transiently on an attempt when a hash of seed, texts and attempt number falls under
 * {@code transientPercent}; a request that contains a text {@code rejects} accepts fails
 * permanently, naming the text, like a 400 from a service. Thread-safe.
 */
public final class FaultyEmbedder implements Embedder {
  private final Embedder delegate;
  private final long seed;
  private final int transientPercent;
  private final Predicate<String> rejects;
  private final Map<List<String>, AtomicInteger> attempts = new ConcurrentHashMap<>();
  private final AtomicInteger transientFailures = new AtomicInteger();

  /**
   * Wraps an embedder.
   *
   * @param delegate the embedder
   * @param seed the seed of the transient failures
   * @param transientPercent the share of attempts that fail transiently, 0 to 100
   * @param rejects the texts rejected permanently
   */
  public FaultyEmbedder(
      Embedder delegate, long seed, int transientPercent, Predicate<String> rejects) {
    this.delegate = delegate;
    this.seed = seed;
    this.transientPercent = transientPercent;
    this.rejects = rejects;
  }

  /**
   * Rejects texts by a hash of seed and text: about {@code permille} of 1,000 texts.
   *
   * @param seed the seed
   * @param permille how many of 1,000 texts are rejected
   * @return the predicate
   */
  public static Predicate<String> rejectsByHash(long seed, int permille) {
    return text -> Math.floorMod(mix(seed ^ text.hashCode()), 1000) < permille;
  }

  @Override
  public EmbedderInfo info() {
    return delegate.info();
  }

  @Override
  public EmbeddingBatch embed(List<String> texts, InputType type) {
    int attempt =
        attempts.computeIfAbsent(List.copyOf(texts), k -> new AtomicInteger()).getAndIncrement();
    if (Math.floorMod(mix(seed * 31 + texts.hashCode() * 17L + attempt), 100) < transientPercent) {
      transientFailures.incrementAndGet();
      throw new RetriableException(
          ErrorCode.EMBEDDER_UNAVAILABLE,
          "injected transient failure (attempt " + (attempt + 1) + ")",
          null,
          Duration.ZERO);
    }
    for (int i = 0; i < texts.size(); i++) {
      if (rejects.test(texts.get(i))) {
        throw new NonRetriableException(
            ErrorCode.EMBEDDER_REJECTED,
            "input " + i + " rejected: '" + texts.get(i) + "' is not allowed");
      }
    }
    return delegate.embed(texts, type);
  }

  /**
   * Returns how many calls failed transiently.
   *
   * @return the count
   */
  public int transientFailures() {
    return transientFailures.get();
  }

  private static long mix(long h) {
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }
}
