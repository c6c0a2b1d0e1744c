package dev.portfolio.maintenance.internal;

import dev.portfolio.core.error.PortfolioException;
import dev.portfolio.core.model.Chunk;
import dev.portfolio.core.model.ChunkQuery;
import dev.portfolio.core.model.CollectionInfo;
import dev.portfolio.core.model.DeleteResult;
import dev.portfolio.core.model.Document;
import dev.portfolio.core.model.DocumentQuery;
import dev.portfolio.core.model.EmbeddingSet;
import dev.portfolio.core.model.OrphanKind;
import dev.portfolio.core.model.Page;
import dev.portfolio.core.model.PurgeResult;
import dev.portfolio.core.model.SearchFilter;
import dev.portfolio.core.model.SetState;
import dev.portfolio.core.model.StoreTable;
import dev.portfolio.core.model.VacuumOutcome;
import dev.portfolio.core.progress.ProgressTracker;
import dev.portfolio.core.spi.VectorStore;
import dev.portfolio.core.validation.StoreErrors;
import dev.portfolio.maintenance.cleanup.CollectionPurge;
import dev.portfolio.maintenance.cleanup.DeletedCleanupOptions;
import dev.portfolio.maintenance.cleanup.DeletedCleanupResult;
import dev.portfolio.maintenance.cleanup.OrphanCleanupOptions;
import dev.portfolio.maintenance.cleanup.OrphanCleanupResult;
import dev.portfolio.maintenance.cleanup.OrphanCount;
import dev.portfolio.maintenance.cleanup.RetiredSet;
import dev.portfolio.maintenance.cleanup.SourceDeleteOptions;
import dev.portfolio.maintenance.cleanup.SourceDeleteResult;
import dev.portfolio.maintenance.lock.OperationLocks;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The cleanup operations: purging soft-deleted documents, removing orphans, deleting a source. Each
 * deletes in bounded batches (one transaction each, so a batch that fails is rolled back whole and
 * retried by the store or by running again), asks its cancellation check before each batch (a
 * cancelled run ends at that batch boundary with what the committed batches removed), holds the
 * locks of the collections it touches, and vacuums the touched tables when it removed something and
 * was not cancelled.
 */
public final class Cleaner {
  private final Settings settings;
  private final VectorStore store;
  private final OperationLocks locks;

  /**
   * Creates the operations.
   *
   * @param settings what every operation shares
   */
  public Cleaner(Settings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.store = settings.store();
    this.locks = new OperationLocks(store);
  }

  // ------------------------------------------------------------------------------ soft-deleted

  /**
   * Purges soft-deleted documents.
   *
   * @param options the options
   * @return the result
   */
  public DeletedCleanupResult cleanupDeleted(DeletedCleanupOptions options) {
    long start = System.nanoTime();
    Instant before = options.deletedBefore(Instant.now());
    List<String> names = targets(options.collections());
    List<PurgeResult> counts = new ArrayList<>();
    long total = 0;
    for (String n : names) {
      PurgeResult c = store.countDeleted(n, before);
      counts.add(c);
      total += c.documents();
    }
    String name = "cleanup-deleted" + (options.dryRun() ? " (dry run)" : "") + " (documents)";
    List<CollectionPurge> purged = new ArrayList<>();
    if (options.dryRun()) {
      try (ProgressTracker progress = ProgressTracker.start(settings.progress(), name, total)) {
        for (int i = 0; i < names.size(); i++) {
          purged.add(new CollectionPurge(names.get(i), counts.get(i), 0));
          progress.advance(counts.get(i).documents());
        }
        DeletedCleanupResult r =
            new DeletedCleanupResult(before, true, false, purged, List.of(), elapsed(start));
        progress.succeed(r.summary());
        return r;
      }
    }
    // Only collections with something to purge are locked: the others are not touched.
    List<String> busy = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      if (counts.get(i).documents() > 0) {
        busy.add(names.get(i));
      }
    }
    BooleanSupplier cancellation = options.cancellation();
    boolean cancelled = false;
    try (OperationLocks.Held held = locks.acquireAll(busy, "cleanup-deleted");
        ProgressTracker progress = ProgressTracker.start(settings.progress(), name, total)) {
      try {
        for (String n : names) {
          PurgeResult sum = PurgeResult.NONE;
          int batches = 0;
          // A batch smaller than the batch size was the collection's last.
          while (busy.contains(n) && !cancelled) {
            if (cancellation.getAsBoolean()) {
              cancelled = true;
              break;
            }
            held.requireHeld(sum.documents() + " documents of '" + n + "' purged before");
            PurgeResult batch = store.purgeDeleted(n, before, options.batchSize());
            if (batch.documents() == 0) {
              break;
            }
            batches++;
            sum = sum.plus(batch);
            progress.advance(batch.documents(), batchMessage(n, batches, sum.documents()));
            if (batch.documents() < options.batchSize()) {
              break;
            }
          }
          purged.add(new CollectionPurge(n, sum, batches));
        }
      } catch (RuntimeException e) {
        progress.fail(e);
        throw e;
      }
      PurgeResult all =
          purged.stream().map(CollectionPurge::removed).reduce(PurgeResult.NONE, PurgeResult::plus);
      List<VacuumOutcome> vacuum =
          options.vacuum() && all.documents() > 0 && !cancelled
              ? store.vacuum(
                  EnumSet.of(StoreTable.DOCUMENTS, StoreTable.CHUNKS, StoreTable.EMBEDDINGS))
              : List.of();
      DeletedCleanupResult r =
          new DeletedCleanupResult(before, false, cancelled, purged, vacuum, elapsed(start));
      progress.succeed(r.summary());
      return r;
    }
  }

  // ------------------------------------------------------------------------------ orphans

  /**
   * Removes orphaned rows, and retired sets when asked.
   *
   * @param options the options
   * @return the result
   */
  public OrphanCleanupResult cleanupOrphans(OrphanCleanupOptions options) {
    long start = System.nanoTime();
    Map<OrphanKind, Long> found = store.countOrphans();
    long total = found.values().stream().mapToLong(Long::longValue).sum();
    List<String> names = store.listCollections().stream().map(CollectionInfo::name).toList();
    List<EmbeddingSet> retired = new ArrayList<>();
    for (String n : names) {
      store.embeddingSets(n).stream()
          .filter(s -> s.state() == SetState.RETIRED)
          .forEach(retired::add);
    }
    String name = "cleanup-orphans" + (options.dryRun() ? " (dry run)" : "") + " (rows)";
    if (options.dryRun()) {
      List<OrphanCount> counts = new ArrayList<>();
      found.forEach((k, v) -> counts.add(new OrphanCount(k, v, 0)));
      List<RetiredSet> sets =
          retired.stream()
              .map(
                  s ->
                      new RetiredSet(
                          s,
                          vectors(s),
                          options.dropRetiredSets() ? "would drop" : "kept for rollback"))
              .toList();
      try (ProgressTracker progress = ProgressTracker.start(settings.progress(), name, total)) {
        OrphanCleanupResult r =
            new OrphanCleanupResult(true, false, counts, sets, List.of(), elapsed(start));
        progress.advance(total);
        progress.succeed(r.summary());
        return r;
      }
    }
    boolean touchesSets = options.dropRetiredSets() && !retired.isEmpty();
    List<String> lockNames = total > 0 || touchesSets ? names : List.of();
    try (OperationLocks.Held held = locks.acquireAll(lockNames, "cleanup-orphans");
        ProgressTracker progress = ProgressTracker.start(settings.progress(), name, total)) {
      List<OrphanCount> counts = new ArrayList<>();
      Set<StoreTable> touched = EnumSet.noneOf(StoreTable.class);
      long removedAll = 0;
      BooleanSupplier cancellation = options.cancellation();
      boolean cancelled = false;
      try {
        for (OrphanKind kind : OrphanKind.values()) {
          long removed = 0;
          int batches = 0;
          // A batch smaller than the batch size was the kind's last.
          while (found.getOrDefault(kind, 0L) > 0 && !cancelled) {
            if (cancellation.getAsBoolean()) {
              cancelled = true;
              break;
            }
            held.requireHeld(removedAll + " orphaned rows removed before");
            long n = store.deleteOrphans(kind, options.batchSize());
            removed += n;
            removedAll += n;
            batches++;
            progress.advance(
                n, batchMessage(kind.name().toLowerCase(Locale.ROOT), batches, removed));
            if (n < options.batchSize()) {
              break;
            }
          }
          if (removed > 0) {
            touched.addAll(tables(kind));
          }
          counts.add(new OrphanCount(kind, found.getOrDefault(kind, 0L), removed));
        }
      } catch (RuntimeException e) {
        progress.fail(e);
        throw e;
      }
      List<RetiredSet> sets = new ArrayList<>();
      for (EmbeddingSet s : retired) {
        long vectors = vectors(s);
        if (!options.dropRetiredSets()) {
          sets.add(new RetiredSet(s, vectors, "kept for rollback"));
          continue;
        }
        if (cancelled) {
          sets.add(new RetiredSet(s, vectors, "kept: cancelled before dropping"));
          continue;
        }
        try {
          sets.add(
              new RetiredSet(
                  s, vectors, store.dropSet(s.collection(), s.id()) ? "dropped" : "already gone"));
        } catch (PortfolioException e) {
          sets.add(new RetiredSet(s, vectors, "not dropped: " + e.getMessage()));
        }
      }
      List<VacuumOutcome> vacuum =
          options.vacuum() && !touched.isEmpty() && !cancelled ? store.vacuum(touched) : List.of();
      OrphanCleanupResult r =
          new OrphanCleanupResult(false, cancelled, counts, sets, vacuum, elapsed(start));
      progress.succeed(r.summary());
      return r;
    }
  }

  private long vectors(EmbeddingSet s) {
    try {
      return store.stats(s.collection(), s.id()).embeddedChunks();
    } catch (PortfolioException e) {
      return 0; // dropped meanwhile
    }
  }

  private static Set<StoreTable> tables(OrphanKind kind) {
    return switch (kind) {
      case CHUNKS_WITHOUT_DOCUMENT -> EnumSet.of(StoreTable.CHUNKS, StoreTable.EMBEDDINGS);
      case READY_DOCUMENTS_WITHOUT_CHUNKS -> EnumSet.of(StoreTable.DOCUMENTS);
      case VECTORS_WITHOUT_CHUNK, VECTORS_WITHOUT_SET -> EnumSet.of(StoreTable.EMBEDDINGS);
    };
  }

  // ------------------------------------------------------------------------------ source

  /**
   * Deletes every document of a source with its chunks, in batches, or counts them.
   *
   * @param options the collection, source, batch size, dry run and cancellation
   * @return the result
   */
  public SourceDeleteResult deleteSource(SourceDeleteOptions options) {
    long start = System.nanoTime();
    String collection = options.collection();
    String sourceId = options.sourceId();
    String op = "delete-source " + collection + " '" + sourceId + "'";
    long documents = countDocuments(collection, sourceId);
    if (options.dryRun()) {
      try (ProgressTracker progress =
          ProgressTracker.start(
              settings.progress(), op + " (dry run)", ProgressTracker.UNKNOWN_TOTAL)) {
        long chunks = 0;
        SearchFilter bySource = SearchFilter.builder().sourceId(sourceId).includeDeleted().build();
        ChunkQuery cq = ChunkQuery.of(collection, ChunkQuery.MAX_LIMIT).withFilter(bySource);
        while (documents > 0) {
          Page<Chunk> page = store.listChunks(cq);
          chunks += page.items().size();
          progress.advance(page.items().size());
          if (!page.hasNext()) {
            break;
          }
          cq = cq.after(page.nextAfter().getAsLong());
        }
        SourceDeleteResult r =
            new SourceDeleteResult(
                collection, sourceId, true, false, documents, chunks, 0, elapsed(start));
        progress.succeed(r.summary());
        return r;
      }
    }
    BooleanSupplier cancellation = options.cancellation();
    try (OperationLocks.Held held = locks.acquireAll(List.of(collection), op);
        ProgressTracker progress =
            ProgressTracker.start(settings.progress(), op + " (documents)", documents)) {
      long removedDocuments = 0;
      long removedChunks = 0;
      int batches = 0;
      boolean cancelled = false;
      try {
        // A batch smaller than the batch size was the last.
        while (true) {
          if (cancellation.getAsBoolean()) {
            cancelled = true;
            break;
          }
          held.requireHeld(removedDocuments + " documents of '" + sourceId + "' deleted before");
          DeleteResult batch = store.deleteBySource(collection, sourceId, options.batchSize());
          if (batch.documents() == 0) {
            break;
          }
          batches++;
          removedDocuments += batch.documents();
          removedChunks += batch.chunks();
          progress.advance(batch.documents(), batchMessage(collection, batches, removedDocuments));
          if (batch.documents() < options.batchSize()) {
            break;
          }
        }
      } catch (RuntimeException e) {
        progress.fail(e);
        throw e;
      }
      SourceDeleteResult r =
          new SourceDeleteResult(
              collection,
              sourceId,
              false,
              cancelled,
              removedDocuments,
              removedChunks,
              batches,
              elapsed(start));
      progress.succeed(r.summary());
      return r;
    }
  }

  /** Counts a source's documents, soft-deleted ones included, in keyset pages. */
  private long countDocuments(String collection, String sourceId) {
    SearchFilter bySource = SearchFilter.builder().sourceId(sourceId).includeDeleted().build();
    long documents = 0;
    DocumentQuery dq = new DocumentQuery(collection, bySource, 0, ChunkQuery.MAX_LIMIT);
    while (true) {
      Page<Document> page = store.listDocuments(dq);
      documents += page.items().size();
      if (!page.hasNext()) {
        return documents;
      }
      dq = dq.after(page.nextAfter().getAsLong());
    }
  }

  /** The progress detail after a batch: {@code docs: batch 3 (1500 so far)}. */
  private static String batchMessage(String what, int batches, long sofar) {
    return what + ": batch " + batches + " (" + sofar + " so far)";
  }

  private List<String> targets(Set<String> requested) {
    if (requested.isEmpty()) {
      return store.listCollections().stream().map(CollectionInfo::name).toList();
    }
    for (String n : requested) {
      store.findCollection(n).orElseThrow(() -> StoreErrors.collectionNotFound(n));
    }
    return requested.stream().sorted().toList();
  }

  private static Duration elapsed(long start) {
    return Duration.ofNanos(System.nanoTime() - start);
  }
}
