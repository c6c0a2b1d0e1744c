package dev.portfolio.core.inspect;

import dev.portfolio.core.model.EmbeddingSet;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One embedding set's counts at the time of a {@link StoreSnapshot}. Counts cover the chunks of
 * documents that are not soft-deleted (and, for a snapshot of one workspace, of that workspace's
 * documents only), like {@link dev.portfolio.core.model.CollectionStats}.
 *
 * @param set the set: id, model, dimension, state
 * @param vectors chunks with a vector in this set
 * @param staleVectors vectors computed from text other than their chunk's current text
 * @param foreignModelVectors vectors of a model other than the set's
 * @param annIndex the state of the set's ANN index
 * @param bytes bytes of the set's vectors and index (on PostgreSQL its partition with TOAST and
 *     indexes), or empty when the store cannot tell; always for all workspaces
 * @since 0.1.0
 */
public record SetSnapshot(
    EmbeddingSet set,
    long vectors,
    long staleVectors,
    long foreignModelVectors,
    AnnIndexState annIndex,
    OptionalLong bytes) {
  /** Validates the components. */
  public SetSnapshot {
    Objects.requireNonNull(set, "set");
    Objects.requireNonNull(annIndex, "annIndex");
    Objects.requireNonNull(bytes, "bytes");
  }
}
