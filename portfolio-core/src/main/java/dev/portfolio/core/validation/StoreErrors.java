package dev.portfolio.core.validation;

import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.error.NonRetriableException;
import dev.portfolio.core.model.CollectionSpec;

/**
 * The errors every {@link dev.portfolio.core.spi.VectorStore} reports for the same situations,
 * built in one place so that all stores word them alike.
 *
 * @since 0.1.0
 */
public final class StoreErrors {
  private StoreErrors() {}

  /**
   * Reports a collection that does not exist.
   *
   * @param name the collection name
   * @return the error, with code {@link ErrorCode#NOT_FOUND}
   */
  public static NonRetriableException collectionNotFound(String name) {
    return new NonRetriableException(
        ErrorCode.NOT_FOUND,
        "Collection '"
            + Inputs.printable(name)
            + "' does not exist. Create it with createCollection(...) first.");
  }

  /**
   * Reports a collection that exists with another spec than the one requested.
   *
   * @param existing the stored spec
   * @param requested the requested spec
   * @return the error, with code {@link ErrorCode#ALREADY_EXISTS}
   */
  public static NonRetriableException collectionConflict(
      CollectionSpec existing, CollectionSpec requested) {
    return new NonRetriableException(
        ErrorCode.ALREADY_EXISTS,
        "Collection '"
            + existing.name()
            + "' already exists as "
            + describe(existing)
            + "; requested "
            + describe(requested)
            + ". Use another name, or drop the collection first (that deletes its documents).");
  }

  /**
   * Reports a vector whose dimension differs from its collection's.
   *
   * @param argument the offending argument, for example {@code "vector"}
   * @param what what the vector is, for example {@code "the query vector"}
   * @param collection the collection's spec
   * @param actual the vector's dimension
   * @param fix the next step for the caller
   * @return the error, with code {@link ErrorCode#DIMENSION_MISMATCH}
   */
  public static InvalidInputException dimensionMismatch(
      String argument, String what, CollectionSpec collection, int actual, String fix) {
    return new InvalidInputException(
        ErrorCode.DIMENSION_MISMATCH,
        argument,
        "Dimension mismatch: "
            + what
            + " has "
            + actual
            + " dimensions but collection '"
            + collection.name()
            + "' stores "
            + collection.dimension()
            + " (model "
            + collection.model()
            + "). "
            + fix);
  }

  private static String describe(CollectionSpec spec) {
    return "model="
        + spec.model()
        + ", dimension="
        + spec.dimension()
        + ", distance="
        + spec.distance();
  }
}
