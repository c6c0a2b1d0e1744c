package dev.portfolio.core.model;

import java.util.Locale;

/**
 * Why a {@link DocumentStatus#FAILED} document failed, as far as a retry is concerned.
 *
 * @since 0.1.0
 */
public enum FailureKind {
  /**
   * A transient error (rate limit, timeout, service unavailable after every retry): a later retry
   * may well succeed, so {@code retryFailed} tries it whatever its attempt count.
   */
  RETRIABLE,
  /**
   * The input was rejected (a 400, an input too long), or the failure was recorded without a kind
   * ({@link dev.portfolio.core.spi.VectorStore#updateStatus}): retried while the attempt count is
   * below the maximum.
   */
  REJECTED,
  /** Given up: {@code retryFailed} leaves it alone until it is upserted or re-embedded again. */
  PERMANENT;

  /**
   * Returns the lower-case name stored in the database.
   *
   * @return the stored name
   */
  public String storedName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Reads a stored name.
   *
   * @param stored the stored name, or null
   * @return the kind; {@link #REJECTED} for null (a failure recorded without a kind)
   */
  public static FailureKind fromStoredName(String stored) {
    return stored == null ? REJECTED : valueOf(stored.toUpperCase(Locale.ROOT));
  }
}
