package dev.portfolio.index.pgvector;

import dev.portfolio.core.error.PortfolioException;
import dev.portfolio.core.model.DocumentInput;
import dev.portfolio.core.model.UpsertResult;
import dev.portfolio.core.validation.DocumentChecks;
import dev.portfolio.index.internal.AnnIndexSql;
import dev.portfolio.index.internal.Identifiers;
import dev.portfolio.index.internal.SqlErrors;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upsert pipeline: validates every document on its own, splits the good ones into batches of
 * one transaction each, and isolates rows PostgreSQL itself rejects by writing a failed batch in
 * halves.
 *
 * <p>Batches are prepared (hashes, chunk digests, keyword vectors) and written by a few threads of
 * their own: up to {@code writeConnections} batches are written at once, each in its own
 * transaction on its own connection, while one more batch is prepared, so the server is not left
 * idle while the client hashes. The documents of one call have distinct keys, so its batches never
 * wait for each other's row locks. A failed batch stops new batches from starting; those already
 * running finish (each commits or rolls back as a whole) before the failure is thrown.
 */
final class UpsertPipeline {
  private static final Logger LOG = LoggerFactory.getLogger(UpsertPipeline.class);

  private static final AtomicInteger THREADS = new AtomicInteger();

  private final Db db;
  private final Catalog catalog;
  private final BatchWriter writer;
  private final int maxBatchDocuments;
  private final int maxBatchChunks;
  private final int writeConnections;

  UpsertPipeline(
      Db db, Catalog catalog, int maxBatchDocuments, int maxBatchChunks, int writeConnections) {
    this.db = db;
    this.catalog = catalog;
    this.writer = new BatchWriter(db.tables());
    this.maxBatchDocuments = maxBatchDocuments;
    this.maxBatchChunks = maxBatchChunks;
    this.writeConnections = writeConnections;
  }

  /** A document with its position in the caller's list. */
  private record Indexed(int no, DocumentInput doc) {}

  /**
   * Documents prepared for the set and dimension they were validated against.
   *
   * @param docs the documents
   * @param prepared their hashes and digests
   * @param setId the active set the digests were computed for
   * @param dimension the dimension they were validated against
   */
  private record Batch(
      List<Indexed> docs,
      List<BatchWriter.Prepared> prepared,
      long setId,
      int dimension,
      List<UpsertResult.Failure> failures) {
    Batch slice(int from, int to) {
      return new Batch(
          docs.subList(from, to), prepared.subList(from, to), setId, dimension, List.of());
    }
  }

  /**
   * Upserts documents.
   *
   * @param collection the collection
   * @param documents the documents
   * @param afterWrites run once every batch is written (the keyword index's pending-list merge),
   *     alongside the {@code ANALYZE} of a bulk load; not run when a write fails
   * @return the counts
   */
  UpsertResult upsert(String collection, List<DocumentInput> documents, Runnable afterWrites) {
    String what = "Storing documents in collection '" + collection + "'";
    long[] chunks = new long[1];
    return db.logged(
        "upsert",
        collection,
        () -> {
          CollectionRow coll = db.read(what, tx -> catalog.require(tx, collection));
          Map<Integer, String> problems = DocumentChecks.batchProblems(documents, coll.dimension());
          List<UpsertResult.Failure> failures = new ArrayList<>();
          List<Indexed> valid = new ArrayList<>();
          for (int i = 0; i < documents.size(); i++) {
            DocumentInput d = documents.get(i);
            String problem = problems.get(i);
            if (problem != null) {
              failures.add(new UpsertResult.Failure(d.key(), problem));
            } else {
              valid.add(new Indexed(i, d));
            }
          }
          UpsertResult total = new UpsertResult(0, 0, 0, failures);
          for (BatchWriter.Outcome outcome : writeAll(collection, batches(valid), coll, what)) {
            total = total.plus(outcome.result());
            chunks[0] += outcome.chunks();
          }
          analyzeAlongside(coll, chunks[0], afterWrites);
          return total;
        },
        r -> chunks[0]);
  }

  /**
   * Runs {@code afterWrites} on this thread while another one analyses a bulk load: the two use
   * different connections and neither waits for the other's locks ({@code ANALYZE} takes a share
   * update exclusive lock on the tables, the merge a row exclusive lock on the keyword index), so
   * the server works on both at once instead of one after the other.
   */
  private void analyzeAlongside(CollectionRow coll, long written, Runnable afterWrites) {
    if (written < ANALYZE_MIN_ROWS) {
      afterWrites.run();
      return;
    }
    CompletableFuture<Void> analyze = new CompletableFuture<>();
    Thread t =
        thread(
            () -> {
              try {
                analyzeAfterBulkLoad(coll, written);
              } finally {
                analyze.complete(null);
              }
            });
    t.start();
    try {
      afterWrites.run();
    } finally {
      analyze.join();
    }
  }

  /**
   * Refreshes the planner's statistics when this upsert wrote a meaningful share of the chunks
   * table (at least {@value #ANALYZE_MIN_ROWS} rows and a tenth of its estimated size, or any load
   * into a table never analysed), so that the column statistics filters are planned with (status,
   * source, collection) describe the loaded rows before autovacuum gets to them. Row counts need no
   * help: the planner scales them with the tables' current size, and each set's partition holds
   * only that set. ANALYZE needs ownership; for a runtime role it is skipped with a notice, and
   * autovacuum does it.
   */
  private void analyzeAfterBulkLoad(CollectionRow coll, long written) {
    if (written < ANALYZE_MIN_ROWS) {
      return;
    }
    try {
      db.session(
          "Analysing after a bulk load",
          (c, dsl) -> {
            Double estimate =
                dsl.fetchOptional(
                        "SELECT reltuples::float8 FROM pg_catalog.pg_class WHERE oid ="
                            + " to_regclass({0})",
                        org.jooq.impl.DSL.val(Identifiers.quote(db.tables().schema()) + ".chunks"))
                    .map(r -> r.get(0, Double.class))
                    .orElse(null);
            if (estimate == null || estimate < 0 || written >= estimate / 10) {
              dsl.execute(
                  org.jooq.impl.DSL.query(
                      "ANALYZE {0}, {1}, {2}",
                      db.tables().name("documents"),
                      db.tables().name("chunks"),
                      db.tables().name(AnnIndexSql.partitionName(coll.activeSetId()))));
            }
            return null;
          });
    } catch (RuntimeException e) {
      LOG.debug("ANALYZE after a bulk load failed: {}", e.getMessage());
    }
  }

  /** Fewest chunks written by one upsert that can trigger an ANALYZE. */
  static final int ANALYZE_MIN_ROWS = 100;

  /**
   * Prepares and writes the batches, up to {@link #writeConnections} at once, and returns their
   * outcomes in batch order (each with the batch's preparation failures first).
   */
  private List<BatchWriter.Outcome> writeAll(
      String collection, List<List<Indexed>> batches, CollectionRow coll, String what) {
    if (batches.size() <= 1) {
      return batches.isEmpty()
          ? List.of()
          : List.of(prepareAndWrite(collection, batches.get(0), coll, what));
    }
    int writers = Math.min(writeConnections, batches.size());
    // One thread more than there are writers: the next batch is hashed while they write.
    int threads = Math.min(writers + 1, batches.size());
    Semaphore writeSlots = new Semaphore(writers, true);
    Semaphore running = new Semaphore(threads);
    AtomicBoolean failed = new AtomicBoolean();
    List<CompletableFuture<BatchWriter.Outcome>> outcomes = new ArrayList<>(batches.size());
    ExecutorService pool = Executors.newFixedThreadPool(threads, UpsertPipeline::thread);
    try {
      for (List<Indexed> docs : batches) {
        running.acquireUninterruptibly();
        if (failed.get()) {
          running.release();
          break;
        }
        outcomes.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    Batch batch = prepare(docs, coll.activeSetId(), coll.dimension());
                    writeSlots.acquireUninterruptibly();
                    try {
                      return write(collection, batch, what);
                    } finally {
                      writeSlots.release();
                    }
                  } catch (RuntimeException | Error e) {
                    failed.set(true);
                    throw e;
                  } finally {
                    running.release();
                  }
                },
                pool));
      }
    } finally {
      pool.shutdown();
    }
    // Every started batch has finished (committed or rolled back) before a failure is thrown.
    CompletableFuture.allOf(outcomes.toArray(new CompletableFuture<?>[0]))
        .exceptionally(e -> null)
        .join();
    List<BatchWriter.Outcome> out = new ArrayList<>(outcomes.size());
    for (CompletableFuture<BatchWriter.Outcome> f : outcomes) {
      try {
        out.add(f.join());
      } catch (CompletionException e) {
        if (e.getCause() instanceof RuntimeException r) {
          throw r;
        }
        if (e.getCause() instanceof Error err) {
          throw err;
        }
        throw e;
      }
    }
    return out;
  }

  private static Thread thread(Runnable r) {
    Thread t = new Thread(r, "portfolio-upsert-" + THREADS.incrementAndGet());
    t.setDaemon(true);
    return t;
  }

  private BatchWriter.Outcome prepareAndWrite(
      String collection, List<Indexed> docs, CollectionRow coll, String what) {
    return write(collection, prepare(docs, coll.activeSetId(), coll.dimension()), what);
  }

  /** Writes a prepared batch; its preparation failures come first in the outcome. */
  private BatchWriter.Outcome write(String collection, Batch batch, String what) {
    BatchWriter.Outcome outcome = writeIsolatingBadRows(collection, batch, what);
    return new BatchWriter.Outcome(
        new UpsertResult(0, 0, 0, batch.failures()).plus(outcome.result()), outcome.chunks());
  }

  private static Batch prepare(List<Indexed> docs, long setId, int dimension) {
    // SHA-256 over every text and vector, and the keyword vectors; batches are prepared on the
    // pipeline's threads, one batch per thread.
    List<BatchWriter.Prepared> all = new ArrayList<>(docs.size());
    for (Indexed d : docs) {
      all.add(BatchWriter.Prepared.of(d.no(), d.doc(), setId));
    }
    List<Indexed> good = new ArrayList<>(docs.size());
    List<BatchWriter.Prepared> prepared = new ArrayList<>(docs.size());
    List<UpsertResult.Failure> failures = new ArrayList<>();
    for (int i = 0; i < docs.size(); i++) {
      BatchWriter.Prepared p = all.get(i);
      if (p.problem() != null) {
        failures.add(new UpsertResult.Failure(p.input().key(), p.problem()));
      } else {
        good.add(docs.get(i));
        prepared.add(p);
      }
    }
    return new Batch(good, prepared, setId, dimension, failures);
  }

  private List<List<Indexed>> batches(List<Indexed> docs) {
    List<List<Indexed>> out = new ArrayList<>();
    List<Indexed> current = new ArrayList<>();
    int chunks = 0;
    for (Indexed d : docs) {
      int n = d.doc().chunks().size();
      if (!current.isEmpty()
          && (current.size() >= maxBatchDocuments || chunks + n > maxBatchChunks)) {
        out.add(current);
        current = new ArrayList<>();
        chunks = 0;
      }
      current.add(d);
      chunks += n;
    }
    if (!current.isEmpty()) {
      out.add(current);
    }
    return out;
  }

  private BatchWriter.Outcome writeIsolatingBadRows(String collection, Batch batch, String what) {
    try {
      return db.call(what, true, () -> db.tx(tx -> write(tx, collection, batch)));
    } catch (PortfolioException e) {
      if (!isDataError(e)) {
        throw e;
      }
      if (batch.docs().size() == 1) {
        Indexed only = batch.docs().get(0);
        return new BatchWriter.Outcome(
            new UpsertResult(
                0,
                0,
                0,
                List.of(
                    new UpsertResult.Failure(
                        only.doc().key(),
                        "PostgreSQL rejected the document: " + rejection(e.getCause())))),
            0);
      }
      LOG.debug(
          "A batch of {} documents was rejected ({}); retrying its halves",
          batch.docs().size(),
          SqlErrors.sqlState(e));
      // Halving finds k bad documents in about k * log2(n) transactions instead of n.
      int mid = batch.docs().size() / 2;
      BatchWriter.Outcome first = writeIsolatingBadRows(collection, batch.slice(0, mid), what);
      BatchWriter.Outcome second =
          writeIsolatingBadRows(collection, batch.slice(mid, batch.docs().size()), what);
      return new BatchWriter.Outcome(
          first.result().plus(second.result()), first.chunks() + second.chunks());
    }
  }

  private BatchWriter.Outcome write(Tx tx, String collection, Batch batch) throws SQLException {
    // Share lock: a model switch waits for this batch, and a batch after it sees the new set.
    CollectionRow coll = catalog.lockShared(tx, collection);
    Batch current = batch;
    List<UpsertResult.Failure> failures = new ArrayList<>();
    if (coll.activeSetId() != batch.setId() || coll.dimension() != batch.dimension()) {
      // The collection switched model since validation: check and hash again for the new set.
      List<Indexed> ok = new ArrayList<>();
      for (Indexed d : batch.docs()) {
        Optional<String> problem = DocumentChecks.problem(d.doc(), coll.dimension());
        if (problem.isPresent()) {
          failures.add(new UpsertResult.Failure(d.doc().key(), problem.get()));
        } else {
          ok.add(d);
        }
      }
      current = prepare(ok, coll.activeSetId(), coll.dimension());
      failures.addAll(current.failures());
    }
    UpsertResult bad = new UpsertResult(0, 0, 0, failures);
    if (current.prepared().isEmpty()) {
      return new BatchWriter.Outcome(bad, 0);
    }
    BatchWriter.Outcome outcome = writer.upsert(tx, coll, current.prepared());
    return new BatchWriter.Outcome(bad.plus(outcome.result()), outcome.chunks());
  }

  private static boolean isDataError(Throwable e) {
    String state = SqlErrors.sqlState(e);
    return state != null
        && (state.startsWith("22") || state.startsWith("23") || state.startsWith("54"));
  }

  private static String rejection(Throwable cause) {
    String state = SqlErrors.sqlState(cause);
    String m = cause == null ? "unknown error" : String.valueOf(cause.getMessage());
    for (Throwable c = cause; c != null; c = c.getCause()) {
      if (c instanceof SQLException s) {
        m = String.valueOf(s.getMessage());
        break;
      }
    }
    m = m.startsWith("ERROR: ") ? m.substring(7) : m;
    int nl = m.indexOf('\n');
    m = nl > 0 ? m.substring(0, nl) : m;
    return m + (state == null ? "" : " (SQLState " + state + ")");
  }
}
