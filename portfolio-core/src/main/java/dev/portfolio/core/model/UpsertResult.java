package dev.portfolio.core.model;

import java.util.List;

/**
 * What a bulk upsert did.
 *
 * @param inserted documents that did not exist before
 * @param updated documents that existed and changed
 * @param unchanged documents that existed with the same fingerprint and chunks
 * @param failures documents that were rejected, each with its key and reason; nothing of them was
 *     written
 * @since 0.1.0
 */
public record UpsertResult(int inserted, int updated, int unchanged, List<Failure> failures) {
  /** Copies the failures. */
  public UpsertResult {
    failures = List.copyOf(failures);
  }

  /**
   * Returns the number of rejected documents.
   *
   * @return the failure count
   */
  public int failed() {
    return failures.size();
  }

  /**
   * Returns the number of documents written (inserted plus updated).
   *
   * @return the written count
   */
  public int written() {
    return inserted + updated;
  }

  /**
   * Adds another result to this one.
   *
   * @param other the other result
   * @return the sum
   */
  public UpsertResult plus(UpsertResult other) {
    List<Failure> all = new java.util.ArrayList<>(failures);
    all.addAll(other.failures);
    return new UpsertResult(
        inserted + other.inserted, updated + other.updated, unchanged + other.unchanged, all);
  }

  /**
   * A document the store rejected.
   *
   * @param key the document key
   * @param reason why it was rejected, naming the chunk where relevant
   * @since 0.1.0
   */
  public record Failure(String key, String reason) {}
}
