package dev.portfolio.core.inspect;

import dev.portfolio.core.validation.Inputs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Keeps the durations of a store's recent operations in memory, so that statistics can report
 * search latency without the store writing a row per search (reads never write). Each operation
 * keeps its last {@code capacity} samples in a ring: memory is bounded whatever the load, and a
 * window that held more operations than that is summarised from the most recent ones. Thread-safe;
 * recording takes a short lock per operation.
 *
 * @since 0.1.0
 */
public final class LatencyRecorder {
  /** Samples kept per operation by default: {@value}. */
  public static final int DEFAULT_CAPACITY = 8192;

  private final int capacity;
  private final LongSupplier nanoClock;
  private final Map<String, Ring> rings = new ConcurrentHashMap<>();

  /** Creates a recorder keeping {@value #DEFAULT_CAPACITY} samples per operation. */
  public LatencyRecorder() {
    this(DEFAULT_CAPACITY, System::nanoTime);
  }

  /**
   * Creates a recorder.
   *
   * @param capacity samples kept per operation, 1 to 1,000,000
   * @param nanoClock a monotonic clock in nanoseconds, like {@link System#nanoTime()}
   */
  public LatencyRecorder(int capacity, LongSupplier nanoClock) {
    this.capacity = Inputs.between("capacity", capacity, 1, 1_000_000);
    this.nanoClock = Inputs.requireNonNull("nanoClock", nanoClock);
  }

  /**
   * Returns the current time of the recorder's clock, to pass to {@link #record} as the start.
   *
   * @return nanoseconds
   */
  public long start() {
    return nanoClock.getAsLong();
  }

  /**
   * Records an operation that started at {@code startNanos} (from {@link #start()}) and ends now.
   *
   * @param operation the operation name
   * @param startNanos when it started
   */
  public void record(String operation, long startNanos) {
    long now = nanoClock.getAsLong();
    rings.computeIfAbsent(operation, k -> new Ring(capacity)).add(now, now - startNanos);
  }

  /**
   * Summarises the operations that ended within a window, one entry per operation that ran in it,
   * ordered by operation name.
   *
   * @param window how far back to look, positive
   * @return the summaries, with source {@link OperationLatency#IN_PROCESS}; empty when nothing ran
   */
  public List<OperationLatency> summaries(Duration window) {
    Inputs.requireNonNull("window", window);
    long since = nanoClock.getAsLong() - window.toNanos();
    List<OperationLatency> out = new ArrayList<>();
    for (Map.Entry<String, Ring> e : new TreeMap<>(rings).entrySet()) {
      long[] durations = e.getValue().since(since);
      if (durations.length > 0) {
        out.add(summarise(e.getKey(), durations, OperationLatency.IN_PROCESS));
      }
    }
    return out;
  }

  /**
   * Summarises durations: mean and 95th percentile (nearest rank).
   *
   * @param operation the operation name
   * @param durationsNanos the durations in nanoseconds, not empty; sorted in place
   * @param source where they come from
   * @return the summary
   */
  static OperationLatency summarise(String operation, long[] durationsNanos, String source) {
    Arrays.sort(durationsNanos);
    double sum = 0;
    for (long d : durationsNanos) {
      sum += d;
    }
    int rank = (int) Math.ceil(0.95 * durationsNanos.length) - 1;
    return new OperationLatency(
        operation,
        durationsNanos.length,
        sum / durationsNanos.length / 1e6,
        durationsNanos[Math.max(0, rank)] / 1e6,
        source);
  }

  /** The last samples of one operation. */
  private static final class Ring {
    private final long[] ends;
    private final long[] durations;
    private int next;
    private int size;

    Ring(int capacity) {
      ends = new long[capacity];
      durations = new long[capacity];
    }

    synchronized void add(long end, long duration) {
      ends[next] = end;
      durations[next] = duration;
      next = (next + 1) % ends.length;
      size = Math.min(size + 1, ends.length);
    }

    synchronized long[] since(long start) {
      long[] out = new long[size];
      int n = 0;
      for (int i = 0; i < size; i++) {
        if (ends[i] - start >= 0) {
          out[n++] = durations[i];
        }
      }
      return Arrays.copyOf(out, n);
    }
  }
}
