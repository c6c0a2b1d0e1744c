package dev.portfolio.core.model;

/**
 * What a purge of soft-deleted documents removed, or would remove.
 *
 * @param documents documents removed
 * @param chunks their chunks
 * @param vectors the chunks' vectors, in every embedding set
 * @since 0.1.0
 */
public record PurgeResult(long documents, long chunks, long vectors) {
  /** Nothing removed. */
  public static final PurgeResult NONE = new PurgeResult(0, 0, 0);

  /**
   * Adds another result.
   *
   * @param other the other result
   * @return the sums
   */
  public PurgeResult plus(PurgeResult other) {
    return new PurgeResult(
        documents + other.documents, chunks + other.chunks, vectors + other.vectors);
  }
}
