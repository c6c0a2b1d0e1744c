package dev.portfolio.maintenance.retry;

import java.util.Objects;

/**
 * What a retry did with one failed document.
 *
 * @param key the document key
 * @param outcome what happened
 * @param attempts its failed attempts after the run
 * @param reason the last failure's reason; null when it recovered
 * @since 0.1.0
 */
public record DocumentRetry(String key, Outcome outcome, int attempts, String reason) {
  /** Validates the components. */
  public DocumentRetry {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(outcome, "outcome");
  }

  /** What happened to a document. */
  public enum Outcome {
    /** Every chunk has a current vector: the document is ready. */
    RECOVERED,
    /** Failed again, with attempts left: a later run retries it. */
    FAILED_AGAIN,
    /** Reached the maximum attempts: marked permanently failed with its last reason. */
    GAVE_UP,
    /** A dry run would retry it. */
    WOULD_RETRY,
    /** A dry run would give it up. */
    WOULD_GIVE_UP
  }
}
