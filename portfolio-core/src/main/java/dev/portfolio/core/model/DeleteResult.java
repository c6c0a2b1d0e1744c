package dev.portfolio.core.model;

/**
 * What a delete removed.
 *
 * @param documents documents removed
 * @param chunks chunks removed with them
 * @since 0.1.0
 */
public record DeleteResult(long documents, long chunks) {
  /** Nothing removed. */
  public static final DeleteResult NONE = new DeleteResult(0, 0);
}
