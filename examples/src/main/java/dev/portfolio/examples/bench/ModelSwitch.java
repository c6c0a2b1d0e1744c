package dev.portfolio.examples.bench;

import dev.portfolio.core.model.Chunk;
import dev.portfolio.core.model.ChunkQuery;
import dev.portfolio.core.model.Embedding;
import dev.portfolio.core.model.EmbeddingSet;
import dev.portfolio.core.model.EmbeddingState;
import dev.portfolio.core.model.EmbeddingUpdate;
import dev.portfolio.core.model.Page;
import dev.portfolio.core.model.VectorQuery;
import dev.portfolio.core.spi.VectorStore;
import dev.portfolio.examples.bench.SearchLoad.Phase;
import dev.portfolio.examples.bench.SwitchCorpus.Model;
import dev.portfolio.index.pgvector.PgVectorStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;

/**
 * One model switch of a collection, timed step by step while a {@link SearchLoad} searches it:
 * {@code createBuildingSet}; the write phase (the chunks missing in the set, read in keyset pages
 * and written with one {@code writeVectors} call per page); {@code activateSet}, split into the
 * index build and the rest by watching {@code pg_index}; {@code rollback}; {@code activateSet}
 * again, the index existing; {@code dropSet} of the retired set.
 */
final class ModelSwitch {
  private static final int QUERIES = 256;

  /**
   * The write phase.
   *
   * @param rows vectors written
   * @param pages pages read
   * @param listSeconds time in {@code listChunks} (on the reader thread, overlapping the writes)
   * @param writeSeconds time in {@code writeVectors}, summed over the calls (which overlap when
   *     several writers run)
   * @param seconds the whole phase: pages read (overlapped), vectors looked up, vectors written
   * @param firstPagesMs mean {@code listChunks} time of the first tenth of the pages
   * @param lastPagesMs mean {@code listChunks} time of the last tenth of the (full) pages
   */
  record Writes(
      int rows,
      int pages,
      double listSeconds,
      double writeSeconds,
      double seconds,
      double firstPagesMs,
      double lastPagesMs) {
    double rowsPerSecond() {
      return rows / seconds;
    }
  }

  /**
   * A switch, step by step.
   *
   * @param from the model switched from
   * @param to the model switched to
   * @param createSeconds {@code createBuildingSet}
   * @param writes the write phase
   * @param activateSeconds the first {@code activateSet}, index build included
   * @param buildSeconds the part of it until the new index was valid (NaN when not observed)
   * @param rollbackSeconds {@code rollback}
   * @param reactivateSeconds the second {@code activateSet}, the index existing
   * @param dropSeconds {@code dropSet} of the retired set
   * @param searches the searches per phase
   * @param searchError the first unexpected search error, or null
   */
  record Result(
      Model from,
      Model to,
      double createSeconds,
      Writes writes,
      double activateSeconds,
      double buildSeconds,
      double rollbackSeconds,
      double reactivateSeconds,
      double dropSeconds,
      Map<Phase, SearchLoad.Stats> searches,
      String searchError) {
    double restOfActivation() {
      return activateSeconds - buildSeconds;
    }
  }

  private final PgVectorStore store;
  private final VectorStore searchStore;
  private final DataSource pool;
  private final String schema;
  private final String collection;
  private final int batch;
  private final int writers;
  private final int searchRate;
  private final Duration window;

  /**
   * Prepares switches of one collection.
   *
   * @param store the store that switches
   * @param searchStore the store the searches go through (same schema, possibly another pool)
   * @param pool a data source for watching the index build
   * @param schema the schema
   * @param collection the collection
   * @param batch chunks per page and per {@code writeVectors} call
   * @param writers {@code writeVectors} calls in flight at once, each on its own thread
   * @param searchRate searches per second (0: back to back)
   * @param window how long searches run before the switch, after activation and after the drop
   */
  ModelSwitch(
      PgVectorStore store,
      VectorStore searchStore,
      DataSource pool,
      String schema,
      String collection,
      int batch,
      int writers,
      int searchRate,
      Duration window) {
    this.store = store;
    this.searchStore = searchStore;
    this.pool = pool;
    this.schema = schema;
    this.collection = collection;
    this.batch = batch;
    this.writers = writers;
    this.searchRate = searchRate;
    this.window = window;
  }

  /**
   * Switches the collection from one model to another, then rolls back, activates again and drops
   * the old set, while searches go on.
   *
   * @param corpus the corpus the collection holds
   * @param from the active model
   * @param to the new model
   * @return the timings
   */
  Result run(SwitchCorpus corpus, Model from, Model to) {
    // The zero-cost embedder: every vector computed before anything is timed.
    Embedding[] vectors = corpus.embedAll(to);
    Map<String, List<Embedding>> queries =
        Map.of(from.name(), corpus.queries(from, QUERIES), to.name(), corpus.queries(to, QUERIES));
    long oldSet = store.activeSet(collection).id();
    SearchLoad searches = new SearchLoad(searchStore, collection, queries, searchRate);
    try {
      pause(window);
      searches.phase(Phase.WRITE);
      long start = System.nanoTime();
      EmbeddingSet set = store.createBuildingSet(collection, to.name(), to.dimension());
      double create = since(start);
      Writes writes = writeMissing(set, vectors);
      long missing = store.stats(collection, set.id()).missingChunks();
      if (missing != 0 || writes.rows() != corpus.chunks()) {
        throw new IllegalStateException(
            "The write phase left "
                + missing
                + " chunks missing in set "
                + set.id()
                + " (wrote "
                + writes.rows()
                + " of "
                + corpus.chunks()
                + ")");
      }

      searches.phase(Phase.INDEX_BUILD);
      double activate;
      double build;
      try (IndexWatch watch =
          new IndexWatch(pool, schema, set.id(), () -> searches.phase(Phase.ACTIVATE))) {
        start = System.nanoTime();
        store.activateSet(collection, set.id());
        long end = System.nanoTime();
        activate = (end - start) / 1e9;
        long valid = watch.validAt();
        build = valid == 0 ? Double.NaN : (Math.min(valid, end) - start) / 1e9;
      }
      searches.phase(Phase.AFTER);
      checkPlan(set.id(), queries.get(to.name()).get(0));
      pause(window);

      searches.phase(Phase.SET_CHANGES);
      start = System.nanoTime();
      store.rollback(collection);
      double rollback = since(start);
      start = System.nanoTime();
      store.activateSet(collection, set.id());
      double reactivate = since(start);
      start = System.nanoTime();
      if (!store.dropSet(collection, oldSet)) {
        throw new IllegalStateException("dropSet found no set " + oldSet);
      }
      double drop = since(start);
      searches.phase(Phase.AFTER);
      pause(window);
      searches.close();

      Map<Phase, SearchLoad.Stats> stats = new EnumMap<>(Phase.class);
      for (Phase p : Phase.values()) {
        stats.put(p, searches.stats(p));
      }
      return new Result(
          from,
          to,
          create,
          writes,
          activate,
          build,
          rollback,
          reactivate,
          drop,
          stats,
          searches.firstError());
    } finally {
      searches.close();
    }
  }

  /**
   * The write phase: reads the chunks the set misses in keyset pages and writes their vectors, one
   * {@code writeVectors} call per page. As in the library's re-embed runs ({@code ReembedRun}: a
   * page reader thread, and up to {@code maxConcurrency} batches, default 4, written at once), the
   * next page is read on a thread of its own while up to {@code writers} pages are written, each by
   * a thread of its own; memory stays at {@code writers + 2} pages. A page's write cannot change
   * the next page: the keyset continues after the page's last chunk.
   */
  private Writes writeMissing(EmbeddingSet set, Embedding[] vectors) {
    ChunkQuery first =
        ChunkQuery.of(collection, batch).inSet(set.id()).withEmbeddingState(EmbeddingState.MISSING);
    List<Long> pageNanos = new ArrayList<>();
    AtomicLong writing = new AtomicLong();
    List<Future<Integer>> written = new ArrayList<>();
    Semaphore slots = new Semaphore(writers);
    ExecutorService reader = Executors.newSingleThreadExecutor();
    ExecutorService writerPool = Executors.newFixedThreadPool(writers);
    long start = System.nanoTime();
    int rows = 0;
    try {
      Future<TimedPage> next = reader.submit(() -> TimedPage.read(store, first));
      while (next != null) {
        TimedPage read = next.get();
        Page<Chunk> page = read.page();
        pageNanos.add(read.nanos());
        next =
            page.hasNext()
                ? reader.submit(
                    () -> TimedPage.read(store, first.after(page.nextAfter().getAsLong())))
                : null;
        List<EmbeddingUpdate> updates = new ArrayList<>(page.items().size());
        for (Chunk c : page.items()) {
          Embedding v = vectors[SwitchCorpus.chunkNumber(c.documentKey(), c.ordinal())];
          updates.add(new EmbeddingUpdate(c.id(), v, set.model(), c.contentHash()));
        }
        if (updates.isEmpty()) {
          continue;
        }
        slots.acquire();
        written.add(
            writerPool.submit(
                () -> {
                  try {
                    long t0 = System.nanoTime();
                    int n = store.writeVectors(collection, set.id(), updates);
                    writing.addAndGet(System.nanoTime() - t0);
                    return n;
                  } finally {
                    slots.release();
                  }
                }));
      }
      for (Future<Integer> f : written) {
        rows += f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the write phase failed", e.getCause());
    } finally {
      reader.shutdownNow();
      writerPool.shutdownNow();
    }
    double seconds = since(start);
    long[] pages = pageNanos.stream().mapToLong(Long::longValue).toArray();
    // The last page is short (or empty): leave it out of the per-page means.
    int full = Math.max(1, pages.length - 1);
    int tenth = Math.max(1, full / 10);
    return new Writes(
        rows,
        pages.length,
        Arrays.stream(pages).sum() / 1e9,
        writing.get() / 1e9,
        seconds,
        Arrays.stream(pages, 0, tenth).average().orElse(Double.NaN) / 1e6,
        Arrays.stream(pages, full - tenth, full).average().orElse(Double.NaN) / 1e6);
  }

  /** A page of {@code listChunks} and the time it took. */
  private record TimedPage(Page<Chunk> page, long nanos) {
    static TimedPage read(VectorStore store, ChunkQuery query) {
      long t0 = System.nanoTime();
      Page<Chunk> page = store.listChunks(query);
      return new TimedPage(page, System.nanoTime() - t0);
    }
  }

  /** Warns when searches of the new active set do not use its HNSW index. */
  private void checkPlan(long setId, Embedding query) {
    String plan = store.explainSearch(VectorQuery.of(collection, query, 10));
    if (!plan.contains("embeddings_" + setId + "_ann")) {
      System.out.println(
          "WARNING: searches after activation do not use the new set's HNSW index:\n" + plan);
    }
  }

  private static double since(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  /** Lets the search load run for a while in the current phase. */
  private static void pause(Duration d) {
    long end = System.nanoTime() + d.toNanos();
    for (long left = d.toNanos(); left > 0; left = end - System.nanoTime()) {
      LockSupport.parkNanos(left);
    }
  }

  /**
   * Polls {@code pg_index} until a set's ANN index is valid, which is when {@code CREATE INDEX
   * CONCURRENTLY} has finished, then runs a callback: splits {@code activateSet} into the index
   * build and the rest without reading the server log (the store has no public call that builds a
   * building set's index on its own).
   */
  private static final class IndexWatch implements AutoCloseable {
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final Thread thread;
    private volatile boolean stopped;
    private volatile long validAt;

    IndexWatch(DataSource pool, String schema, long setId, Runnable onValid) {
      String index = schema + ".embeddings_" + setId + "_ann";
      this.thread = new Thread(() -> poll(pool, index, onValid), "index-watch");
      thread.setDaemon(true);
      thread.start();
    }

    /** When the index was first seen valid ({@link System#nanoTime()}), or 0. */
    long validAt() {
      return validAt;
    }

    private void poll(DataSource pool, String index, Runnable onValid) {
      try (Connection c = pool.getConnection();
          PreparedStatement ps =
              c.prepareStatement(
                  "SELECT coalesce((SELECT indisvalid FROM pg_catalog.pg_index"
                      + " WHERE indexrelid = to_regclass(?)), false)")) {
        ps.setString(1, index);
        while (!stopped) {
          try (ResultSet rs = ps.executeQuery()) {
            if (rs.next() && rs.getBoolean(1)) {
              validAt = System.nanoTime();
              onValid.run();
              return;
            }
          }
          LockSupport.parkNanos(POLL_NANOS);
        }
      } catch (SQLException e) {
        System.out.println("WARNING: watching the index build failed: " + e.getMessage());
      }
    }

    @Override
    public void close() {
      stopped = true;
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
