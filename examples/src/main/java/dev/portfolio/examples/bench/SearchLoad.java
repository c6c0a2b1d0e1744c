package dev.portfolio.examples.bench;

import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.PortfolioException;
import dev.portfolio.core.model.Embedding;
import dev.portfolio.core.model.SearchHit;
import dev.portfolio.core.model.VectorQuery;
import dev.portfolio.core.spi.VectorStore;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A live search load during a model switch: one thread runs vector searches (limit 10) against the
 * collection at a fixed rate and records each one's latency under the phase the switch was in when
 * the search started.
 *
 * <p>A search uses the query vector of the active set's model. When a switch changes the dimension,
 * the first search after activation fails with {@link ErrorCode#DIMENSION_MISMATCH} (the
 * application's query embedder must follow the switch); the thread then reads the active set, takes
 * that model's queries and counts the failure under the phase, as an application would see it.
 */
final class SearchLoad implements AutoCloseable {
  /** What the switch is doing while a search runs. */
  enum Phase {
    BEFORE("before the switch"),
    WRITE("during the write phase"),
    INDEX_BUILD("during the index build"),
    ACTIVATE("during the rest of activateSet"),
    AFTER("after activation, and after the drop"),
    SET_CHANGES("during rollback, activate again, drop");

    private final String label;

    Phase(String label) {
      this.label = label;
    }

    String label() {
      return label;
    }
  }

  /**
   * The searches of one phase.
   *
   * @param count searches that returned
   * @param p50Ms median latency in milliseconds (NaN without searches)
   * @param p99Ms 99th percentile latency in milliseconds (NaN without searches)
   * @param maxMs slowest search in milliseconds (NaN without searches)
   * @param shortResults searches that returned fewer than 10 hits
   * @param mismatches searches refused for the dimension (the query's model was switched)
   * @param errors searches that failed otherwise
   */
  record Stats(
      int count,
      double p50Ms,
      double p99Ms,
      double maxMs,
      int shortResults,
      int mismatches,
      int errors) {}

  private static final int LIMIT = 10;

  private final VectorStore store;
  private final String collection;
  private final Map<String, List<Embedding>> queriesByModel;
  private final long intervalNanos;
  private final Thread thread;
  private final Map<Phase, List<Long>> latencies = new EnumMap<>(Phase.class);
  private final Map<Phase, Counts> counts = new EnumMap<>(Phase.class);
  private volatile Phase phase = Phase.BEFORE;
  private volatile boolean stopped;
  private volatile String firstError;

  /**
   * Starts searching.
   *
   * @param store the store
   * @param collection the collection
   * @param queriesByModel query vectors per model name; must cover every model the switch activates
   * @param perSecond searches per second, or 0 to search back to back
   */
  SearchLoad(
      VectorStore store,
      String collection,
      Map<String, List<Embedding>> queriesByModel,
      int perSecond) {
    this.store = store;
    this.collection = collection;
    this.queriesByModel = Map.copyOf(queriesByModel);
    this.intervalNanos = perSecond == 0 ? 0 : TimeUnit.SECONDS.toNanos(1) / perSecond;
    for (Phase p : Phase.values()) {
      latencies.put(p, new ArrayList<>());
      counts.put(p, new Counts());
    }
    this.thread = new Thread(this::loop, "search-load");
    thread.setDaemon(true);
    thread.start();
  }

  /** Labels the searches that start from now on. */
  void phase(Phase value) {
    phase = value;
  }

  /** Stops the thread and waits for its last search; {@link #stats} is readable afterwards. */
  @Override
  public void close() {
    stopped = true;
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The searches of a phase; call after {@link #close}. */
  Stats stats(Phase p) {
    long[] sorted = latencies.get(p).stream().mapToLong(Long::longValue).sorted().toArray();
    Counts c = counts.get(p);
    return new Stats(
        sorted.length,
        percentile(sorted, 0.50),
        percentile(sorted, 0.99),
        sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e6,
        c.shortResults,
        c.mismatches,
        c.errors);
  }

  /** The first unexpected error a search raised, or null. */
  String firstError() {
    return firstError;
  }

  private static double percentile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    // Nearest rank: the smallest sample with at least q of all samples at or below it.
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, rank - 1)] / 1e6;
  }

  private void loop() {
    String model = null;
    long next = System.nanoTime();
    int i = 0;
    while (!stopped) {
      if (intervalNanos > 0) {
        long now = System.nanoTime();
        if (now < next) {
          LockSupport.parkNanos(next - now);
          continue;
        }
        // A slow search does not cause a burst of catch-up searches afterwards.
        next = Math.max(next, now - intervalNanos) + intervalNanos;
      }
      Phase p = phase;
      try {
        if (model == null) {
          model = store.activeSet(collection).model();
        }
        List<Embedding> queries = queriesByModel.get(model);
        Embedding query = queries.get(i++ % queries.size());
        long start = System.nanoTime();
        List<SearchHit> hits = store.search(VectorQuery.of(collection, query, LIMIT));
        latencies.get(p).add(System.nanoTime() - start);
        if (hits.size() < LIMIT) {
          counts.get(p).shortResults++;
        }
      } catch (PortfolioException e) {
        if (e.code() == ErrorCode.DIMENSION_MISMATCH) {
          counts.get(p).mismatches++;
          model = null;
        } else {
          error(p, e);
        }
      } catch (RuntimeException e) {
        error(p, e);
      }
    }
  }

  private void error(Phase p, RuntimeException e) {
    counts.get(p).errors++;
    if (firstError == null) {
      firstError = p.label() + ": " + e;
    }
  }

  /** What went other than well in one phase; written by the search thread only. */
  private static final class Counts {
    private int shortResults;
    private int mismatches;
    private int errors;
  }
}
