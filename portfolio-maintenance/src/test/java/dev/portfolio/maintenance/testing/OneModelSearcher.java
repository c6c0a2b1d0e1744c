package dev.portfolio.maintenance.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.PortfolioException;
import dev.portfolio.core.model.Embedding;
import dev.portfolio.core.model.SearchHit;
import dev.portfolio.core.model.VectorQuery;
import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.spi.VectorStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * Searches a collection without pause on a thread of its own and checks that every answer comes
 * from exactly one model: the query is embedded by the model whose dimension the collection has at
 * that moment, and each hit's score must be the cosine of that query and the same model's vector of
 * the hit's text. A search refused with DIMENSION_MISMATCH (the collection switched between reading
 * its dimension and searching) is retried, not counted.
 */
public final class OneModelSearcher {
  private final VectorStore store;
  private final String collection;
  private final Map<Integer, Embedder> byDimension;
  private final Function<Random, String> queries;
  private final AtomicBoolean stop = new AtomicBoolean();
  private final List<String> problems = new CopyOnWriteArrayList<>();
  private final Map<Integer, AtomicInteger> searches = new ConcurrentHashMap<>();
  private final Thread thread;

  /**
   * Prepares the searcher.
   *
   * @param store the store searched
   * @param collection the collection
   * @param byDimension the model of each dimension the collection may have
   * @param queries draws a query text
   */
  public OneModelSearcher(
      VectorStore store,
      String collection,
      Map<Integer, Embedder> byDimension,
      Function<Random, String> queries) {
    this.store = store;
    this.collection = collection;
    this.byDimension = Map.copyOf(byDimension);
    this.queries = queries;
    this.thread = new Thread(this::run, "one-model-searcher");
    this.thread.setDaemon(true);
  }

  /** Starts searching. */
  public void start() {
    thread.start();
  }

  /**
   * Stops searching and waits for the thread.
   *
   * @throws InterruptedException when interrupted while waiting
   */
  public void stop() throws InterruptedException {
    stop.set(true);
    thread.join();
  }

  /**
   * Returns what went wrong, empty when every search answered from one model.
   *
   * @return the problems
   */
  public List<String> problems() {
    return List.copyOf(problems);
  }

  /**
   * Returns the searches answered at a dimension.
   *
   * @param dimension the dimension
   * @return the count
   */
  public int searchesAt(int dimension) {
    AtomicInteger n = searches.get(dimension);
    return n == null ? 0 : n.get();
  }

  /**
   * Waits until a number of further searches answered at a dimension, failing after a minute or at
   * the first problem.
   *
   * @param dimension the dimension
   * @param count how many more searches
   */
  public void awaitSearches(int dimension, int count) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    int target = searchesAt(dimension) + count;
    while (searchesAt(dimension) < target) {
      assertThat(problems).isEmpty();
      assertThat(System.nanoTime()).as("searches at %d dimensions", dimension).isLessThan(deadline);
      LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
    }
  }

  private void run() {
    Random random = new Random(7);
    while (!stop.get()) {
      try {
        searchOnce(random);
      } catch (RuntimeException | AssertionError e) {
        problems.add("search failed: " + e);
      }
    }
  }

  private void searchOnce(Random random) {
    int dimension = store.findCollection(collection).orElseThrow().spec().dimension();
    Embedder model = byDimension.get(dimension);
    if (model == null) {
      problems.add("the collection has an unexpected dimension: " + dimension);
      return;
    }
    String text = queries.apply(random);
    Embedding query = model.embedQuery(text);
    List<SearchHit> hits;
    try {
      hits = store.search(VectorQuery.of(collection, query, 5));
    } catch (PortfolioException e) {
      if (e.code() != ErrorCode.DIMENSION_MISMATCH) {
        problems.add("search failed: " + e);
      }
      return;
    }
    if (hits.isEmpty()) {
      problems.add("no hits for '" + text + "' at " + dimension + " dimensions");
    }
    for (SearchHit hit : hits) {
      double expected = cosine(query, model.embedQuery(hit.text()));
      if (Math.abs(expected - hit.score()) > 1e-4) {
        problems.add(
            "hit "
                + hit.chunkId()
                + " scored "
                + hit.score()
                + " but "
                + expected
                + " under the "
                + dimension
                + "-dimension model "
                + model.info().modelRef());
      }
    }
    searches.computeIfAbsent(dimension, d -> new AtomicInteger()).incrementAndGet();
  }

  private static double cosine(Embedding a, Embedding b) {
    float[] x = a.toArray();
    float[] y = b.toArray();
    double dot = 0;
    double nx = 0;
    double ny = 0;
    for (int i = 0; i < x.length; i++) {
      dot += x[i] * y[i];
      nx += x[i] * x[i];
      ny += y[i] * y[i];
    }
    return dot / Math.sqrt(nx * ny);
  }
}
