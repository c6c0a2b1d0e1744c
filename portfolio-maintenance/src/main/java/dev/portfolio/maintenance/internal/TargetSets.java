package dev.portfolio.maintenance.internal;

import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.model.EmbeddingSet;
import dev.portfolio.core.model.SetState;
import dev.portfolio.core.spi.EmbedderInfo;
import dev.portfolio.core.spi.VectorStore;
import dev.portfolio.core.validation.StoreErrors;

/** Finds the set a re-embed writes to and checks that the embedder's model fits it. */
final class TargetSets {
  private TargetSets() {}

  /**
   * Finds a collection's set by id.
   *
   * @param store the store
   * @param collection the collection
   * @param setId the set, or 0 for the active set
   * @return the set, active or building
   * @throws dev.portfolio.core.error.PortfolioException NOT_FOUND for an unknown collection or set;
   *     CONFLICT for a retired set
   */
  static EmbeddingSet resolve(VectorStore store, String collection, long setId) {
    if (setId == 0) {
      return store.activeSet(collection);
    }
    EmbeddingSet set =
        store.embeddingSets(collection).stream()
            .filter(s -> s.id() == setId)
            .findFirst()
            .orElseThrow(() -> StoreErrors.setNotFound(collection, setId));
    if (set.state() == SetState.RETIRED) {
      throw StoreErrors.wrongSetState(
          set,
          "re-embedded",
          "Re-embed into the active set (targetSet 0) or the building set, or make this one active"
              + " again with rollback(\""
              + collection
              + "\").");
    }
    return set;
  }

  /**
   * Tells whether an embedder writes vectors a set accepts.
   *
   * @param set the set
   * @param info the embedder's description
   * @return true when model reference and dimension are the set's
   */
  static boolean fits(EmbeddingSet set, EmbedderInfo info) {
    return set.model().equals(info.modelRef()) && set.dimension() == info.dimension();
  }

  /**
   * Refuses an embedder whose model or dimension is not the set's, before any work.
   *
   * @param set the target set
   * @param info the embedder's description
   * @throws InvalidInputException DIMENSION_MISMATCH or INVALID_ARGUMENT, naming both models
   */
  static void requireFit(EmbeddingSet set, EmbedderInfo info) {
    if (fits(set, info)) {
      return;
    }
    ErrorCode code =
        set.dimension() != info.dimension()
            ? ErrorCode.DIMENSION_MISMATCH
            : ErrorCode.INVALID_ARGUMENT;
    throw new InvalidInputException(
        code,
        "embedder",
        "Model mismatch: the embedder produces "
            + info.modelRef()
            + " ("
            + info.dimension()
            + " dimensions) but set "
            + set.id()
            + " of collection '"
            + set.collection()
            + "' holds "
            + set.model()
            + " ("
            + set.dimension()
            + " dimensions). Nothing was embedded. To move the collection to "
            + info.modelRef()
            + ", call switchModel(\""
            + set.collection()
            + "\", embedder, options); to re-embed into this set, use an embedder of "
            + set.model()
            + " with "
            + set.dimension()
            + " dimensions.");
  }
}
