package dev.portfolio.maintenance.jobs;

import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.NonRetriableException;
import dev.portfolio.core.error.PortfolioException;
import dev.portfolio.core.error.RetriableException;
import java.sql.SQLException;
import java.sql.SQLTransientException;

/** Turns SQL errors of the job queue into Portfolio's, keeping SQLState and cause. */
final class PgErrors {
  private PgErrors() {}

  static PortfolioException translate(String what, SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    String message = what + " failed: " + e.getMessage() + " (SQLState " + state + ")";
    if (transientState(state) || e instanceof SQLTransientException) {
      return new RetriableException(
          ErrorCode.STORE_UNAVAILABLE,
          message + ". It is retried; if it persists, check the database connection.",
          e);
    }
    if (state.equals("42501")) {
      return new NonRetriableException(
          ErrorCode.PERMISSION_DENIED,
          message
              + ". The role needs SELECT, INSERT, UPDATE, DELETE on the jobs and job_units tables:"
              + " PortfolioSchema.grantRuntimeAccess grants them.",
          e);
    }
    if (state.equals("42P01")) {
      return new NonRetriableException(
          ErrorCode.SCHEMA_MISMATCH,
          message
              + ". The jobs tables arrived with schema version 3: upgrade the schema with"
              + " PortfolioSchema.install (or `portfolio install`).",
          e);
    }
    return new NonRetriableException(ErrorCode.STORE_FAILURE, message, e);
  }

  static boolean transientState(String state) {
    return state.startsWith("08")
        || state.startsWith("57P")
        || state.equals("40001")
        || state.equals("40P01")
        || state.equals("53300")
        || state.equals("55P03");
  }
}
