package dev.portfolio.maintenance.jobs;

import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.NonRetriableException;
import dev.portfolio.core.error.PortfolioException;

/** Errors and checks both queues share, so that they say the same. */
final class Jobs {
  private Jobs() {}

  static PortfolioException notFound(long id) {
    return new NonRetriableException(
        ErrorCode.NOT_FOUND,
        "There is no job "
            + id
            + ": it was never submitted or was cleaned up. List jobs to see ids.");
  }

  static PortfolioException finished(long id, JobStatus status, String action) {
    return new NonRetriableException(
        ErrorCode.CONFLICT,
        "Job "
            + id
            + " is "
            + status.label()
            + " and cannot be "
            + action
            + (status == JobStatus.CANCELLED || status == JobStatus.FAILED
                ? ". Submit it again to run it again (work already done is kept and skipped)."
                : "."));
  }

  static String describe(Throwable t) {
    String m = t.getMessage();
    String text = m == null ? t.getClass().getName() : m;
    return text.length() > 4000 ? text.substring(0, 4000) + "..." : text;
  }
}
