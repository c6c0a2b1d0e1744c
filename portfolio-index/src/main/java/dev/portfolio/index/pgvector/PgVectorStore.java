package dev.portfolio.index.pgvector;

import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.error.PortfolioException;
import dev.portfolio.core.inspect.LatencyRecorder;
import dev.portfolio.core.inspect.OperationLatency;
import dev.portfolio.core.inspect.StoreSnapshot;
import dev.portfolio.core.inspect.VectorScanPage;
import dev.portfolio.core.inspect.VectorScanQuery;
import dev.portfolio.core.model.Chunk;
import dev.portfolio.core.model.ChunkQuery;
import dev.portfolio.core.model.CollectionInfo;
import dev.portfolio.core.model.CollectionSpec;
import dev.portfolio.core.model.CollectionStats;
import dev.portfolio.core.model.DeleteResult;
import dev.portfolio.core.model.Document;
import dev.portfolio.core.model.DocumentChange;
import dev.portfolio.core.model.DocumentFingerprint;
import dev.portfolio.core.model.DocumentInput;
import dev.portfolio.core.model.DocumentQuery;
import dev.portfolio.core.model.DocumentStatus;
import dev.portfolio.core.model.Embedding;
import dev.portfolio.core.model.EmbeddingSet;
import dev.portfolio.core.model.EmbeddingUpdate;
import dev.portfolio.core.model.FailedDocument;
import dev.portfolio.core.model.FailureKind;
import dev.portfolio.core.model.HybridQuery;
import dev.portfolio.core.model.KeywordQuery;
import dev.portfolio.core.model.LockHolder;
import dev.portfolio.core.model.OrphanKind;
import dev.portfolio.core.model.Page;
import dev.portfolio.core.model.PurgeResult;
import dev.portfolio.core.model.SearchHit;
import dev.portfolio.core.model.StoreTable;
import dev.portfolio.core.model.UpsertResult;
import dev.portfolio.core.model.VacuumOutcome;
import dev.portfolio.core.model.VectorQuery;
import dev.portfolio.core.spi.MaintenanceLock;
import dev.portfolio.core.spi.StoreCapability;
import dev.portfolio.core.spi.VectorStore;
import dev.portfolio.core.validation.Inputs;
import dev.portfolio.core.validation.StoreErrors;
import dev.portfolio.index.internal.AnnIndexBuilder;
import dev.portfolio.index.internal.AnnIndexSql;
import dev.portfolio.index.internal.Identifiers;
import dev.portfolio.index.internal.PgTables;
import dev.portfolio.index.internal.StoreRetry;
import dev.portfolio.index.schema.PortfolioSchema;
import dev.portfolio.index.schema.SchemaOptions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production {@link VectorStore}: PostgreSQL with pgvector, through jOOQ and pgjdbc.
 *
 * <p>Data layout (schema version 2): {@code collections}, {@code documents}, {@code chunks} (text,
 * metadata, content hash and a {@code tsvector} the library builds and sends in binary), {@code
 * embedding_sets} and {@code embeddings}, LIST-partitioned by set: each embedding set (a
 * collection's vectors from one model) has its own partition with its own HNSW index. Searches read
 * the collection's active set only; a model switch fills a building set's partition, builds its
 * index, and activates it with one UPDATE; dropping a retired set drops its partition.
 *
 * <pre>{@code
 * PortfolioSchema.install(dataSource, SchemaOptions.forSchema("portfolio"));
 * try (PgVectorStore store = PgVectorStore.builder(dataSource).schema("portfolio").build()) {
 *   store.createCollection(CollectionSpec.of("docs", "onnx:all-minilm-l6-v2", 384));
 *   store.upsert("docs", documents);
 *   List<SearchHit> hits = store.search(VectorQuery.of("docs", queryVector, 10));
 * }
 * }</pre>
 *
 * <p>Privileges: upserts, searches, deletes and writing vectors into existing sets need only DML
 * rights ({@link PortfolioSchema#grantRuntimeAccess}). Creating a collection or a building set,
 * dropping a set, and building an ANN index are DDL on a partition: they need ownership of the
 * {@code embeddings} table, and without it fail with {@link ErrorCode#PERMISSION_DENIED} naming the
 * SQL an owner must run.
 *
 * <p>The store is a facade over its parts: {@code Catalog} (collections and sets), {@code
 * UpsertPipeline} and {@code BatchWriter} (bulk upsert), {@code VectorWriter} (vectors into a set),
 * {@code Documents} (reads and document life cycle), {@code Search}, {@code Stats}, and {@link
 * AnnIndexBuilder}; {@code Db} is the one helper that opens transactions, retries idempotent work
 * after transient failures (serialization failure, deadlock, lost connection) and records write
 * operations. Thread-safe.
 *
 * @since 0.1.0
 */
public final class PgVectorStore implements VectorStore {
  private static final Logger LOG = LoggerFactory.getLogger(PgVectorStore.class);
  private static final Set<StoreCapability> CAPABILITIES =
      Set.copyOf(
          EnumSet.of(
              StoreCapability.KEYWORD_SEARCH,
              StoreCapability.DURABLE,
              StoreCapability.ANN_INDEX,
              StoreCapability.STORAGE_BYTES,
              StoreCapability.DOCUMENT_HISTORY,
              StoreCapability.METADATA_FILTERS));

  private final AutoCloseable owned;
  private final PgTables t;
  private final Db db;
  private final AnnIndexBuilder indexes;
  private final Catalog catalog;
  private final Documents documents;
  private final UpsertPipeline upserts;
  private final VectorWriter vectors;
  private final Search search;
  private final Stats stats;
  private final Inspection inspection;
  private final LatencyRecorder latency = new LatencyRecorder();
  private final boolean operationLog;
  private final Failures failures;
  private final Cleanup cleanup;
  private final AdvisoryLocks locks;
  private final ChangeDetection changes;
  private final DocumentHistory history;
  private final FilterIndexes filters;

  /** How long {@code operation_log} keeps its rows unless configured: 30 days. */
  public static final Duration DEFAULT_OPERATION_LOG_RETENTION = Duration.ofDays(30);

  private PgVectorStore(Builder b, boolean iterativeScanSupported) {
    this.owned = b.owned;
    this.t = new PgTables(b.schema);
    this.db =
        new Db(
            b.dataSource,
            t,
            new StoreRetry(b.retryAttempts, b.retryInitialBackoff, b.retryMaxBackoff),
            b.operationLog,
            b.operationLogRetention);
    this.indexes =
        new AnnIndexBuilder(
            b.dataSource, b.schema, b.hnswM, b.hnswEfConstruction, b.indexBuildMemoryMb);
    this.catalog = new Catalog(db, indexes, b.indexLockTimeout, b.annIndexOnCreate);
    this.documents = new Documents(db, catalog);
    this.upserts =
        new UpsertPipeline(
            db, catalog, b.maxBatchDocuments, b.maxBatchChunks, b.upsertWriteConnections);
    this.vectors = new VectorWriter(db, catalog);
    this.search =
        new Search(db, catalog, b.defaultEfSearch, b.iterativeScan && iterativeScanSupported);
    this.stats = new Stats(db, catalog, documents);
    this.operationLog = b.operationLog;
    this.inspection = new Inspection(db, b.settings(b.iterativeScan && iterativeScanSupported));
    this.failures = new Failures(db, catalog);
    this.cleanup = new Cleanup(db);
    this.locks = new AdvisoryLocks(b.dataSource, b.schema);
    this.changes = new ChangeDetection(db, catalog);
    this.history = new DocumentHistory(db, catalog);
    this.filters = new FilterIndexes(db);
  }

  /**
   * Starts building a store on a data source.
   *
   * @param dataSource the host's data source (pooled, preferably), not null
   * @return a builder
   */
  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  /**
   * Returns the schema this store works in.
   *
   * @return the schema name
   */
  public String schema() {
    return t.schema();
  }

  /**
   * Returns the data source this store works on, for components that keep their own tables in the
   * same schema (the job queue of {@code portfolio-maintenance}, for example). The store does not
   * hand out connections; callers open and close their own.
   *
   * @return the data source given to {@link #builder(DataSource)}, or the pool the provider made
   */
  public DataSource dataSource() {
    return db.dataSource();
  }

  @Override
  public Set<StoreCapability> capabilities() {
    return CAPABILITIES;
  }

  // ------------------------------------------------------------------------------ collections

  /**
   * {@inheritDoc}
   *
   * <p>Creates the collection, its active set and the set's partition in one transaction, with the
   * (empty) partition's HNSW index unless {@code annIndexOnCreate} is off. This is DDL: the role
   * must own the {@code embeddings} table.
   */
  @Override
  public CollectionInfo createCollection(CollectionSpec spec) {
    Inputs.requireNonNull("spec", spec);
    return catalog.createCollection(spec);
  }

  @Override
  public Optional<CollectionInfo> findCollection(String name) {
    Inputs.collectionName(name);
    return catalog.findCollection(name);
  }

  @Override
  public List<CollectionInfo> listCollections() {
    return catalog.listCollections();
  }

  @Override
  public boolean dropCollection(String name) {
    Inputs.collectionName(name);
    search.written(name);
    boolean dropped = catalog.dropCollection(name);
    if (dropped) {
      filters.dropOrphans();
    }
    return dropped;
  }

  @Override
  public CollectionInfo replaceCollection(String target, String replacement) {
    Inputs.collectionName(target);
    Inputs.collectionName(replacement);
    StoreErrors.checkReplacement(target, replacement);
    search.written(target);
    search.written(replacement);
    CollectionInfo replaced = catalog.replaceCollection(target, replacement);
    filters.dropOrphans();
    return replaced;
  }

  // ------------------------------------------------------------------------------ embedding sets

  @Override
  public List<EmbeddingSet> embeddingSets(String collection) {
    Inputs.collectionName(collection);
    return catalog.embeddingSets(collection);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Creates the set's partition without an index: the bulk write goes faster without one, and
   * {@link #activateSet} builds it.
   */
  @Override
  public EmbeddingSet createBuildingSet(String collection, String model, int dimension) {
    Inputs.collectionName(collection);
    Inputs.requireKey("model", model);
    Inputs.dimension("dimension", dimension);
    return catalog.createBuildingSet(collection, model, dimension);
  }

  @Override
  public int writeVectors(String collection, long setId, List<EmbeddingUpdate> vectors) {
    Inputs.collectionName(collection);
    Inputs.requireNoNullElements("vectors", vectors);
    requireSetId(setId);
    return this.vectors.write(collection, setId, vectors, true);
  }

  /**
   * {@inheritDoc}
   *
   * <p>First builds the set's ANN index when it lacks one ({@code CREATE INDEX CONCURRENTLY}, which
   * needs ownership of the partition), so searches are served by an index from the first moment;
   * then switches in one transaction.
   */
  @Override
  public EmbeddingSet activateSet(String collection, long setId) {
    Inputs.collectionName(collection);
    requireSetId(setId);
    return catalog.activateSet(collection, setId);
  }

  @Override
  public boolean dropSet(String collection, long setId) {
    Inputs.collectionName(collection);
    requireSetId(setId);
    return catalog.dropSet(collection, setId);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Drops the partitions of {@code embeddings} (attached, pending detach, or detached) whose set
   * no longer exists, with {@code DETACH PARTITION CONCURRENTLY} and {@code DROP TABLE}. Needs the
   * schema owner's rights; without them the leftovers are logged and left.
   */
  @Override
  public int finishInterruptedDrops() {
    return catalog.finishInterruptedDrops() + filters.dropOrphans();
  }

  private static void requireSetId(long setId) {
    if (setId < 0) {
      throw new InvalidInputException(
          "setId", "setId must be >= 0, 0 meaning the active set (was " + setId + ")");
    }
  }

  // ------------------------------------------------------------------------------ writes

  @Override
  public UpsertResult upsert(String collection, List<DocumentInput> documents) {
    Inputs.collectionName(collection);
    Inputs.requireNoNullElements("documents", documents);
    long chunks = 0;
    for (DocumentInput d : documents) {
      chunks += d.chunks().size();
    }
    long written = chunks;
    java.util.concurrent.atomic.AtomicBoolean merged =
        new java.util.concurrent.atomic.AtomicBoolean();
    Runnable merge =
        () -> {
          if (merged.compareAndSet(false, true)) {
            search.written(collection, written);
          }
        };
    long started = latency.start();
    try {
      // The keyword index's pending list is merged alongside the ANALYZE of a bulk load.
      return upserts.upsert(collection, documents, merge);
    } finally {
      latency.record("upsert", started);
      merge.run();
    }
  }

  @Override
  public int updateEmbeddings(String collection, List<EmbeddingUpdate> updates) {
    Inputs.collectionName(collection);
    Inputs.requireNoNullElements("updates", updates);
    return vectors.write(collection, 0, updates, false);
  }

  @Override
  public boolean updateStatus(String collection, String key, DocumentStatus status, String error) {
    Inputs.collectionName(collection);
    Inputs.requireKey("key", key);
    Inputs.requireNonNull("status", status);
    if (status == DocumentStatus.DELETED) {
      throw new InvalidInputException(
          "status", "status DELETED is set by softDelete(collection, key); call that instead");
    }
    return documents.updateStatus(collection, key, status, error);
  }

  @Override
  public DeleteResult deleteDocument(String collection, String key) {
    Inputs.collectionName(collection);
    Inputs.requireKey("key", key);
    try {
      return documents.deleteDocument(collection, key);
    } finally {
      search.written(collection);
    }
  }

  @Override
  public DeleteResult deleteBySource(String collection, String sourceId) {
    Inputs.collectionName(collection);
    Inputs.requireKey("sourceId", sourceId);
    try {
      return documents.deleteBySource(collection, sourceId);
    } finally {
      search.written(collection);
    }
  }

  @Override
  public DeleteResult deleteBySource(String collection, String sourceId, int limit) {
    Inputs.collectionName(collection);
    Inputs.requireKey("sourceId", sourceId);
    Inputs.between("limit", limit, 1, ChunkQuery.MAX_LIMIT);
    try {
      return documents.deleteBySource(collection, sourceId, limit);
    } finally {
      search.written(collection);
    }
  }

  @Override
  public boolean softDelete(String collection, String key) {
    Inputs.collectionName(collection);
    Inputs.requireKey("key", key);
    return documents.softDelete(collection, key);
  }

  @Override
  public boolean restore(String collection, String key) {
    Inputs.collectionName(collection);
    Inputs.requireKey("key", key);
    return documents.restore(collection, key);
  }

  // ------------------------------------------------------------------------------ reads

  @Override
  public Optional<Document> findDocument(String collection, String key) {
    Inputs.collectionName(collection);
    Inputs.requireKey("key", key);
    return documents.findDocument(collection, key);
  }

  @Override
  public List<Chunk> chunks(String collection, String key) {
    Inputs.collectionName(collection);
    Inputs.requireKey("key", key);
    return documents.chunks(collection, key);
  }

  @Override
  public Page<Document> listDocuments(DocumentQuery query) {
    Inputs.requireNonNull("query", query);
    return documents.listDocuments(query);
  }

  @Override
  public Page<Chunk> listChunks(ChunkQuery query) {
    Inputs.requireNonNull("query", query);
    return documents.listChunks(query);
  }

  // ------------------------------------------------------------------------------ search

  @Override
  public List<SearchHit> search(VectorQuery query) {
    Inputs.requireNonNull("query", query);
    long started = latency.start();
    try {
      return search.search(query);
    } finally {
      latency.record("search", started);
    }
  }

  /**
   * Returns PostgreSQL's plan for the statement {@link #search(VectorQuery)} runs, for checking
   * that the active set's ANN index serves a collection's searches ({@code Index Scan using
   * embeddings_<set>_ann}).
   *
   * @param query the search
   * @return the plan text of {@code EXPLAIN}
   */
  public String explainSearch(VectorQuery query) {
    Inputs.requireNonNull("query", query);
    return search.explainSearch(query);
  }

  /**
   * {@inheritDoc}
   *
   * <p>The GIN index finds candidates: the chunks containing the query's rarest words (those whose
   * document frequencies add up to at most 1,000 chunks; the rarest always), or, when every word is
   * in more chunks than that, the chunks containing every word. The best of them by {@code ts_rank}
   * (at least 100, twice the limit) are ranked by {@link dev.portfolio.core.text.Bm25}. Statistics
   * (chunk count, average length, document frequencies) are exact up to 2,000 chunks; above,
   * frequent words are estimated from a sample of about 2,000 chunks, read at the first search and
   * again a minute later or after a write through this store, and rare words are counted through
   * the index. Searches write nothing.
   */
  @Override
  public List<SearchHit> keywordSearch(KeywordQuery query) {
    Inputs.requireNonNull("query", query);
    long started = latency.start();
    try {
      return search.keywordSearch(query);
    } finally {
      latency.record("keyword_search", started);
    }
  }

  /**
   * Returns PostgreSQL's plan for the candidate query of {@link #keywordSearch(KeywordQuery)}, for
   * checking that the keyword index serves it ({@code Bitmap Index Scan on chunks_text_tsv_idx}).
   * Runs no search.
   *
   * @param query the search
   * @return the plan text of {@code EXPLAIN}, empty when the query has no words
   * @since 0.1.0
   */
  public String explainKeywordSearch(KeywordQuery query) {
    Inputs.requireNonNull("query", query);
    return search.explainKeywordSearch(query);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Runs the vector and the keyword search at the same time, each on its own connection of the
   * pool (the keyword search on a virtual thread), so that the latency is about the slower of the
   * two rather than their sum; fuses them as the default does.
   */
  @Override
  public List<SearchHit> hybridSearch(HybridQuery query) {
    Inputs.requireNonNull("query", query);
    return search.hybridSearch(query);
  }

  /**
   * Returns PostgreSQL's plans for the two statements a {@link #hybridSearch(HybridQuery)} runs:
   * the vector search's ({@link #explainSearch(VectorQuery)}, vector redacted) and the keyword
   * search's candidate query ({@link #explainKeywordSearch(KeywordQuery)}), each under a heading
   * line. Runs no search.
   *
   * @param query the search
   * @return {@code "-- vector search"}, its plan, {@code "-- keyword search"}, its plan
   * @since 0.1.0
   */
  public String explainHybridSearch(HybridQuery query) {
    Inputs.requireNonNull("query", query);
    int candidates = Math.min(VectorQuery.MAX_LIMIT, query.limit() * 4);
    return "-- vector search\n"
        + search.explainSearch(query.vectorQuery(candidates))
        + "\n-- keyword search\n"
        + search.explainKeywordSearch(
            new KeywordQuery(query.collection(), query.text(), candidates, query.filter()));
  }

  // ------------------------------------------------------------------------------ statistics

  @Override
  public CollectionStats stats(String collection, long setId) {
    Inputs.collectionName(collection);
    requireSetId(setId);
    return stats.stats(collection, setId);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Documents and chunks are measured row by row ({@code pg_column_size}), the sets' partitions
   * by their size (heap and TOAST).
   */
  @Override
  public OptionalLong storageBytes(String collection) {
    Inputs.collectionName(collection);
    return OptionalLong.of(stats.storageBytes(collection));
  }

  // ------------------------------------------------------------------------------ ANN indexes

  /**
   * Builds the HNSW index of a collection's active set, without blocking writes ({@code CREATE
   * INDEX CONCURRENTLY} on the set's partition), {@code halfvec(N)} above 2000 dimensions, then
   * analyses the partition. Building after a bulk load is much faster than loading into an indexed
   * set.
   *
   * <p>The role must own the set's partition (the role that created the collection, or the schema
   * owner).
   *
   * @param collection the collection
   * @return true when the index was built, false when a valid one already existed
   * @throws PortfolioException with {@link ErrorCode#PERMISSION_DENIED} naming the SQL to run when
   *     the role may not create it; with {@link ErrorCode#UNSUPPORTED} above 4000 dimensions
   */
  public boolean createAnnIndex(String collection) {
    Inputs.collectionName(collection);
    CollectionRow coll =
        db.read("Reading collection '" + collection + "'", tx -> catalog.require(tx, collection));
    return db.logged(
        "create_ann_index",
        collection,
        () -> indexes.build(collection, coll.activeSetId(), coll.dimension(), coll.distance()),
        built -> built ? 1 : 0);
  }

  /**
   * Builds the missing ANN indexes of every collection's active set (those above 4000 dimensions
   * excepted), as {@link #createAnnIndex(String)} does for one.
   *
   * @return the names of the collections whose index was built now
   */
  public List<String> ensureAnnIndexes() {
    List<String> built = new ArrayList<>();
    for (CollectionInfo c : listCollections()) {
      if (AnnIndexSql.indexable(c.dimension()) && createAnnIndex(c.name())) {
        built.add(c.name());
      }
    }
    return built;
  }

  /**
   * Tells whether a collection's active set has a valid ANN index.
   *
   * @param collection the collection
   * @return true when the index exists and is valid
   */
  public boolean hasAnnIndex(String collection) {
    Inputs.collectionName(collection);
    return db.read(
        "Reading the ANN index of collection '" + collection + "'",
        tx ->
            Boolean.TRUE.equals(
                indexes.validity(tx.connection(), catalog.require(tx, collection).activeSetId())));
  }

  // ------------------------------------------------------------------------------ inspection

  /**
   * {@inheritDoc}
   *
   * <p>Two statements in one read-only transaction: the counts of every collection and set
   * (documents, chunks and vectors each read once, whatever the number of collections), then the
   * schema's tables and indexes from the catalog ({@code pg_class}, {@code pg_index}, {@code
   * pg_stat_user_tables}, {@code pg_statio_user_tables}, {@code pg_statio_user_indexes}). The
   * configuration names the connection URL and user with secrets masked, never a password.
   */
  @Override
  public StoreSnapshot snapshot(String workspace) {
    if (workspace != null) {
      Inputs.requireKey("workspace", workspace);
    }
    return inspection.snapshot(workspace);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Searches ({@code search}, {@code keyword_search}) are measured by this instance in memory
   * (searches never write, so no row records them; the last {@value
   * LatencyRecorder#DEFAULT_CAPACITY} of each). With the operation log on (the default), {@code
   * upsert}, {@code update_embeddings} and {@code write_vectors} come from the log and cover every
   * process writing to the schema; with it off, {@code upsert} is measured in process.
   */
  @Override
  public List<OperationLatency> latencies(Duration window) {
    Inputs.requireNonNull("window", window);
    if (window.isNegative() || window.isZero()) {
      throw new InvalidInputException("window", "window must be positive (was " + window + ")");
    }
    List<OperationLatency> out = new ArrayList<>();
    for (OperationLatency l : latency.summaries(window)) {
      if (!operationLog || !Inspection.LOGGED_WRITES.contains(l.operation())) {
        out.add(l);
      }
    }
    if (operationLog) {
      out.addAll(inspection.loggedLatencies(window));
    }
    out.sort(java.util.Comparator.comparing(OperationLatency::operation));
    return List.copyOf(out);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Each vector is examined on the server, so values that no {@code Embedding} could hold (NaN,
   * infinities, another dimension, written by hand or by an old client) are found, and no vector
   * leaves the database: a page costs a keyset range of the set's partition.
   */
  @Override
  public VectorScanPage scanVectors(VectorScanQuery query) {
    Inputs.requireNonNull("query", query);
    return inspection.scan(query, catalog);
  }

  /**
   * {@inheritDoc}
   *
   * <p>On PostgreSQL two statements in one read-only transaction: one pass over the (sampled)
   * chunks computing {@code sha256} of each text on the server, whether its {@code tsvector} is
   * empty although the text has letters or digits, and its token count; then, when keys are
   * required, one pass over the documents ({@code jsonb_exists_all}). No text leaves the database.
   */
  @Override
  public dev.portfolio.core.inspect.ChunkAudit auditChunks(
      dev.portfolio.core.inspect.ChunkAuditQuery query) {
    Inputs.requireNonNull("query", query);
    return inspection.audit(query, catalog);
  }

  /**
   * {@inheritDoc}
   *
   * <p>On PostgreSQL one {@code DELETE} on the set's partition.
   */
  @Override
  public int deleteVectors(String collection, long setId, Collection<Long> chunkIds) {
    Inputs.collectionName(collection);
    Inputs.requireNonNull("chunkIds", chunkIds);
    Inputs.requireNoNullElements("chunkIds", new ArrayList<>(chunkIds));
    Inputs.between("chunkIds.size", chunkIds.size(), 0, ChunkQuery.MAX_LIMIT);
    requireSetId(setId);
    try {
      return vectors.delete(collection, setId, chunkIds);
    } finally {
      search.written(collection);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>On PostgreSQL this is {@link #createAnnIndex(String)}: {@code CREATE INDEX CONCURRENTLY} on
   * the set's partition, after dropping an invalid index; the role must own the partition.
   */
  @Override
  public boolean buildAnnIndex(String collection) {
    return createAnnIndex(collection);
  }

  // ------------------------------------------------------------------------------ metadata filters

  /**
   * {@inheritDoc}
   *
   * <p>On PostgreSQL the keys are recorded in {@code collections.settings} ({@code "filters"}, one
   * transaction, DML), then the collection's filter index is built unless a valid one exists:
   * {@code CREATE INDEX CONCURRENTLY IF NOT EXISTS documents_<collection id>_filters ON documents
   * USING gin (metadata jsonb_path_ops) WHERE collection_id = <collection id>}, after dropping an
   * invalid leftover, then {@code ANALYZE documents}. One index serves every key. Building it needs
   * ownership of the {@code documents} table; a role without it gets {@code PERMISSION_DENIED}
   * naming that statement, with the keys recorded. Dropping or replacing the collection drops the
   * index ({@code DROP INDEX CONCURRENTLY}; without ownership it is logged and left, and {@link
   * #finishInterruptedDrops} run by the owner drops it).
   */
  @Override
  public dev.portfolio.core.model.MetadataFilters defineFilters(
      String collection, Set<String> keys) {
    Inputs.collectionName(collection);
    return filters.define(
        collection, dev.portfolio.core.model.MetadataFilters.validateKeys("keys", keys));
  }

  /**
   * {@inheritDoc}
   *
   * <p>The index state is read from {@code pg_index.indisvalid} of {@code documents_<collection
   * id>_filters}.
   */
  @Override
  public dev.portfolio.core.model.MetadataFilters filters(String collection) {
    Inputs.collectionName(collection);
    return filters.read(collection);
  }

  /**
   * Returns the statement that builds a collection's metadata filter index, for an owner to run by
   * hand (a runtime role without DDL rights cannot).
   *
   * @param collection the collection
   * @return {@code CREATE INDEX CONCURRENTLY IF NOT EXISTS ...}, without the closing semicolon
   * @since 0.1.0
   */
  public String filterIndexSql(String collection) {
    Inputs.collectionName(collection);
    CollectionRow coll =
        db.read("Reading collection '" + collection + "'", tx -> catalog.require(tx, collection));
    return filters.createSql(coll.id());
  }

  // ------------------------------------------------------------------------------ retry, cleanup,
  // locks

  /**
   * {@inheritDoc}
   *
   * <p>On PostgreSQL: a session-level advisory lock on a connection of the data source that stays
   * checked out until the lock is closed (size the pool for it), and a row in {@code
   * maintenance_locks} naming the holder. Another process, or another store object on the same
   * schema, is refused; when the holder's session ends, PostgreSQL frees the lock.
   */
  @Override
  public MaintenanceLock lockForMaintenance(String collection, String operation) {
    Inputs.collectionName(collection);
    return locks.acquire(collection, operation);
  }

  /**
   * {@inheritDoc}
   *
   * <p>On PostgreSQL every lock is taken on one connection.
   */
  @Override
  public MaintenanceLock lockForMaintenance(
      java.util.Collection<String> collections, String operation) {
    Inputs.requireNonNull("collections", collections);
    collections.forEach(Inputs::collectionName);
    return locks.acquire(collections, operation);
  }

  /**
   * {@inheritDoc}
   *
   * <p>On PostgreSQL: a shared session-level advisory lock ({@code pg_try_advisory_lock_shared}) on
   * a connection that stays checked out until the lock is closed, and the {@code maintenance_locks}
   * row naming the holder.
   */
  @Override
  public MaintenanceLock lockShared(String collection, String operation) {
    Inputs.collectionName(collection);
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
    return failures.listFailed(query);
  }

  @Override
  public boolean recordFailure(String collection, String key, FailureKind kind, String error) {
    Inputs.collectionName(collection);
    Inputs.requireKey("key", key);
    Inputs.requireNonNull("kind", kind);
    Inputs.requireNonNull("error", error);
    return failures.recordFailure(collection, key, kind, error);
  }

  @Override
  public PurgeResult purgeDeleted(String collection, Instant deletedBefore, int limit) {
    Inputs.collectionName(collection);
    Inputs.between("limit", limit, 1, ChunkQuery.MAX_LIMIT);
    try {
      return cleanup.purgeDeleted(collection, deletedBefore, limit, catalog);
    } finally {
      search.written(collection);
    }
  }

  @Override
  public PurgeResult countDeleted(String collection, Instant deletedBefore) {
    Inputs.collectionName(collection);
    return cleanup.countDeleted(collection, deletedBefore, catalog);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Counts over the whole schema with anti-joins: each kind reads its table once.
   */
  @Override
  public Map<OrphanKind, Long> countOrphans() {
    return cleanup.countOrphans();
  }

  @Override
  public long deleteOrphans(OrphanKind kind, int limit) {
    Inputs.requireNonNull("kind", kind);
    Inputs.between("limit", limit, 1, ChunkQuery.MAX_LIMIT);
    return cleanup.deleteOrphans(kind, limit);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Runs {@code VACUUM (ANALYZE)} on each table on an auto-commit connection (VACUUM cannot run
   * in a transaction block), without a statement timeout. VACUUM needs ownership of the table (or
   * the database, or superuser): with a DML-only runtime role the table is reported skipped, with
   * the statement for the schema owner; autovacuum reclaims the space in time either way.
   */
  @Override
  public List<VacuumOutcome> vacuum(Set<StoreTable> tables) {
    Inputs.requireNonNull("tables", tables);
    return cleanup.vacuum(tables);
  }

  // ------------------------------------------------------------------------------ plumbing

  // ------------------------------------------------------------------------------ change detection

  @Override
  public Map<String, DocumentFingerprint> fingerprints(String collection, Collection<String> keys) {
    return changes.fingerprints(collection, keys);
  }

  @Override
  public Map<String, Map<String, Embedding>> reusableVectors(
      String collection, Collection<String> keys) {
    return changes.reusableVectors(collection, keys);
  }

  @Override
  public void recordChanges(String collection, List<DocumentChange> entries) {
    history.record(collection, entries);
  }

  @Override
  public List<DocumentChange> history(String collection, String key) {
    return history.history(collection, key);
  }

  @Override
  public void close() {
    if (owned != null) {
      try {
        owned.close();
      } catch (Exception e) {
        LOG.warn("Closing the connection pool failed: {}", e.getMessage());
      }
    }
  }

  @Override
  public String toString() {
    return "PgVectorStore[schema=" + t.schema() + "]";
  }

  /**
   * Builds a {@link PgVectorStore}. Not thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private final DataSource dataSource;
    private AutoCloseable owned;
    private String schema = SchemaOptions.DEFAULT_SCHEMA;
    private int defaultEfSearch;
    private int hnswM = 16;
    private int hnswEfConstruction = 64;
    private boolean annIndexOnCreate = true;
    private int indexBuildMemoryMb;
    private Duration indexLockTimeout = Duration.ofSeconds(10);
    private int maxBatchDocuments = 1000;
    private int maxBatchChunks = 10_000;
    private int upsertWriteConnections = 2;
    private int retryAttempts = 3;
    private Duration retryInitialBackoff = Duration.ofMillis(50);
    private Duration retryMaxBackoff = Duration.ofSeconds(2);
    private boolean operationLog = true;
    private Duration operationLogRetention = DEFAULT_OPERATION_LOG_RETENTION;
    private boolean iterativeScan = true;
    private boolean verifySchema = true;

    private Builder(DataSource dataSource) {
      this.dataSource = Inputs.requireNonNull("dataSource", dataSource);
    }

    /**
     * Sets the schema the tables live in (default: {@value SchemaOptions#DEFAULT_SCHEMA}).
     *
     * @param value the schema name
     * @return this builder
     */
    public Builder schema(String value) {
      this.schema = value;
      return this;
    }

    /**
     * Sets the HNSW {@code ef_search} used when a query gives none (default: 0, the server's
     * setting, 40 unless changed).
     *
     * @param value 0, or 1 to 1000
     * @return this builder
     */
    public Builder defaultEfSearch(int value) {
      this.defaultEfSearch = value;
      return this;
    }

    /**
     * Sets HNSW {@code m} for indexes this store builds (default: 16).
     *
     * @param value 2 to 100
     * @return this builder
     */
    public Builder hnswM(int value) {
      this.hnswM = value;
      return this;
    }

    /**
     * Sets HNSW {@code ef_construction} for indexes this store builds (default: 64).
     *
     * @param value 4 to 1000, at least {@code 2 * m}
     * @return this builder
     */
    public Builder hnswEfConstruction(int value) {
      this.hnswEfConstruction = value;
      return this;
    }

    /**
     * Builds the ANN index of a new collection's (empty) active set when the collection is created
     * (default: true). Turn it off to bulk load first and call {@link
     * PgVectorStore#createAnnIndex(String)} afterwards: building HNSW after loading is several
     * times faster than loading into it.
     *
     * @param value whether to build the index on creation
     * @return this builder
     */
    public Builder annIndexOnCreate(boolean value) {
      this.annIndexOnCreate = value;
      return this;
    }

    /**
     * Sets {@code maintenance_work_mem} for index builds, in MiB (default: 0, the server's
     * setting). HNSW builds are far faster when the graph fits.
     *
     * @param value 0, or 1 to 1048576
     * @return this builder
     */
    public Builder indexBuildMemoryMb(int value) {
      this.indexBuildMemoryMb = value;
      return this;
    }

    /**
     * Sets how long DDL (creating or dropping a set's partition) may wait for locks before it fails
     * with a retriable error (default: 10 s).
     *
     * @param value a positive duration
     * @return this builder
     */
    public Builder indexLockTimeout(Duration value) {
      this.indexLockTimeout = value;
      return this;
    }

    /**
     * Sets the most documents one upsert transaction holds (default: 1000).
     *
     * @param value 1 to 100000
     * @return this builder
     */
    public Builder maxBatchDocuments(int value) {
      this.maxBatchDocuments = value;
      return this;
    }

    /**
     * Sets the most chunks one upsert transaction holds (default: 10000); a larger document is
     * written alone.
     *
     * @param value 1 to 1000000
     * @return this builder
     */
    public Builder maxBatchChunks(int value) {
      this.maxBatchChunks = value;
      return this;
    }

    /**
     * Sets how many batches one upsert writes at once, each in its own transaction on its own
     * connection of the pool (default: 2). An upsert of one batch uses one connection. Several
     * connections let PostgreSQL work on several batches in parallel, which is where a bulk load
     * spends its time (the keyword index, the chunk rows); 1 writes one batch after another. Size
     * the pool for it: a writer waits for a free connection like any other user of the pool.
     *
     * @param value 1 to 16
     * @return this builder
     * @since 0.1.0
     */
    public Builder upsertWriteConnections(int value) {
      this.upsertWriteConnections = value;
      return this;
    }

    /**
     * Sets how often an idempotent operation is attempted in total after transient failures
     * (default: 3; 1 disables retries).
     *
     * @param value 1 to 20
     * @return this builder
     */
    public Builder retryAttempts(int value) {
      this.retryAttempts = value;
      return this;
    }

    /**
     * Sets the first wait before a retry, doubled each time with jitter (default: 50 ms).
     *
     * @param value a positive duration
     * @return this builder
     */
    public Builder retryInitialBackoff(Duration value) {
      this.retryInitialBackoff = value;
      return this;
    }

    /**
     * Sets the longest wait between retries (default: 2 s).
     *
     * @param value a positive duration, at least the initial backoff
     * @return this builder
     */
    public Builder retryMaxBackoff(Duration value) {
      this.retryMaxBackoff = value;
      return this;
    }

    /**
     * Records write operations (operation, duration, rows, success, error) in the schema's {@code
     * operation_log} table (default: true).
     *
     * @param value whether to record them
     * @return this builder
     */
    public Builder operationLog(boolean value) {
      this.operationLog = value;
      return this;
    }

    /**
     * How long rows stay in {@code operation_log} (default: {@link
     * #DEFAULT_OPERATION_LOG_RETENTION}). Each store instance deletes expired rows as it writes: at
     * most 5,000 of the oldest, at most every 10 minutes, the first time on its first write. The
     * write latencies of {@link PgVectorStore#latencies} and of diagnostics read the log, so a
     * window longer than the retention shows only what is left.
     *
     * @param value the retention, {@link Duration#ZERO} to keep every row, else at least one hour
     * @return this builder
     * @throws InvalidInputException when negative, or positive and under one hour
     */
    public Builder operationLogRetention(Duration value) {
      Inputs.requireNonNull("operationLogRetention", value);
      if (value.isNegative() || (!value.isZero() && value.compareTo(Duration.ofHours(1)) < 0)) {
        throw new InvalidInputException(
            "operationLogRetention",
            "operationLogRetention must be zero (keep every row) or at least one hour (was "
                + value
                + ")");
      }
      this.operationLogRetention = value;
      return this;
    }

    /**
     * Uses pgvector's iterative index scans ({@code hnsw.iterative_scan = strict_order}, pgvector
     * 0.8.0 and newer) so that filtered searches still return {@code limit} hits (default: true).
     *
     * @param value whether to enable them
     * @return this builder
     */
    public Builder iterativeScan(boolean value) {
      this.iterativeScan = value;
      return this;
    }

    /**
     * Checks on {@link #build()} that the schema is installed at the expected version (default:
     * true). The check only reads.
     *
     * @param value whether to check
     * @return this builder
     */
    public Builder verifySchema(boolean value) {
      this.verifySchema = value;
      return this;
    }

    /**
     * Hands the store a resource to close with it, such as a pool it was given by a factory.
     *
     * @param value the resource, may be null
     * @return this builder
     */
    Builder closeWithStore(AutoCloseable value) {
      this.owned = value;
      return this;
    }

    /**
     * Validates the options, checks the schema and builds the store.
     *
     * @return the store
     * @throws InvalidInputException naming the first invalid option
     * @throws PortfolioException with {@link ErrorCode#SCHEMA_MISMATCH} when the schema is missing
     *     or has another version
     */
    public PgVectorStore build() {
      Identifiers.schemaName("pgvector.schema", schema);
      if (defaultEfSearch != 0) {
        Inputs.between("pgvector.defaultEfSearch", defaultEfSearch, 1, 1000);
      }
      Inputs.between("pgvector.hnswM", hnswM, 2, 100);
      Inputs.between("pgvector.hnswEfConstruction", hnswEfConstruction, 4, 1000);
      if (hnswEfConstruction < 2 * hnswM) {
        throw new InvalidInputException(
            "pgvector.hnswEfConstruction",
            "pgvector.hnswEfConstruction must be at least 2 * hnswM = "
                + 2 * hnswM
                + " (was "
                + hnswEfConstruction
                + ")");
      }
      Inputs.between("pgvector.indexBuildMemoryMb", indexBuildMemoryMb, 0, 1_048_576);
      positive("pgvector.indexLockTimeout", indexLockTimeout);
      Inputs.between("pgvector.maxBatchDocuments", maxBatchDocuments, 1, 100_000);
      Inputs.between("pgvector.maxBatchChunks", maxBatchChunks, 1, 1_000_000);
      Inputs.between("pgvector.upsertWriteConnections", upsertWriteConnections, 1, 16);
      Inputs.between("pgvector.retryAttempts", retryAttempts, 1, 20);
      positive("pgvector.retryInitialBackoff", retryInitialBackoff);
      positive("pgvector.retryMaxBackoff", retryMaxBackoff);
      if (retryMaxBackoff.compareTo(retryInitialBackoff) < 0) {
        throw new InvalidInputException(
            "pgvector.retryMaxBackoff",
            "pgvector.retryMaxBackoff must be at least retryInitialBackoff ("
                + retryInitialBackoff.toMillis()
                + " ms; was "
                + retryMaxBackoff.toMillis()
                + " ms)");
      }
      if (verifySchema) {
        PortfolioSchema.requireInstalled(dataSource, schema);
      }
      return new PgVectorStore(this, iterativeScan && supportsIterativeScan());
    }

    private boolean supportsIterativeScan() {
      try (Connection c = dataSource.getConnection()) {
        String v =
            single(c, "SELECT extversion FROM pg_catalog.pg_extension WHERE extname = 'vector'");
        if (v == null) {
          return false;
        }
        String[] parts = v.split("\\.");
        int major = Integer.parseInt(parts[0]);
        int minor = parts.length > 1 ? Integer.parseInt(parts[1].replaceAll("\\D.*", "")) : 0;
        return major > 0 || minor >= 8;
      } catch (SQLException | NumberFormatException e) {
        LOG.debug("Cannot read the pgvector version: {}", e.getMessage());
        return false;
      }
    }

    private static String single(Connection c, String sql) throws SQLException {
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery(sql)) {
        return rs.next() ? rs.getString(1) : null;
      }
    }

    /** The settings a snapshot's configuration shows; none of them is secret. */
    java.util.Map<String, String> settings(boolean iterativeScanUsed) {
      java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
      out.put("defaultEfSearch", defaultEfSearch == 0 ? "server default" : "" + defaultEfSearch);
      out.put("hnswM", Integer.toString(hnswM));
      out.put("hnswEfConstruction", Integer.toString(hnswEfConstruction));
      out.put("iterativeScan", Boolean.toString(iterativeScanUsed));
      out.put("annIndexOnCreate", Boolean.toString(annIndexOnCreate));
      out.put("maxBatchDocuments", Integer.toString(maxBatchDocuments));
      out.put("maxBatchChunks", Integer.toString(maxBatchChunks));
      out.put("retryAttempts", Integer.toString(retryAttempts));
      out.put("operationLog", Boolean.toString(operationLog));
      out.put("operationLogRetention", retention(operationLogRetention));
      return out;
    }

    private static String retention(Duration d) {
      if (d.isZero()) {
        return "forever";
      }
      if (d.toHoursPart() == 0 && d.toMinutesPart() == 0 && d.toSecondsPart() == 0) {
        return d.toDays() + "d";
      }
      return d.toMinutesPart() == 0 && d.toSecondsPart() == 0 ? d.toHours() + "h" : d.toString();
    }

    private static void positive(String name, Duration d) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new InvalidInputException(
            name, name + " must be a positive duration (was " + d + ")");
      }
    }
  }
}
