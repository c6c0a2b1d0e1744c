package dev.portfolio.maintenance.internal;

import dev.portfolio.core.model.ChunkQuery;
import dev.portfolio.core.model.EmbeddingSet;
import dev.portfolio.core.model.SearchFilter;
import dev.portfolio.maintenance.reembed.ReembedMode;
import dev.portfolio.maintenance.reembed.ReembedOptions;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.LongPredicate;

/**
 * One re-embed run, resolved: the target set, which chunks, and how fast.
 *
 * @param collection the collection
 * @param target the set written to (building or active)
 * @param mode which chunks are selected in the target set
 * @param filter sources and workspace
 * @param documentKeys documents the run is limited to; empty for every document
 * @param batchSize chunks per embedder call and write (pages hold {@link #readSize()})
 * @param maxConcurrency batches in flight at once
 * @param cancellation asked between batches whether to stop
 * @param skip chunk ids to leave alone (those that already failed in an earlier run of a switch)
 * @param operation the name progress is reported under
 * @param window the chunk-id range covered and who hears the checkpoints
 */
record RunSpec(
    String collection,
    EmbeddingSet target,
    ReembedMode mode,
    SearchFilter filter,
    Set<String> documentKeys,
    int batchSize,
    int maxConcurrency,
    BooleanSupplier cancellation,
    LongPredicate skip,
    String operation,
    RunWindow window) {
  /** Never skips a chunk. */
  static final LongPredicate SKIP_NONE = id -> false;

  RunSpec {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(window, "window");
    documentKeys = Set.copyOf(documentKeys);
  }

  /**
   * Returns this run with another cancellation check.
   *
   * @param value the check
   * @return the run
   */
  RunSpec withCancellation(BooleanSupplier value) {
    return new RunSpec(
        collection,
        target,
        mode,
        filter,
        documentKeys,
        batchSize,
        maxConcurrency,
        value,
        skip,
        operation,
        window);
  }

  /** Resolves the options of {@code Maintenance.reembed}. */
  static RunSpec of(ReembedOptions o, EmbeddingSet target) {
    return new RunSpec(
        o.collection(),
        target,
        o.mode(),
        o.filter(),
        o.documentKeys(),
        o.batchSize(),
        o.maxConcurrency(),
        o.cancellation(),
        SKIP_NONE,
        "reembed " + o.collection() + " into set " + target.id(),
        new RunWindow(o.startAfterChunk(), o.upToChunk(), o.checkpoints()));
  }

  /** A run over the whole collection, as a model switch makes them. */
  static RunSpec whole(
      EmbeddingSet target,
      ReembedMode mode,
      int batchSize,
      int maxConcurrency,
      BooleanSupplier cancellation,
      LongPredicate skip,
      String operation) {
    return new RunSpec(
        target.collection(),
        target,
        mode,
        SearchFilter.none(),
        Set.of(),
        batchSize,
        maxConcurrency,
        cancellation,
        skip,
        operation,
        RunWindow.ALL);
  }

  /**
   * Returns how many chunks a page read holds: a batch for each embedder call that may be in
   * flight, so that one query serves them all (a page's cost is mostly per query), at most {@link
   * ChunkQuery#MAX_LIMIT}.
   */
  int readSize() {
    return (int) Math.min(ChunkQuery.MAX_LIMIT, (long) batchSize * Math.max(1, maxConcurrency));
  }

  /** Returns the first page's query. */
  ChunkQuery firstPage() {
    return ChunkQuery.of(collection, Math.max(batchSize, readSize()))
        .withFilter(filter)
        .withEmbeddingState(mode.selects())
        .inSet(target.id());
  }

  /** Tells whether the run covers less than every chunk of the mode. */
  boolean narrowed() {
    return !documentKeys.isEmpty()
        || !filter.equals(SearchFilter.none())
        || skip != SKIP_NONE
        || window.narrowed();
  }
}
