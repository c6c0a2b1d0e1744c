package dev.portfolio.maintenance.internal;

import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.NonRetriableException;
import dev.portfolio.core.error.PortfolioException;
import dev.portfolio.core.error.RetriableException;
import dev.portfolio.maintenance.reembed.ReembedMode;

/**
 * Why a run stopped before its end: the step that failed and its exception. Turns into the
 * exception the caller gets, which says what happened, what was kept and what to do next.
 *
 * @param step the step that failed
 * @param cause its exception
 */
record Stop(Step step, Throwable cause) {
  /** The steps of a run. */
  enum Step {
    /** Reading a page of chunks from the store. */
    READ,
    /** Calling the embedder. */
    EMBED,
    /** Writing vectors or document statuses into the store. */
    WRITE
  }

  /**
   * Builds the exception for the caller (for a cause that is not an {@link Error}).
   *
   * @param spec the run
   * @param processed the chunks that received a vector before the stop
   * @return the exception to throw
   */
  PortfolioException toException(RunSpec spec, long processed) {
    String what;
    if (!(cause instanceof PortfolioException)) {
      what = (step == Step.EMBED ? "the embedder" : "the store") + " threw " + describe(cause);
    } else {
      what =
          switch (step) {
            case READ -> "reading chunks from the store failed: ";
            case WRITE -> "writing into the store failed: ";
            case EMBED ->
                cause instanceof RetriableException
                    ? "the embedder stayed unavailable after every retry: "
                    : "the embedder failed: ";
          };
      what += describe(cause);
    }
    String resume =
        spec.mode() == ReembedMode.ALL
            ? "run again to start over (mode ALL cannot resume)"
            : "run again with the same options: it resumes where it stopped";
    String next =
        switch (step) {
          case READ, WRITE -> "Fix the store problem and " + resume + ".";
          case EMBED ->
              cause instanceof RetriableException
                  ? "When the embedder answers again, " + resume + "."
                  : "Fix the embedder and " + resume + ".";
        };
    String message =
        "Re-embed of '"
            + spec.collection()
            + "' into set "
            + spec.target().id()
            + " ("
            + spec.target().model()
            + ") stopped: "
            + what
            + " The "
            + processed
            + " vectors written before the stop are kept. "
            + next;
    if (cause instanceof RetriableException r) {
      return new RetriableException(r.code(), message, r, r.retryAfter().orElse(null));
    }
    if (cause instanceof PortfolioException p) {
      return new NonRetriableException(p.code(), message, p);
    }
    return new NonRetriableException(ErrorCode.INTERNAL, message, cause);
  }

  private static String describe(Throwable t) {
    String m = t.getMessage();
    if (t instanceof PortfolioException) {
      return m.endsWith(".") ? m : m + ".";
    }
    return t.getClass().getName() + (m == null ? "." : ": " + m + ".");
  }
}
