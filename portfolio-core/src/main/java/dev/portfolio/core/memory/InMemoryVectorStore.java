package dev.portfolio.core.memory;

import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.inspect.AnnIndexState;
import dev.portfolio.core.inspect.CollectionSnapshot;
import dev.portfolio.core.inspect.LatencyRecorder;
import dev.portfolio.core.inspect.OperationLatency;
import dev.portfolio.core.inspect.SetSnapshot;
import dev.portfolio.core.inspect.StoreSnapshot;
import dev.portfolio.core.lock.InProcessLocks;
import dev.portfolio.core.memory.EmbeddingSets.StoredVector;
import dev.portfolio.core.memory.EmbeddingSets.VectorSet;
import dev.portfolio.core.memory.MemoryCollection.ChunkRow;
import dev.portfolio.core.memory.MemoryCollection.DocRow;
import dev.portfolio.core.model.Chunk;
import dev.portfolio.core.model.ChunkInput;
import dev.portfolio.core.model.ChunkQuery;
import dev.portfolio.core.model.CollectionInfo;
import dev.portfolio.core.model.CollectionSpec;
import dev.portfolio.core.model.CollectionStats;
import dev.portfolio.core.model.DeleteResult;
import dev.portfolio.core.model.Distance;
import dev.portfolio.core.model.Document;
import dev.portfolio.core.model.DocumentInput;
import dev.portfolio.core.model.DocumentQuery;
import dev.portfolio.core.model.DocumentStatus;
import dev.portfolio.core.model.EmbeddingSet;
import dev.portfolio.core.model.EmbeddingState;
import dev.portfolio.core.model.EmbeddingUpdate;
import dev.portfolio.core.model.FailedDocument;
import dev.portfolio.core.model.FailureKind;
import dev.portfolio.core.model.KeywordQuery;
import dev.portfolio.core.model.LockHolder;
import dev.portfolio.core.model.OrphanKind;
import dev.portfolio.core.model.Page;
import dev.portfolio.core.model.PurgeResult;
import dev.portfolio.core.model.SearchHit;
import dev.portfolio.core.model.SetState;
import dev.portfolio.core.model.UpsertResult;
import dev.portfolio.core.model.VectorQuery;
import dev.portfolio.core.spi.MaintenanceLock;
import dev.portfolio.core.spi.StoreCapability;
import dev.portfolio.core.spi.VectorStore;
import dev.portfolio.core.validation.DocumentChecks;
import dev.portfolio.core.validation.Inputs;
import dev.portfolio.core.validation.StoreErrors;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * A {@link VectorStore} that keeps everything in the JVM's heap: the embedded default for tests,
 * examples and small corpora. Nothing survives the JVM ({@link StoreCapability#DURABLE} is absent).
 *
 * <ul>
 *   <li>Vectors live in embedding sets ({@link EmbeddingSet}): each set maps chunk ids to a vector
 *       with the model that produced it and the hash of the text it was computed from, so a chunk
 *       can carry one vector per set. A new collection has one {@link SetState#ACTIVE} set of its
 *       spec's model and dimension. Upserted embeddings and {@link #updateEmbeddings} write into
 *       the active set; {@link #writeVectors} writes into a building (or the active) set. {@link
 *       #activateSet} swaps sets at once and {@link #findCollection} then reports the new set's
 *       model and dimension. Deleting or replacing a chunk removes its vector from every set.
 *   <li>Search is exact: every chunk of the matching documents with a vector in the active set is
 *       compared with the query by the collection's {@link Distance}; ties are broken by ascending
 *       chunk id. {@code efSearch} is ignored. In a cosine collection, chunks whose vector is all
 *       zeros never match (as with pgvector, whose HNSW index cannot hold them).
 *   <li>Keyword search ranks chunks by the number of distinct query words they contain (so chunks
 *       with every word come first), then by a BM25 weight of term frequency, word rarity and chunk
 *       length. Words are runs of letters, digits and combining marks in any script, compared after
 *       NFKC normalisation and lower-casing.
 *   <li>Upsert replaces every chunk of a changed document, giving the new chunks new ids. A
 *       document counts as unchanged only when everything stored about it would stay the same:
 *       source, workspace, status, fingerprint, metadata and each chunk's ordinal, text, token
 *       count, embedding, model and metadata.
 *   <li>{@link #updateStatus} rejects {@link DocumentStatus#DELETED} (use {@link #softDelete}); any
 *       other status also brings a soft-deleted document back.
 *   <li>Pages carry a cursor whenever they are full, so the page after a full last page is empty.
 * </ul>
 *
 * <p>Thread-safe: one read-write lock guards the whole store, so reads run in parallel and each
 * write (a whole upsert batch, or a set's activation, included) is atomic. {@link
 * StoreCapability#STORAGE_BYTES} is absent: {@link #storageBytes} is always empty.
 *
 * @since 0.1.0
 */
public final class InMemoryVectorStore implements VectorStore {
  private static final Set<StoreCapability> CAPABILITIES =
      Set.of(
          StoreCapability.KEYWORD_SEARCH,
          StoreCapability.DOCUMENT_HISTORY,
          StoreCapability.METADATA_FILTERS);

  private final Clock clock;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final Map<String, MemoryCollection> collections = new TreeMap<>();
  private final AtomicLong collectionIds = new AtomicLong();
  private final AtomicLong documentIds = new AtomicLong();
  private final AtomicLong chunkIds = new AtomicLong();
  private final AtomicLong setIds = new AtomicLong();
  private final LatencyRecorder latency = new LatencyRecorder();
  private final InProcessLocks locks;

  /** Creates an empty store that timestamps with the system clock (UTC). */
  public InMemoryVectorStore() {
    this(Clock.systemUTC());
  }

  /**
   * Creates an empty store that timestamps with the given clock.
   *
   * @param clock the clock for {@code createdAt}, {@code updatedAt} and {@code deletedAt}, not null
   */
  public InMemoryVectorStore(Clock clock) {
    this.clock = Inputs.requireNonNull("clock", clock);
    this.locks = new InProcessLocks(clock);
  }

  @Override
  public Set<StoreCapability> capabilities() {
    return CAPABILITIES;
  }

  @Override
  public CollectionInfo createCollection(CollectionSpec spec) {
    Inputs.requireNonNull("spec", spec);
    return write(
        () -> {
          MemoryCollection existing = collections.get(spec.name());
          if (existing != null) {
            if (existing.info.spec().equals(spec)) {
              return existing.info;
            }
            throw StoreErrors.collectionConflict(existing.info.spec(), spec);
          }
          Instant now = clock.instant();
          EmbeddingSet active =
              new EmbeddingSet(
                  setIds.incrementAndGet(),
                  spec.name(),
                  spec.model(),
                  spec.dimension(),
                  SetState.ACTIVE,
                  now,
                  now,
                  null);
          MemoryCollection c =
              new MemoryCollection(
                  new CollectionInfo(collectionIds.incrementAndGet(), spec, now), active);
          collections.put(spec.name(), c);
          return c.info;
        });
  }

  @Override
  public Optional<CollectionInfo> findCollection(String name) {
    Inputs.collectionName(name);
    return read(() -> Optional.ofNullable(collections.get(name)).map(c -> c.info));
  }

  @Override
  public List<CollectionInfo> listCollections() {
    return read(() -> collections.values().stream().map(c -> c.info).toList());
  }

  @Override
  public boolean dropCollection(String name) {
    Inputs.collectionName(name);
    return write(() -> collections.remove(name) != null);
  }

  @Override
  public CollectionInfo replaceCollection(String target, String replacement) {
    Inputs.collectionName(target);
    Inputs.collectionName(replacement);
    StoreErrors.checkReplacement(target, replacement);
    return write(
        () -> {
          MemoryCollection c = require(replacement);
          collections.remove(target);
          collections.remove(replacement);
          c.rename(target);
          collections.put(target, c);
          return c.info;
        });
  }

  @Override
  public UpsertResult upsert(String collection, List<DocumentInput> documents) {
    Inputs.collectionName(collection);
    Inputs.requireNoNullElements("documents", documents);
    long started = latency.start();
    try {
      return upsertLocked(collection, documents);
    } finally {
      latency.record("upsert", started);
    }
  }

  private UpsertResult upsertLocked(String collection, List<DocumentInput> documents) {
    return write(
        () -> {
          MemoryCollection c = require(collection);
          Map<Integer, String> problems =
              DocumentChecks.batchProblems(documents, c.info.dimension());
          Instant now = clock.instant();
          int inserted = 0;
          int updated = 0;
          int unchanged = 0;
          List<UpsertResult.Failure> failures = new ArrayList<>();
          for (int i = 0; i < documents.size(); i++) {
            DocumentInput in = documents.get(i);
            String problem = problems.get(i);
            if (problem != null) {
              failures.add(new UpsertResult.Failure(in.key(), problem));
              continue;
            }
            DocRow row = c.documentsByKey.get(in.key());
            if (row == null) {
              insert(c, in, now);
              inserted++;
            } else if (isUnchanged(c, row, in)) {
              unchanged++;
            } else {
              replace(c, row, in, now);
              updated++;
            }
          }
          return new UpsertResult(inserted, updated, unchanged, failures);
        });
  }

  @Override
  public Optional<Document> findDocument(String collection, String key) {
    Inputs.collectionName(collection);
    Inputs.requireKey("key", key);
    return read(
        () ->
            Optional.ofNullable(require(collection).documentsByKey.get(key)).map(r -> r.document));
  }

  @Override
  public List<Chunk> chunks(String collection, String key) {
    Inputs.collectionName(collection);
    Inputs.requireKey("key", key);
    return read(
        () -> {
          MemoryCollection c = require(collection);
          DocRow row = c.documentsByKey.get(key);
          VectorSet active = c.sets.active();
          return row == null
              ? List.of()
              : row.chunks.stream().map(r -> active.view(r.chunk)).toList();
        });
  }

  @Override
  public Page<Document> listDocuments(DocumentQuery query) {
    Inputs.requireNonNull("query", query);
    return read(
        () -> {
          MemoryCollection c = require(query.collection());
          List<Document> items = new ArrayList<>();
          Iterator<DocRow> it = c.documentsById.tailMap(query.afterId(), false).values().iterator();
          while (it.hasNext() && items.size() < query.limit()) {
            Document d = it.next().document;
            if (query.filter().matches(d)) {
              items.add(d);
            }
          }
          return page(items, query.limit(), Document::id);
        });
  }

  @Override
  public Page<Chunk> listChunks(ChunkQuery query) {
    Inputs.requireNonNull("query", query);
    return read(
        () -> {
          MemoryCollection c = require(query.collection());
          VectorSet set = c.sets.resolve(query.setId());
          List<Chunk> items = new ArrayList<>();
          Iterator<ChunkRow> it = c.chunksById.tailMap(query.afterId(), false).values().iterator();
          while (it.hasNext() && items.size() < query.limit()) {
            ChunkRow r = it.next();
            if (!query.filter().matches(r.owner.document)) {
              continue;
            }
            Chunk chunk = set.view(r.chunk);
            if (inState(chunk, query.embeddingState())) {
              items.add(chunk);
            }
          }
          return page(items, query.limit(), Chunk::id);
        });
  }

  @Override
  public int updateEmbeddings(String collection, List<EmbeddingUpdate> updates) {
    Inputs.collectionName(collection);
    Inputs.requireNoNullElements("updates", updates);
    return write(
        () -> {
          MemoryCollection c = require(collection);
          for (EmbeddingUpdate u : updates) {
            if (u.embedding().dimension() != c.info.dimension()) {
              throw StoreErrors.dimensionMismatch(
                  "updates",
                  "the embedding for chunk " + u.chunkId(),
                  c.info.spec(),
                  u.embedding().dimension(),
                  "Nothing was written. Embed the chunks with a model of "
                      + c.info.dimension()
                      + " dimensions.");
            }
          }
          return c.writeVectors(c.sets.active(), updates);
        });
  }

  @Override
  public boolean updateStatus(String collection, String key, DocumentStatus status, String error) {
    Inputs.collectionName(collection);
    Inputs.requireKey("key", key);
    Inputs.requireNonNull("status", status);
    if (status == DocumentStatus.DELETED) {
      throw new InvalidInputException(
          "status",
          "updateStatus cannot set DELETED: call softDelete(collection, key) to hide a document"
              + " and restore(collection, key) to bring it back.");
    }
    return write(
        () -> {
          DocRow row = require(collection).documentsByKey.get(key);
          if (row == null) {
            return false;
          }
          Document d = row.document;
          boolean failed = status == DocumentStatus.FAILED;
          row.failure = null;
          row.document =
              new Document(
                  d.id(),
                  d.collection(),
                  d.key(),
                  d.sourceId(),
                  d.workspace(),
                  status,
                  d.fingerprint(),
                  d.metadata(),
                  failed && error != null ? error.replace('\0', '\uFFFD') : null,
                  failed ? d.attempts() + 1 : d.attempts(),
                  d.createdAt(),
                  clock.instant(),
                  null);
          return true;
        });
  }

  @Override
  public DeleteResult deleteDocument(String collection, String key) {
    Inputs.collectionName(collection);
    Inputs.requireKey("key", key);
    return write(
        () -> {
          MemoryCollection c = require(collection);
          DocRow row = c.documentsByKey.get(key);
          return row == null ? DeleteResult.NONE : new DeleteResult(1, c.removeDocument(row));
        });
  }

  @Override
  public DeleteResult deleteBySource(String collection, String sourceId) {
    Inputs.collectionName(collection);
    Inputs.requireKey("sourceId", sourceId);
    return write(
        () -> {
          MemoryCollection c = require(collection);
          List<DocRow> doomed =
              c.documentsById.values().stream()
                  .filter(r -> r.document.sourceId().equals(sourceId))
                  .toList();
          long chunks = 0;
          for (DocRow row : doomed) {
            chunks += c.removeDocument(row);
          }
          return new DeleteResult(doomed.size(), chunks);
        });
  }

  @Override
  public DeleteResult deleteBySource(String collection, String sourceId, int limit) {
    Inputs.collectionName(collection);
    Inputs.requireKey("sourceId", sourceId);
    Inputs.between("limit", limit, 1, ChunkQuery.MAX_LIMIT);
    return write(
        () -> {
          MemoryCollection c = require(collection);
          // documentsById iterates in id order: the first `limit` of the source.
          List<DocRow> doomed =
              c.documentsById.values().stream()
                  .filter(r -> r.document.sourceId().equals(sourceId))
                  .limit(limit)
                  .toList();
          long chunks = 0;
          for (DocRow row : doomed) {
            chunks += c.removeDocument(row);
          }
          return new DeleteResult(doomed.size(), chunks);
        });
  }

  @Override
  public boolean softDelete(String collection, String key) {
    Inputs.collectionName(collection);
    Inputs.requireKey("key", key);
    return write(
        () -> {
          DocRow row = require(collection).documentsByKey.get(key);
          if (row == null || row.document.status() == DocumentStatus.DELETED) {
            return false;
          }
          Instant now = clock.instant();
          row.document = withStatus(row.document, DocumentStatus.DELETED, now, now);
          return true;
        });
  }

  @Override
  public boolean restore(String collection, String key) {
    Inputs.collectionName(collection);
    Inputs.requireKey("key", key);
    return write(
        () -> {
          MemoryCollection c = require(collection);
          DocRow row = c.documentsByKey.get(key);
          if (row == null || row.document.status() != DocumentStatus.DELETED) {
            return false;
          }
          DocumentStatus status = c.embedded(row) ? DocumentStatus.READY : DocumentStatus.PENDING;
          row.document = withStatus(row.document, status, clock.instant(), null);
          return true;
        });
  }

  @Override
  public List<SearchHit> search(VectorQuery query) {
    Inputs.requireNonNull("query", query);
    long started = latency.start();
    try {
      return read(() -> MemorySearch.vector(require(query.collection()), query));
    } finally {
      latency.record("search", started);
    }
  }

  @Override
  public List<SearchHit> keywordSearch(KeywordQuery query) {
    Inputs.requireNonNull("query", query);
    long started = latency.start();
    try {
      Set<String> words = Keywords.queryWords(query.text());
      return read(() -> MemorySearch.keyword(require(query.collection()), words, query));
    } finally {
      latency.record("keyword_search", started);
    }
  }

  @Override
  public CollectionStats stats(String collection, long setId) {
    Inputs.collectionName(collection);
    return read(
        () -> {
          MemoryCollection c = require(collection);
          return c.stats(c.sets.resolve(setId));
        });
  }

  @Override
  public List<EmbeddingSet> embeddingSets(String collection) {
    Inputs.collectionName(collection);
    return read(() -> require(collection).sets.list());
  }

  @Override
  public EmbeddingSet createBuildingSet(String collection, String model, int dimension) {
    Inputs.collectionName(collection);
    Inputs.requireKey("model", model);
    Inputs.dimension("dimension", dimension);
    return write(
        () ->
            require(collection)
                .sets
                .createBuilding(model, dimension, setIds::incrementAndGet, clock.instant()));
  }

  @Override
  public int deleteVectors(String collection, long setId, java.util.Collection<Long> chunkIds) {
    Inputs.collectionName(collection);
    Inputs.requireNonNull("chunkIds", chunkIds);
    Inputs.requireNoNullElements("chunkIds", new java.util.ArrayList<>(chunkIds));
    Inputs.between("chunkIds.size", chunkIds.size(), 0, ChunkQuery.MAX_LIMIT);
    return write(
        () -> {
          MemoryCollection c = require(collection);
          VectorSet set = c.sets.resolve(setId);
          if (set.info.state() == SetState.RETIRED) {
            throw StoreErrors.wrongSetState(
                set.info,
                "changed",
                "Delete vectors of the active or the building set; activate this one first.");
          }
          int deleted = 0;
          for (long id : new java.util.HashSet<>(chunkIds)) {
            if (set.vectors.remove(id) != null) {
              deleted++;
            }
          }
          return deleted;
        });
  }

  @Override
  public int writeVectors(String collection, long setId, List<EmbeddingUpdate> vectors) {
    Inputs.collectionName(collection);
    Inputs.requireNoNullElements("vectors", vectors);
    return write(
        () -> {
          MemoryCollection c = require(collection);
          VectorSet set = c.sets.resolve(setId);
          if (set.info.state() == SetState.RETIRED) {
            throw StoreErrors.wrongSetState(
                set.info,
                "written to",
                "Write into the active or the building set, or make this one active again with"
                    + " activateSet(\""
                    + collection
                    + "\", "
                    + set.info.id()
                    + ").");
          }
          for (EmbeddingUpdate u : vectors) {
            if (u.embedding().dimension() != set.info.dimension()) {
              throw StoreErrors.setDimensionMismatch(
                  set.info, u.chunkId(), u.embedding().dimension());
            }
            if (!u.model().equals(set.info.model())) {
              throw StoreErrors.setModelMismatch(set.info, u.chunkId(), u.model());
            }
          }
          return c.writeVectors(set, vectors);
        });
  }

  @Override
  public EmbeddingSet activateSet(String collection, long setId) {
    Inputs.collectionName(collection);
    return write(
        () -> {
          MemoryCollection c = require(collection);
          return c.activate(setId, clock.instant());
        });
  }

  @Override
  public boolean dropSet(String collection, long setId) {
    Inputs.collectionName(collection);
    return write(() -> require(collection).sets.drop(setId));
  }

  // ------------------------------------------------------------------------------ inspection

  /**
   * {@inheritDoc}
   *
   * <p>In memory: sizes are unknown ({@link CollectionSnapshot#dataBytes()} and {@link
   * SetSnapshot#bytes()} empty, no relations) and ANN indexes are {@link
   * AnnIndexState#NOT_APPLICABLE}: search is exact.
   */
  @Override
  public StoreSnapshot snapshot(String workspace) {
    if (workspace != null) {
      Inputs.requireKey("workspace", workspace);
    }
    return read(() -> MemorySnapshots.of(collections.values(), workspace, clock.instant()));
  }

  /**
   * {@inheritDoc}
   *
   * <p>In memory the keyword index is examined too: a chunk misses its entry when its text has
   * words ({@link dev.portfolio.core.text.KeywordTokenizer}) but its indexed terms are empty.
   */
  @Override
  public dev.portfolio.core.inspect.ChunkAudit auditChunks(
      dev.portfolio.core.inspect.ChunkAuditQuery query) {
    Inputs.requireNonNull("query", query);
    read(() -> require(query.collection()));
    return dev.portfolio.core.inspect.ChunkAudits.scan(
        this,
        query,
        c ->
            read(
                () -> {
                  MemoryCollection.ChunkRow row = require(c.collection()).chunksById.get(c.id());
                  return row != null
                      && row.terms.length() == 0
                      && !dev.portfolio.core.text.KeywordTokenizer.words(c.text()).isEmpty();
                }));
  }

  /**
   * {@inheritDoc}
   *
   * <p>Measured by this instance: {@code search}, {@code keyword_search} and {@code upsert}, the
   * last {@value LatencyRecorder#DEFAULT_CAPACITY} of each.
   */
  @Override
  public List<OperationLatency> latencies(Duration window) {
    Inputs.requireNonNull("window", window);
    if (window.isNegative() || window.isZero()) {
      throw new InvalidInputException("window", "window must be positive (was " + window + ")");
    }
    return latency.summaries(window);
  }

  // ------------------------------------------------------------------------------ retry, cleanup,
  // locks

  /**
   * {@inheritDoc}
   *
   * <p>In memory: an in-process lock per store.
   */
  @Override
  public MaintenanceLock lockForMaintenance(String collection, String operation) {
    Inputs.collectionName(collection);
    read(() -> require(collection));
    return locks.acquire(collection, operation);
  }

  @Override
  public MaintenanceLock lockShared(String collection, String operation) {
    Inputs.collectionName(collection);
    read(() -> require(collection));
    return locks.acquireShared(collection, operation);
  }

  @Override
  public Optional<LockHolder> maintenanceLockHolder(String collection) {
    Inputs.collectionName(collection);
    return locks.holder(collection);
  }

  @Override
  public Page<FailedDocument> listFailedDocuments(DocumentQuery query) {
    Inputs.requireNonNull("query", query);
    return read(
        () -> {
          List<FailedDocument> items = MemoryMaintenance.failed(require(query.collection()), query);
          return page(items, query.limit(), f -> f.document().id());
        });
  }

  @Override
  public boolean recordFailure(String collection, String key, FailureKind kind, String error) {
    Inputs.collectionName(collection);
    Inputs.requireKey("key", key);
    Inputs.requireNonNull("kind", kind);
    Inputs.requireNonNull("error", error);
    return write(
        () ->
            MemoryMaintenance.recordFailure(
                require(collection), key, kind, error, clock.instant()));
  }

  @Override
  public PurgeResult purgeDeleted(String collection, Instant deletedBefore, int limit) {
    Inputs.collectionName(collection);
    Inputs.between("limit", limit, 1, ChunkQuery.MAX_LIMIT);
    return write(() -> MemoryMaintenance.purge(require(collection), deletedBefore, limit, true));
  }

  @Override
  public PurgeResult countDeleted(String collection, Instant deletedBefore) {
    Inputs.collectionName(collection);
    return read(
        () ->
            MemoryMaintenance.purge(require(collection), deletedBefore, Integer.MAX_VALUE, false));
  }

  @Override
  public Map<OrphanKind, Long> countOrphans() {
    return read(() -> MemoryMaintenance.countOrphans(collections.values()));
  }

  @Override
  public long deleteOrphans(OrphanKind kind, int limit) {
    Inputs.requireNonNull("kind", kind);
    Inputs.between("limit", limit, 1, ChunkQuery.MAX_LIMIT);
    return write(() -> MemoryMaintenance.deleteOrphans(collections.values(), kind, limit));
  }

  @Override
  public String toString() {
    return "InMemoryVectorStore" + read(() -> collections.keySet().toString());
  }

  // ---------------------------------------------------------------------------------------------

  // ------------------------------------------------------------------------------ history

  @Override
  public void recordChanges(
      String collection, List<dev.portfolio.core.model.DocumentChange> changes) {
    Inputs.requireNoNullElements("changes", changes);
    write(
        () -> {
          MemoryCollection c = require(collection);
          for (dev.portfolio.core.model.DocumentChange change : changes) {
            c.history.computeIfAbsent(change.key(), k -> new ArrayList<>()).add(change);
          }
          return null;
        });
  }

  @Override
  public List<dev.portfolio.core.model.DocumentChange> history(String collection, String key) {
    Inputs.requireNonNull("key", key);
    return read(
        () ->
            require(collection).history.getOrDefault(key, List.of()).stream()
                .sorted(
                    java.util.Comparator.comparing(
                        dev.portfolio.core.model.DocumentChange::changedAt))
                .toList());
  }

  /**
   * {@inheritDoc}
   *
   * <p>Records the keys with the collection; searches filter in memory, so there is no index
   * ({@code NOT_APPLICABLE}).
   */
  @Override
  public dev.portfolio.core.model.MetadataFilters defineFilters(
      String collection, Set<String> keys) {
    Inputs.collectionName(collection);
    java.util.SortedSet<String> valid =
        dev.portfolio.core.model.MetadataFilters.validateKeys("keys", keys);
    return write(
        () -> {
          MemoryCollection c = require(collection);
          c.filterKeys.addAll(valid);
          return filtersOf(c);
        });
  }

  @Override
  public dev.portfolio.core.model.MetadataFilters filters(String collection) {
    Inputs.collectionName(collection);
    return read(() -> filtersOf(require(collection)));
  }

  private static dev.portfolio.core.model.MetadataFilters filtersOf(MemoryCollection c) {
    return new dev.portfolio.core.model.MetadataFilters(
        c.info.name(),
        c.filterKeys,
        dev.portfolio.core.model.MetadataFilters.IndexState.NOT_APPLICABLE,
        null);
  }

  private MemoryCollection require(String name) {
    MemoryCollection c = collections.get(name);
    if (c == null) {
      throw StoreErrors.collectionNotFound(name);
    }
    return c;
  }

  private void insert(MemoryCollection c, DocumentInput in, Instant now) {
    Document d =
        new Document(
            documentIds.incrementAndGet(),
            c.info.name(),
            in.key(),
            in.sourceId(),
            in.workspace(),
            in.status(),
            in.fingerprint(),
            in.metadata(),
            null,
            0,
            now,
            now,
            in.status() == DocumentStatus.DELETED ? now : null);
    DocRow row = new DocRow(d);
    row.chunks = newChunks(c, row, in);
    c.documentsByKey.put(d.key(), row);
    c.documentsById.put(d.id(), row);
  }

  private void replace(MemoryCollection c, DocRow row, DocumentInput in, Instant now) {
    Document old = row.document;
    Instant deletedAt = null;
    if (in.status() == DocumentStatus.DELETED) {
      deletedAt = old.deletedAt() == null ? now : old.deletedAt();
    }
    row.document =
        new Document(
            old.id(),
            old.collection(),
            old.key(),
            in.sourceId(),
            in.workspace(),
            in.status(),
            in.fingerprint(),
            in.metadata(),
            in.status() == DocumentStatus.FAILED ? old.error() : null,
            old.attempts(),
            old.createdAt(),
            now,
            deletedAt);
    if (in.status() != DocumentStatus.FAILED) {
      row.failure = null;
    }
    c.removeChunks(row);
    row.chunks = newChunks(c, row, in);
  }

  private List<ChunkRow> newChunks(MemoryCollection c, DocRow owner, DocumentInput in) {
    List<ChunkRow> rows = new ArrayList<>(in.chunks().size());
    for (ChunkInput x : byOrdinal(in.chunks())) {
      String hash = x.contentHash();
      Chunk chunk =
          new Chunk(
              chunkIds.incrementAndGet(),
              c.info.name(),
              in.key(),
              x.ordinal(),
              x.text(),
              hash,
              x.tokenCount(),
              null,
              null,
              null,
              x.metadata());
      ChunkRow r = new ChunkRow(owner, chunk, Keywords.terms(x.text()));
      rows.add(r);
      c.chunksById.put(chunk.id(), r);
      if (x.embedding() != null) {
        c.sets
            .active()
            .vectors
            .put(chunk.id(), new StoredVector(x.embedding(), x.embeddingModel(), hash));
      }
    }
    return rows;
  }

  private static boolean isUnchanged(MemoryCollection c, DocRow row, DocumentInput in) {
    Document d = row.document;
    if (!d.sourceId().equals(in.sourceId())
        || !Objects.equals(d.workspace(), in.workspace())
        || d.status() != in.status()
        || !Objects.equals(d.fingerprint(), in.fingerprint())
        || !d.metadata().equals(in.metadata())
        || row.chunks.size() != in.chunks().size()) {
      return false;
    }
    List<ChunkInput> wanted = byOrdinal(in.chunks());
    for (int i = 0; i < wanted.size(); i++) {
      Chunk s = c.sets.active().view(row.chunks.get(i).chunk);
      ChunkInput x = wanted.get(i);
      boolean same =
          s.ordinal() == x.ordinal()
              && s.text().equals(x.text())
              && s.tokenCount() == x.tokenCount()
              && Objects.equals(s.embedding(), x.embedding())
              && Objects.equals(s.embeddingModel(), x.embeddingModel())
              && s.metadata().equals(x.metadata())
              // an embedding given with the text is computed from it; a stale stored one differs
              && (x.embedding() == null || s.contentHash().equals(s.embeddedTextHash()));
      if (!same) {
        return false;
      }
    }
    return true;
  }

  private static List<ChunkInput> byOrdinal(List<ChunkInput> chunks) {
    List<ChunkInput> sorted = new ArrayList<>(chunks);
    sorted.sort(Comparator.comparingInt(ChunkInput::ordinal));
    return sorted;
  }

  private static Document withStatus(
      Document d, DocumentStatus status, Instant updatedAt, Instant deletedAt) {
    return new Document(
        d.id(),
        d.collection(),
        d.key(),
        d.sourceId(),
        d.workspace(),
        status,
        d.fingerprint(),
        d.metadata(),
        d.error(),
        d.attempts(),
        d.createdAt(),
        updatedAt,
        deletedAt);
  }

  private static boolean inState(Chunk chunk, EmbeddingState state) {
    return switch (state) {
      case ANY -> true;
      case MISSING -> !chunk.hasEmbedding();
      case PRESENT -> chunk.hasEmbedding();
      case STALE -> chunk.isStale();
    };
  }

  private static <T> Page<T> page(
      List<T> items, int limit, java.util.function.ToLongFunction<T> id) {
    OptionalLong next =
        items.size() == limit
            ? OptionalLong.of(id.applyAsLong(items.get(items.size() - 1)))
            : OptionalLong.empty();
    return new Page<>(items, next);
  }

  private <T> T read(Supplier<T> action) {
    return locked(lock.readLock(), action);
  }

  private <T> T write(Supplier<T> action) {
    return locked(lock.writeLock(), action);
  }

  private static <T> T locked(Lock l, Supplier<T> action) {
    l.lock();
    try {
      return action.get();
    } finally {
      l.unlock();
    }
  }
}
