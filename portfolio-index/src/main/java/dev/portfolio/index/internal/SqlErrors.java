package dev.portfolio.index.internal;

import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.NonRetriableException;
import dev.portfolio.core.error.PortfolioException;
import dev.portfolio.core.error.RetriableException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

/**
 * Translates database failures into Portfolio exceptions that keep the cause and its SQLState, and
 * tells transient failures (worth a retry) from permanent ones.
 */
public final class SqlErrors {
  /** SQLState of a serialization failure. */
  public static final String SERIALIZATION_FAILURE = "40001";

  /** SQLState of a detected deadlock. */
  public static final String DEADLOCK = "40P01";

  /** SQLState of a missing privilege. */
  public static final String INSUFFICIENT_PRIVILEGE = "42501";

  private SqlErrors() {}

  /**
   * Finds the SQLState of a failure or one of its causes.
   *
   * @param failure the failure
   * @return the SQLState, or null when none is known
   */
  public static String sqlState(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLException e && e.getSQLState() != null) {
        return e.getSQLState();
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  /**
   * Tells whether repeating the operation may succeed: serialization failures, deadlocks, lost or
   * refused connections and server shutdowns.
   *
   * @param failure the failure
   * @return true when a retry may help
   */
  public static boolean isTransient(Throwable failure) {
    if (failure instanceof PortfolioException) {
      return false;
    }
    String state = sqlState(failure);
    if (state != null) {
      return state.equals(SERIALIZATION_FAILURE)
          || state.equals(DEADLOCK)
          || state.startsWith("08")
          || state.equals("57P01")
          || state.equals("57P02")
          || state.equals("57P03")
          || state.equals("53300");
    }
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLTransientException || t instanceof SQLRecoverableException) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  /**
   * Translates a failure into the Portfolio exception a caller sees.
   *
   * @param what what was being done, for example {@code "Storing documents in collection 'docs'"}
   * @param failure the failure
   * @return a {@link PortfolioException} with the cause attached and the SQLState in the message
   */
  public static PortfolioException translate(String what, Throwable failure) {
    if (failure instanceof PortfolioException p) {
      return p;
    }
    String state = sqlState(failure);
    String detail = rootMessage(failure) + (state == null ? "" : " (SQLState " + state + ")");
    if (isTransient(failure)) {
      ErrorCode code =
          SERIALIZATION_FAILURE.equals(state) || DEADLOCK.equals(state)
              ? ErrorCode.CONFLICT
              : ErrorCode.STORE_UNAVAILABLE;
      return new RetriableException(
          code,
          what
              + " failed with a transient database error after retries: "
              + detail
              + ". Try again later; check the database's availability and load.",
          failure);
    }
    if (state == null) {
      return new NonRetriableException(
          ErrorCode.STORE_FAILURE, what + " failed: " + detail, failure);
    }
    return switch (state) {
      case INSUFFICIENT_PRIVILEGE ->
          new NonRetriableException(
              ErrorCode.PERMISSION_DENIED,
              what
                  + " failed: "
                  + detail
                  + ". The store's database role needs USAGE on the schema, SELECT, INSERT, UPDATE"
                  + " and DELETE on its tables, USAGE on its sequences and TEMPORARY on the"
                  + " database (see"
                  + " PortfolioSchema.grantRuntimeAccess).",
              failure);
      case "42P01", "3F000" ->
          new NonRetriableException(
              ErrorCode.SCHEMA_MISMATCH,
              what
                  + " failed: "
                  + detail
                  + ". The Portfolio schema is missing or incomplete: install it with"
                  + " PortfolioSchema.install, `portfolio install`, or the SQL of"
                  + " PortfolioSchema.writeSchema.",
              failure);
      case "57014" ->
          new RetriableException(
              ErrorCode.STORE_UNAVAILABLE,
              what
                  + " failed: "
                  + detail
                  + ". The statement ran longer than the statement timeout; raise the timeout or"
                  + " use smaller batches.",
              failure);
      default ->
          new NonRetriableException(ErrorCode.STORE_FAILURE, what + " failed: " + detail, failure);
    };
  }

  private static String rootMessage(Throwable failure) {
    Throwable last = failure;
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLException) {
        last = t;
        break;
      }
      last = t;
      if (t.getCause() == t) {
        break;
      }
    }
    String m = last.getMessage();
    if (m == null) {
      return last.getClass().getSimpleName();
    }
    // pgjdbc prefixes "ERROR: " and appends multi-line detail; keep the first line.
    m = m.startsWith("ERROR: ") ? m.substring(7) : m;
    int nl = m.indexOf('\n');
    return nl > 0 ? m.substring(0, nl) : m;
  }
}
