package dev.portfolio.maintenance.internal;

import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.NonRetriableException;
import dev.portfolio.core.model.EmbeddingSet;
import dev.portfolio.core.model.SetState;
import dev.portfolio.core.spi.VectorStore;
import dev.portfolio.maintenance.modelswitch.Activation;
import dev.portfolio.maintenance.modelswitch.SetCoverage;
import dev.portfolio.maintenance.modelswitch.SwitchStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The single steps of a model switch on a collection's embedding sets: status, activate, rollback,
 * drop retired sets, abandon a switch. Each is one or a few store calls; searches always read
 * exactly one set, so a crash between steps leaves them on one model.
 */
public final class SwitchSteps {
  private final VectorStore store;

  /**
   * Creates the steps.
   *
   * @param store the store
   */
  public SwitchSteps(VectorStore store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  /**
   * Reports a collection's sets and their coverage.
   *
   * @param collection the collection
   * @return the status
   */
  public SwitchStatus status(String collection) {
    List<EmbeddingSet> sets = store.embeddingSets(collection);
    EmbeddingSet active = inState(sets, SetState.ACTIVE).get(0);
    Optional<SetCoverage> building =
        inState(sets, SetState.BUILDING).stream().findFirst().map(this::coverage);
    return new SwitchStatus(
        collection, coverage(active), building, inState(sets, SetState.RETIRED));
  }

  /**
   * Reads a set's coverage.
   *
   * @param set the set
   * @return its coverage now
   */
  public SetCoverage coverage(EmbeddingSet set) {
    return SetCoverage.of(set, store.stats(set.collection(), set.id()));
  }

  /**
   * Activates the building set, refusing while it misses chunks unless forced.
   *
   * @param collection the collection
   * @param force activate even when chunks are missing
   * @return what was activated and retired
   * @throws NonRetriableException CONFLICT when there is no building set, or when it misses chunks
   *     and {@code force} is false (the message says how many)
   */
  public Activation activate(String collection, boolean force) {
    EmbeddingSet building =
        store
            .buildingSet(collection)
            .orElseThrow(
                () ->
                    new NonRetriableException(
                        ErrorCode.CONFLICT,
                        "Collection '"
                            + collection
                            + "' has no building set to activate; searches read set "
                            + store.activeSet(collection).id()
                            + " ("
                            + store.activeSet(collection).model()
                            + "). Start a model switch with switchModel(\""
                            + collection
                            + "\", embedder, options); to return to a retired set, use rollback(\""
                            + collection
                            + "\")."));
    SetCoverage coverage = coverage(building);
    if (!coverage.isComplete() && !force) {
      throw incomplete(coverage);
    }
    return activate(coverage, !coverage.isComplete());
  }

  /**
   * Activates a set whose coverage was just checked.
   *
   * @param coverage the set and its coverage
   * @param forced whether chunks were missing
   * @return what was activated and retired
   */
  Activation activate(SetCoverage coverage, boolean forced) {
    EmbeddingSet set = coverage.set();
    EmbeddingSet previous = store.activeSet(set.collection());
    EmbeddingSet active = store.activateSet(set.collection(), set.id());
    EmbeddingSet retired =
        store.embeddingSets(set.collection()).stream()
            .filter(s -> s.id() == previous.id())
            .findFirst()
            .orElse(previous);
    return new Activation(set.collection(), active, retired, coverage, forced);
  }

  /**
   * Describes why a set with missing chunks is not activated.
   *
   * @param coverage the set's coverage
   * @return the error, with code CONFLICT
   */
  static NonRetriableException incomplete(SetCoverage coverage) {
    EmbeddingSet set = coverage.set();
    return new NonRetriableException(
        ErrorCode.CONFLICT,
        String.format(
            Locale.ROOT,
            "Building set %d of collection '%s' (%s, %d dimensions) misses %d of %d chunks"
                + " (%.1f%% embedded); activating it now would hide them from vector search."
                + " Run switchModel again (it resumes and embeds what is missing), re-embed with"
                + " ReembedOptions.builder(\"%s\").targetSet(%d), or activate with force.",
            set.id(),
            set.collection(),
            set.model(),
            set.dimension(),
            coverage.missing(),
            coverage.chunks(),
            coverage.coverage() * 100,
            set.collection(),
            set.id()));
  }

  /**
   * Makes the most recently retired set active again.
   *
   * @param collection the collection
   * @return the set now active
   */
  public EmbeddingSet rollback(String collection) {
    return store.rollback(collection);
  }

  /**
   * Drops every retired set of a collection.
   *
   * @param collection the collection
   * @return the sets dropped, in ascending id order
   */
  public List<EmbeddingSet> dropRetired(String collection) {
    List<EmbeddingSet> dropped = new ArrayList<>();
    for (EmbeddingSet set : inState(store.embeddingSets(collection), SetState.RETIRED)) {
      if (store.dropSet(collection, set.id())) {
        dropped.add(set);
      }
    }
    finishInterruptedDrops();
    return List.copyOf(dropped);
  }

  /**
   * Drops one set, when it exists.
   *
   * @param set the set
   * @return true when it was dropped
   */
  boolean drop(EmbeddingSet set) {
    boolean dropped = store.dropSet(set.collection(), set.id());
    finishInterruptedDrops();
    return dropped;
  }

  /**
   * Releases what drops a crash interrupted left behind ({@link
   * VectorStore#finishInterruptedDrops}).
   */
  void finishInterruptedDrops() {
    store.finishInterruptedDrops();
  }

  /**
   * Abandons a model switch: drops the building set with its vectors.
   *
   * @param collection the collection
   * @return the set dropped, or empty when there was none
   */
  public Optional<EmbeddingSet> abandon(String collection) {
    Optional<EmbeddingSet> building = store.buildingSet(collection);
    building.ifPresent(b -> store.dropSet(collection, b.id()));
    return building;
  }

  private static List<EmbeddingSet> inState(List<EmbeddingSet> sets, SetState state) {
    return sets.stream().filter(s -> s.state() == state).toList();
  }
}
