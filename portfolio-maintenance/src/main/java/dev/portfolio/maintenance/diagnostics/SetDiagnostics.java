package dev.portfolio.maintenance.diagnostics;

import dev.portfolio.core.inspect.AnnIndexState;
import dev.portfolio.core.inspect.CollectionSnapshot;
import dev.portfolio.core.inspect.SetSnapshot;
import dev.portfolio.maintenance.internal.Text;
import java.util.Locale;
import java.util.Objects;

/**
 * One embedding set of a collection.
 *
 * @param id the set id
 * @param state {@code active}, {@code building} or {@code retired}
 * @param model the model reference of its vectors
 * @param dimension the dimension of its vectors
 * @param vectors live chunks with a vector in this set
 * @param missing live chunks without one
 * @param coveragePercent vectors per live chunk in percent, two decimals (100 for no chunks)
 * @param staleVectors vectors computed from text other than their chunk's current text
 * @param foreignModelVectors vectors of a model other than the set's
 * @param annIndex the ANN index: {@code valid}, {@code invalid} (a failed build: maintained by
 *     writes, never used by searches), {@code missing}, or {@code not-applicable} (exact search)
 * @param bytes bytes of the set's vectors with their indexes, or null when the store cannot tell
 * @since 0.1.0
 */
public record SetDiagnostics(
    long id,
    String state,
    String model,
    int dimension,
    long vectors,
    long missing,
    double coveragePercent,
    long staleVectors,
    long foreignModelVectors,
    String annIndex,
    Long bytes) {
  /** Validates the components. */
  public SetDiagnostics {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(annIndex, "annIndex");
  }

  /**
   * Describes a set of a collection snapshot.
   *
   * @param collection the collection
   * @param set one of its sets
   * @return the diagnostics
   */
  public static SetDiagnostics of(CollectionSnapshot collection, SetSnapshot set) {
    long missing = collection.missing(set);
    return new SetDiagnostics(
        set.set().id(),
        set.set().state().name().toLowerCase(Locale.ROOT),
        set.set().model(),
        set.set().dimension(),
        set.vectors(),
        missing,
        Text.percentOf(set.vectors(), collection.chunks()),
        set.staleVectors(),
        set.foreignModelVectors(),
        indexName(set.annIndex()),
        set.bytes().isPresent() ? set.bytes().getAsLong() : null);
  }

  /**
   * Names an index state as reports print it.
   *
   * @param state the state
   * @return for example {@code not-applicable}
   */
  public static String indexName(AnnIndexState state) {
    return state.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
