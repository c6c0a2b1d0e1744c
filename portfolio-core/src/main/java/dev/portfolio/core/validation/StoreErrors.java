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
   * Checks the names of {@code VectorStore.replaceCollection}.
   *
   * @param target the name the replacement takes
   * @param replacement the collection that takes the name
   * @throws InvalidInputException when both are the same
   */
  public static void checkReplacement(String target, String replacement) {
    if (target.equals(replacement)) {
      throw new InvalidInputException(
          "replacement",
          "replaceCollection needs two different collections (both were '"
              + target
              + "'); the replacement is usually a staging copy built under another name.");
    }
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

  /**
   * Checks a query vector against a collection: its dimension, and for cosine collections that it
   * is not all zeros (cosine similarity is undefined for a vector without direction).
   *
   * @param collection the collection's spec
   * @param vector the query vector
   * @param fix the next step for a dimension mismatch
   * @throws InvalidInputException with {@link ErrorCode#DIMENSION_MISMATCH} or {@link
   *     ErrorCode#INVALID_ARGUMENT}
   */
  public static void checkQueryVector(
      CollectionSpec collection, dev.portfolio.core.model.Embedding vector, String fix) {
    if (vector.dimension() != collection.dimension()) {
      throw dimensionMismatch("vector", "the query vector", collection, vector.dimension(), fix);
    }
    if (collection.distance() == dev.portfolio.core.model.Distance.COSINE && vector.isZero()) {
      throw new InvalidInputException(
          "vector",
          "The query vector is all zeros: cosine similarity is undefined for it, so collection '"
              + collection.name()
              + "' cannot rank anything by it. Embed a non-empty query text, or skip the vector"
              + " search for this query (keyword search still works).");
    }
  }

  /**
   * Reports a vector written into an embedding set whose dimension differs from the set's.
   *
   * @param set the set written to
   * @param chunkId the chunk the vector is for
   * @param actual the vector's dimension
   * @return the error, with code {@link ErrorCode#DIMENSION_MISMATCH}
   */
  public static InvalidInputException setDimensionMismatch(
      dev.portfolio.core.model.EmbeddingSet set, long chunkId, int actual) {
    return new InvalidInputException(
        ErrorCode.DIMENSION_MISMATCH,
        "vectors",
        "Dimension mismatch: the vector for chunk "
            + chunkId
            + " has "
            + actual
            + " dimensions but embedding set "
            + set.id()
            + " of collection '"
            + set.collection()
            + "' stores "
            + set.dimension()
            + " (model "
            + set.model()
            + "). Nothing was written. Embed the chunks with that model.");
  }

  /**
   * Reports a vector written into an embedding set of another model than the one that produced it.
   *
   * @param set the set written to
   * @param chunkId the chunk the vector is for
   * @param model the model the vector names
   * @return the error, with code {@link ErrorCode#INVALID_ARGUMENT}
   */
  public static InvalidInputException setModelMismatch(
      dev.portfolio.core.model.EmbeddingSet set, long chunkId, String model) {
    return new InvalidInputException(
        "vectors",
        "The vector for chunk "
            + chunkId
            + " comes from model "
            + Inputs.printable(model)
            + " but embedding set "
            + set.id()
            + " of collection '"
            + set.collection()
            + "' holds vectors of model "
            + set.model()
            + ". Nothing was written. Write it into a set of its model (createBuildingSet(...)"
            + " makes one), or re-embed the chunks with "
            + set.model()
            + ".");
  }

  /**
   * Reports an embedding set that does not exist in a collection.
   *
   * @param collection the collection name
   * @param setId the set id
   * @return the error, with code {@link ErrorCode#NOT_FOUND}
   */
  public static NonRetriableException setNotFound(String collection, long setId) {
    return new NonRetriableException(
        ErrorCode.NOT_FOUND,
        "Embedding set "
            + setId
            + " does not exist in collection '"
            + collection
            + "'. List the collection's sets with embeddingSets(\""
            + collection
            + "\").");
  }

  /**
   * Reports a request for a building set while another one exists.
   *
   * @param building the existing building set
   * @param model the requested model
   * @param dimension the requested dimension
   * @return the error, with code {@link ErrorCode#CONFLICT}
   */
  public static NonRetriableException buildingSetExists(
      dev.portfolio.core.model.EmbeddingSet building, String model, int dimension) {
    return new NonRetriableException(
        ErrorCode.CONFLICT,
        "Collection '"
            + building.collection()
            + "' already has building set "
            + building.id()
            + " for model "
            + building.model()
            + " ("
            + building.dimension()
            + " dimensions); requested "
            + model
            + " ("
            + dimension
            + " dimensions). Finish that switch (activate the set) or drop it with dropSet("
            + building.id()
            + ") first.");
  }

  /**
   * Reports a request for a building set of the model the collection already uses.
   *
   * @param active the active set
   * @return the error, with code {@link ErrorCode#CONFLICT}
   */
  public static NonRetriableException sameModelAsActive(
      dev.portfolio.core.model.EmbeddingSet active) {
    return new NonRetriableException(
        ErrorCode.CONFLICT,
        "Collection '"
            + active.collection()
            + "' already uses model "
            + active.model()
            + " with "
            + active.dimension()
            + " dimensions (active set "
            + active.id()
            + "); there is nothing to switch to. Re-embed into the active set instead.");
  }

  /**
   * Reports a set that cannot take part in an operation in its current state.
   *
   * @param set the set
   * @param operation what was asked, for example {@code "dropped"}
   * @param next the next step for the caller
   * @return the error, with code {@link ErrorCode#CONFLICT}
   */
  public static NonRetriableException wrongSetState(
      dev.portfolio.core.model.EmbeddingSet set, String operation, String next) {
    return new NonRetriableException(
        ErrorCode.CONFLICT,
        "Embedding set "
            + set.id()
            + " of collection '"
            + set.collection()
            + "' is "
            + set.state().name().toLowerCase(java.util.Locale.ROOT)
            + " and cannot be "
            + operation
            + ". "
            + next);
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
