package dev.portfolio.index.pgvector;

import dev.portfolio.index.internal.PgTables;
import dev.portfolio.index.internal.SqlErrors;
import dev.portfolio.index.internal.StoreRetry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way the store talks to the database: opens a transaction, repeats idempotent work after
 * transient failures, records write operations in {@code operation_log}, and maps errors to
 * Portfolio exceptions that keep the cause and SQLState.
 *
 * <p>A failure while cleaning up a connection (restoring auto-commit on a connection the server
 * terminated, which a pool has already closed) never replaces the failure that matters: it is
 * attached as suppressed, so the original SQLState (57P01, 08006) still decides whether to retry.
 */
final class Db {
  private static final Logger LOG = LoggerFactory.getLogger(Db.class);

  private final DataSource dataSource;
  private final PgTables t;
  private final StoreRetry retry;
  private final boolean operationLog;
  private final Duration operationLogRetention;
  private static final long PRUNE_NOW = Long.MIN_VALUE;
  private final AtomicLong nextPrune = new AtomicLong(PRUNE_NOW);

  /** How often, at most, an instance deletes expired operation-log rows. */
  static final Duration PRUNE_INTERVAL = Duration.ofMinutes(10);

  /** The most rows one prune deletes (the oldest ones): its cost stays bounded. */
  static final int PRUNE_LIMIT = 5_000;

  Db(
      DataSource dataSource,
      PgTables t,
      StoreRetry retry,
      boolean operationLog,
      Duration operationLogRetention) {
    this.dataSource = dataSource;
    this.t = t;
    this.retry = retry;
    this.operationLog = operationLog;
    this.operationLogRetention = operationLogRetention;
  }

  PgTables tables() {
    return t;
  }

  DataSource dataSource() {
    return dataSource;
  }

  /**
   * Work on a connection in auto-commit mode (statements that cannot run in a transaction block).
   *
   * @param <T> the result type
   */
  @FunctionalInterface
  interface SessionWork<T> {
    T run(Connection connection, DSLContext dsl) throws SQLException;
  }

  /** Runs idempotent work in one transaction, repeated after transient failures; not logged. */
  <T> T read(String what, Tx.Work<T> work) {
    return call(what, true, () -> tx(work));
  }

  /**
   * Runs write work in one transaction and records it in the operation log.
   *
   * @param what what is being done, for messages
   * @param operation the operation log's name for it
   * @param collection the collection, for the log
   * @param idempotent whether it may be repeated after a transient failure
   * @param work the work
   * @param rows how many rows the result counts, for the log
   */
  <T> T write(
      String what,
      String operation,
      String collection,
      boolean idempotent,
      Tx.Work<T> work,
      ToLongFunction<T> rows) {
    return logged(operation, collection, () -> call(what, idempotent, () -> tx(work)), rows);
  }

  /** Records a piece of work (made of several transactions) in the operation log. */
  <T> T logged(String operation, String collection, Supplier<T> work, ToLongFunction<T> rows) {
    Instant started = Instant.now();
    long start = System.nanoTime();
    try {
      T result = work.get();
      log(operation, collection, started, start, rows.applyAsLong(result), null);
      return result;
    } catch (RuntimeException e) {
      log(operation, collection, started, start, 0, e);
      throw e;
    }
  }

  /** Repeats an idempotent operation after transient failures and translates what escapes. */
  <T> T call(String what, boolean idempotent, Supplier<T> operation) {
    try {
      return idempotent ? retry.call(operation) : operation.get();
    } catch (RuntimeException e) {
      throw SqlErrors.translate(what, e);
    }
  }

  /**
   * Runs idempotent read work on an auto-commit connection, repeated after transient failures: each
   * statement is one round trip with its own snapshot, without BEGIN and COMMIT. For searches,
   * whose statements need no common snapshot. The {@link Tx} given to the work is not a
   * transaction.
   */
  <T> T readAutoCommit(String what, Tx.Work<T> work) {
    return call(
        what,
        true,
        () ->
            withConnection(
                c -> {
                  boolean autoCommit = c.getAutoCommit();
                  if (!autoCommit) {
                    c.setAutoCommit(true);
                  }
                  T result = work.run(new Tx(c, DSL.using(c, SQLDialect.POSTGRES)));
                  if (!autoCommit) {
                    restore(c, false, null);
                  }
                  return result;
                }));
  }

  /** Runs work on an auto-commit connection (DDL such as CREATE INDEX CONCURRENTLY), once. */
  <T> T session(String what, SessionWork<T> work) {
    return call(
        what,
        false,
        () ->
            withConnection(
                c -> {
                  boolean autoCommit = c.getAutoCommit();
                  if (!autoCommit) {
                    c.setAutoCommit(true);
                  }
                  T result = work.run(c, DSL.using(c, SQLDialect.POSTGRES));
                  if (!autoCommit) {
                    restore(c, false, null);
                  }
                  return result;
                }));
  }

  /** Runs work in one transaction on a connection of the pool. */
  <T> T tx(Tx.Work<T> work) {
    return withConnection(
        c -> {
          boolean autoCommit = c.getAutoCommit();
          if (autoCommit) {
            c.setAutoCommit(false);
          }
          T result;
          try {
            result = work.run(new Tx(c, DSL.using(c, SQLDialect.POSTGRES)));
            c.commit();
          } catch (SQLException | RuntimeException | Error e) {
            try {
              c.rollback();
            } catch (SQLException rollback) {
              e.addSuppressed(rollback);
            }
            if (autoCommit) {
              restore(c, true, e);
            }
            throw e;
          }
          if (autoCommit) {
            restore(c, true, null);
          }
          return result;
        });
  }

  private interface ConnectionWork<T> {
    T run(Connection c) throws SQLException;
  }

  private <T> T withConnection(ConnectionWork<T> work) {
    Connection c;
    try {
      c = dataSource.getConnection();
    } catch (SQLException e) {
      throw new DataAccessException(String.valueOf(e.getMessage()), e);
    }
    Throwable failure = null;
    try {
      return work.run(c);
    } catch (SQLException e) {
      failure = e;
      throw new DataAccessException(String.valueOf(e.getMessage()), e);
    } catch (RuntimeException | Error e) {
      failure = e;
      throw e;
    } finally {
      try {
        c.close();
      } catch (SQLException close) {
        if (failure != null) {
          failure.addSuppressed(close);
        } else {
          LOG.debug("Closing a connection failed: {}", close.getMessage());
        }
      }
    }
  }

  /**
   * Puts auto-commit back. On a connection the server terminated this fails (a pool's proxy says
   * "Connection is closed" without SQLState); that must not hide what happened before.
   */
  private static void restore(Connection c, boolean autoCommit, Throwable failure) {
    try {
      c.setAutoCommit(autoCommit);
    } catch (SQLException e) {
      if (failure != null) {
        failure.addSuppressed(e);
      } else {
        LOG.debug("Restoring auto-commit failed: {}", e.getMessage());
      }
    }
  }

  /** Sets a session setting for the rest of the transaction (or session, outside one). */
  static void setLocal(Connection c, String setting, String value, boolean local)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT set_config(?, ?, ?)")) {
      ps.setString(1, setting);
      ps.setString(2, value);
      ps.setBoolean(3, local);
      ps.execute();
    }
  }

  private void log(
      String operation,
      String collection,
      Instant startedAt,
      long startNanos,
      long rows,
      Throwable error) {
    if (!operationLog) {
      return;
    }
    double millis = (System.nanoTime() - startNanos) / 1e6;
    try {
      tx(
          tx ->
              tx.dsl()
                  .insertInto(
                      t.operationLog,
                      PgTables.LOG_OPERATION,
                      PgTables.LOG_COLLECTION,
                      PgTables.LOG_STARTED_AT,
                      PgTables.LOG_DURATION_MS,
                      PgTables.LOG_ROWS,
                      PgTables.LOG_SUCCESS,
                      PgTables.LOG_ERROR,
                      PgTables.LOG_SQL_STATE)
                  .values(
                      operation,
                      collection,
                      OffsetDateTime.ofInstant(startedAt, ZoneOffset.UTC),
                      millis,
                      rows,
                      error == null,
                      error == null ? null : truncate(String.valueOf(error.getMessage()), 2000),
                      error == null ? null : SqlErrors.sqlState(error))
                  .execute());
    } catch (RuntimeException e) {
      LOG.warn("Could not record operation {} in the operation log: {}", operation, e.getMessage());
    }
    pruneWhenDue();
  }

  /**
   * Deletes operation-log rows older than the retention, at most {@link #PRUNE_LIMIT} of the oldest
   * per call and one call per {@link #PRUNE_INTERVAL} per instance (the first write of an instance
   * prunes at once): the log of a busy schema stays bounded by the retention without a job of its
   * own. Rows are taken in id order from the oldest, through the primary key, so a prune reads
   * about what it deletes.
   */
  private void pruneWhenDue() {
    if (operationLogRetention.isZero()) {
      return;
    }
    long now = System.nanoTime();
    long due = nextPrune.get();
    if (due != PRUNE_NOW && now - due < 0) {
      return;
    }
    // One thread of the instance prunes; the others go on.
    if (nextPrune.compareAndSet(due, now + PRUNE_INTERVAL.toNanos())) {
      pruneOperationLog();
    }
  }

  /** Deletes up to {@link #PRUNE_LIMIT} of the oldest expired rows; returns how many. */
  int pruneOperationLog() {
    OffsetDateTime cutoff =
        OffsetDateTime.ofInstant(Instant.now().minus(operationLogRetention), ZoneOffset.UTC);
    try {
      int deleted =
          tx(
              tx ->
                  tx.dsl()
                      .deleteFrom(t.operationLog)
                      .where(
                          PgTables.LOG_ID.in(
                              DSL.select(PgTables.LOG_ID)
                                  .from(t.operationLog)
                                  .orderBy(PgTables.LOG_ID)
                                  .limit(PRUNE_LIMIT)))
                      .and(PgTables.LOG_STARTED_AT.lt(cutoff))
                      .execute());
      if (deleted > 0) {
        LOG.debug("Deleted {} operation-log rows older than {}", deleted, operationLogRetention);
      }
      return deleted;
    } catch (RuntimeException e) {
      LOG.warn("Could not prune the operation log: {}", e.getMessage());
      return 0;
    }
  }

  private static String truncate(String s, int max) {
    String clean = s.replace('\0', '\uFFFD');
    return clean.length() <= max ? clean : clean.substring(0, max);
  }
}
