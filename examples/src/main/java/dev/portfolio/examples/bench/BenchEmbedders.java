package dev.portfolio.examples.bench;

import dev.portfolio.core.model.Embedding;
import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.spi.EmbedderInfo;
import dev.portfolio.core.spi.EmbeddingBatch;
import dev.portfolio.core.spi.EmbeddingUsage;
import dev.portfolio.core.spi.InputType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Embedders of the re-embed benchmarks, whose cost is known: none, or a fixed latency per call.
 * Thread-safe.
 */
final class BenchEmbedders {
  private BenchEmbedders() {}

  /**
   * An embedder that looks the vectors up in a map computed before timing: a model that costs
   * nothing.
   *
   * @param model the model name (provider {@code bench})
   * @param dimension the dimension
   * @param vectors the vector of every text it will be asked for
   * @return the embedder
   */
  static Embedder precomputed(String model, int dimension, Map<String, Embedding> vectors) {
    EmbedderInfo info = new EmbedderInfo("bench", model, dimension, 10_000, 8192);
    return new Embedder() {
      @Override
      public EmbedderInfo info() {
        return info;
      }

      @Override
      public EmbeddingBatch embed(List<String> texts, InputType type) {
        List<Embedding> out = new ArrayList<>(texts.size());
        for (String t : texts) {
          Embedding e = vectors.get(t);
          if (e == null) {
            throw new IllegalStateException("No precomputed vector for a text: " + t);
          }
          out.add(e);
        }
        return new EmbeddingBatch(out, EmbeddingUsage.NONE);
      }
    };
  }

  /**
   * An embedder whose every call takes a fixed time (a remote model's latency, spent waiting, not
   * computing) and returns unit vectors drawn from each text's hash (a microsecond or two each). It
   * counts calls and measures how many were in flight.
   */
  static final class Latency implements Embedder {
    private final EmbedderInfo info;
    private final long latencyNanos;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong texts = new AtomicLong();
    private final AtomicLong busyNanos = new AtomicLong();

    /**
     * Creates the embedder.
     *
     * @param model the model name (provider {@code bench})
     * @param dimension the dimension
     * @param maxBatchSize the most texts a call takes
     * @param latency the time each call takes, zero for none
     */
    Latency(String model, int dimension, int maxBatchSize, Duration latency) {
      this.info = new EmbedderInfo("bench", model, dimension, maxBatchSize, 8192);
      this.latencyNanos = latency.toNanos();
    }

    @Override
    public EmbedderInfo info() {
      return info;
    }

    @Override
    public EmbeddingBatch embed(List<String> batch, InputType type) {
      if (batch.size() > info.maxBatchSize()) {
        throw new IllegalArgumentException(
            "the benchmark embedder takes at most " + info.maxBatchSize() + " texts per call");
      }
      long start = System.nanoTime();
      maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      try {
        List<Embedding> out = new ArrayList<>(batch.size());
        for (String t : batch) {
          out.add(vector(t, info.dimension()));
        }
        long until = start + latencyNanos;
        for (long left = until - System.nanoTime(); left > 0; left = until - System.nanoTime()) {
          LockSupport.parkNanos(left);
        }
        calls.incrementAndGet();
        texts.addAndGet(batch.size());
        return new EmbeddingBatch(out, EmbeddingUsage.NONE);
      } finally {
        inFlight.decrementAndGet();
        busyNanos.addAndGet(System.nanoTime() - start);
      }
    }

    long calls() {
      return calls.get();
    }

    long texts() {
      return texts.get();
    }

    int maxInFlight() {
      return maxInFlight.get();
    }

    /** The time spent inside calls, summed over threads. */
    double busySeconds() {
      return busyNanos.get() / 1e9;
    }

    void reset() {
      calls.set(0);
      texts.set(0);
      busyNanos.set(0);
      maxInFlight.set(0);
    }
  }

  /** A unit vector drawn from a text's hash. */
  static Embedding vector(String text, int dimension) {
    SplittableRandom r = new SplittableRandom(text.hashCode() * 0x9E3779B97F4A7C15L);
    float[] v = new float[dimension];
    double norm = 0;
    for (int i = 0; i < dimension; i++) {
      v[i] = (float) (r.nextDouble() - 0.5);
      norm += v[i] * v[i];
    }
    float inv = (float) (1 / Math.sqrt(norm));
    for (int i = 0; i < dimension; i++) {
      v[i] *= inv;
    }
    return Embedding.of(v);
  }
}
