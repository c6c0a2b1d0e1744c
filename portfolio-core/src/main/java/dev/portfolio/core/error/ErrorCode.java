package dev.portfolio.core.error;

/**
 * Stable codes for every failure Portfolio reports. Codes never change meaning between releases, so
 * host applications can switch on them.
 *
 * @since 0.1.0
 */
public enum ErrorCode {
  /** An argument was null, empty, malformed or out of range. */
  INVALID_ARGUMENT,
  /** A vector's dimension differs from the dimension a collection or embedder expects. */
  DIMENSION_MISMATCH,
  /** A named collection, document or job does not exist. */
  NOT_FOUND,
  /** An object with the same identity already exists with different settings. */
  ALREADY_EXISTS,
  /** Two writers changed the same object; the operation may succeed when repeated. */
  CONFLICT,
  /**
   * No provider (embedder, store, reporter) matches the requested id, or none is on the classpath.
   */
  PROVIDER_NOT_FOUND,
  /** A provider was found but could not be created from its configuration. */
  PROVIDER_FAILED,
  /** The embedding service could not be reached or answered with a transient error. */
  EMBEDDER_UNAVAILABLE,
  /** The embedding service rejected the request (bad input, authentication, unknown model). */
  EMBEDDER_REJECTED,
  /** The embedding service answered with a response that cannot be used (count, dimension, NaN). */
  EMBEDDER_INVALID_RESPONSE,
  /** A token or cost budget was used up; the operation stopped cleanly and can be resumed. */
  BUDGET_EXHAUSTED,
  /** The store could not be reached or failed transiently (connection loss, deadlock). */
  STORE_UNAVAILABLE,
  /** The store failed permanently; the cause and SQLState (where any) are kept. */
  STORE_FAILURE,
  /** The store's schema is missing, too old or too new for this library version. */
  SCHEMA_MISMATCH,
  /** The database lacks a privilege the operation needs. */
  PERMISSION_DENIED,
  /** The store or embedder does not support the requested operation. */
  UNSUPPORTED,
  /** The operation was cancelled or interrupted. */
  CANCELLED,
  /** A bug in Portfolio: please report it with the stack trace. */
  INTERNAL
}
