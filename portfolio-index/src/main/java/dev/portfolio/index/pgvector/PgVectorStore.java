package dev.portfolio.index.pgvector;

import static dev.portfolio.index.internal.PgTables.COL_ACTIVE_SLOT;
import static dev.portfolio.index.internal.PgTables.COL_CREATED_AT;
import static dev.portfolio.index.internal.PgTables.COL_DISTANCE;
import static dev.portfolio.index.internal.PgTables.COL_ID;
import static dev.portfolio.index.internal.PgTables.COL_NAME;
import static dev.portfolio.index.internal.PgTables.COL_SLOT_A_DIMENSION;
import static dev.portfolio.index.internal.PgTables.COL_SLOT_A_MODEL;
import static dev.portfolio.index.internal.PgTables.COL_SLOT_B_DIMENSION;
import static dev.portfolio.index.internal.PgTables.COL_SLOT_B_MODEL;
import static dev.portfolio.index.internal.PgTables.C_COLLECTION_ID;
import static dev.portfolio.index.internal.PgTables.C_CONTENT_HASH;
import static dev.portfolio.index.internal.PgTables.C_DOCUMENT_ID;
import static dev.portfolio.index.internal.PgTables.C_ID;
import static dev.portfolio.index.internal.PgTables.C_METADATA;
import static dev.portfolio.index.internal.PgTables.C_ORDINAL;
import static dev.portfolio.index.internal.PgTables.C_TEXT;
import static dev.portfolio.index.internal.PgTables.C_TEXT_TSV;
import static dev.portfolio.index.internal.PgTables.C_TOKEN_COUNT;
import static dev.portfolio.index.internal.PgTables.D_ATTEMPTS;
import static dev.portfolio.index.internal.PgTables.D_COLLECTION_ID;
import static dev.portfolio.index.internal.PgTables.D_CREATED_AT;
import static dev.portfolio.index.internal.PgTables.D_DELETED_AT;
import static dev.portfolio.index.internal.PgTables.D_ERROR;
import static dev.portfolio.index.internal.PgTables.D_FINGERPRINT;
import static dev.portfolio.index.internal.PgTables.D_ID;
import static dev.portfolio.index.internal.PgTables.D_KEY;
import static dev.portfolio.index.internal.PgTables.D_METADATA;
import static dev.portfolio.index.internal.PgTables.D_SOURCE_ID;
import static dev.portfolio.index.internal.PgTables.D_STATUS;
import static dev.portfolio.index.internal.PgTables.D_UPDATED_AT;
import static dev.portfolio.index.internal.PgTables.D_WORKSPACE;
import static org.jooq.impl.DSL.inline;

import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.error.NonRetriableException;
import dev.portfolio.core.error.PortfolioException;
import dev.portfolio.core.model.Chunk;
import dev.portfolio.core.model.ChunkQuery;
import dev.portfolio.core.model.CollectionInfo;
import dev.portfolio.core.model.CollectionSpec;
import dev.portfolio.core.model.CollectionStats;
import dev.portfolio.core.model.DeleteResult;
import dev.portfolio.core.model.Document;
import dev.portfolio.core.model.DocumentInput;
import dev.portfolio.core.model.DocumentQuery;
import dev.portfolio.core.model.DocumentStatus;
import dev.portfolio.core.model.Embedding;
import dev.portfolio.core.model.EmbeddingUpdate;
import dev.portfolio.core.model.KeywordQuery;
import dev.portfolio.core.model.Page;
import dev.portfolio.core.model.SearchFilter;
import dev.portfolio.core.model.SearchHit;
import dev.portfolio.core.model.UpsertResult;
import dev.portfolio.core.model.VectorQuery;
import dev.portfolio.core.spi.StoreCapability;
import dev.portfolio.core.spi.VectorStore;
import dev.portfolio.core.text.KeywordTokenizer;
import dev.portfolio.core.validation.DocumentChecks;
import dev.portfolio.core.validation.Inputs;
import dev.portfolio.core.validation.StoreErrors;
import dev.portfolio.index.internal.AnnIndexSql;
import dev.portfolio.index.internal.Identifiers;
import dev.portfolio.index.internal.Json;
import dev.portfolio.index.internal.PgTables;
import dev.portfolio.index.internal.SqlErrors;
import dev.portfolio.index.internal.StoreRetry;
import dev.portfolio.index.schema.PortfolioSchema;
import dev.portfolio.index.schema.SchemaOptions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.JSONB;
import org.jooq.Query;
import org.jooq.Record;
import org.jooq.Result;
import org.jooq.SQLDialect;
import org.jooq.SelectField;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production {@link VectorStore}: PostgreSQL with pgvector, through jOOQ and pgjdbc.
 *
 * <p>It works on the host's {@link DataSource} and never runs DDL on its own, except the one thing
 * that must be per collection: the partial HNSW index of each collection (see {@link
 * #createAnnIndex(String)}), which needs ownership of the chunks table. Everything else works under
 * a role with only SELECT, INSERT, UPDATE and DELETE on the schema's tables, USAGE on its
 * sequences, and the default TEMPORARY right on the database (bulk writes stage rows in session
 * temporary tables). Install the schema first with {@link PortfolioSchema#install(DataSource,
 * SchemaOptions)} or apply the SQL of {@link PortfolioSchema#writeSchema}.
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
 * <p>Bulk writes stream rows with {@code COPY ... (FORMAT binary)} into session-local staging
 * tables and move them with set-based SQL, one transaction per batch. Idempotent operations are
 * repeated with backoff after transient failures (serialization failure, deadlock, lost
 * connection); other failures surface at once with their SQLState in the message and the {@link
 * SQLException} as cause. Thread-safe.
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
              StoreCapability.STORAGE_BYTES));

  private final DataSource dataSource;
  private final AutoCloseable owned;
  private final PgTables t;
  private final StoreRetry retry;
  private final BatchWriter writer;
  private final int defaultEfSearch;
  private final int hnswM;
  private final int hnswEfConstruction;
  private final boolean annIndexOnCreate;
  private final int indexBuildMemoryMb;
  private final Duration indexLockTimeout;
  private final int maxBatchDocuments;
  private final int maxBatchChunks;
  private final boolean operationLog;
  private final boolean iterativeScan;

  private PgVectorStore(Builder b, boolean iterativeScanSupported) {
    this.dataSource = b.dataSource;
    this.owned = b.owned;
    this.t = new PgTables(b.schema);
    this.retry = new StoreRetry(b.retryAttempts, b.retryInitialBackoff, b.retryMaxBackoff);
    this.writer = new BatchWriter(t);
    this.defaultEfSearch = b.defaultEfSearch;
    this.hnswM = b.hnswM;
    this.hnswEfConstruction = b.hnswEfConstruction;
    this.annIndexOnCreate = b.annIndexOnCreate;
    this.indexBuildMemoryMb = b.indexBuildMemoryMb;
    this.indexLockTimeout = b.indexLockTimeout;
    this.maxBatchDocuments = b.maxBatchDocuments;
    this.maxBatchChunks = b.maxBatchChunks;
    this.operationLog = b.operationLog;
    this.iterativeScan = b.iterativeScan && iterativeScanSupported;
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

  @Override
  public Set<StoreCapability> capabilities() {
    return CAPABILITIES;
  }

  // ------------------------------------------------------------------------------ collections

  @Override
  public CollectionInfo createCollection(CollectionSpec spec) {
    Inputs.requireNonNull("spec", spec);
    String what = "Creating collection '" + spec.name() + "'";
    Instant started = Instant.now();
    long start = System.nanoTime();
    boolean[] created = new boolean[1];
    CollectionRow row =
        call(
            what,
            true,
            () ->
                tx(
                    tx -> {
                      Record r =
                          tx.dsl()
                              .insertInto(
                                  t.collections,
                                  COL_NAME,
                                  COL_DISTANCE,
                                  COL_ACTIVE_SLOT,
                                  COL_SLOT_A_MODEL,
                                  COL_SLOT_A_DIMENSION)
                              .values(
                                  spec.name(),
                                  CollectionRow.distanceName(spec.distance()),
                                  "a",
                                  spec.model(),
                                  spec.dimension())
                              .onConflict(COL_NAME)
                              .doNothing()
                              .returningResult(collectionFields())
                              .fetchOne();
                      created[0] = r != null;
                      return r != null ? collectionRow(r) : requireCollection(tx, spec.name());
                    }));
    if (!created[0]) {
      CollectionSpec existing = row.info().spec();
      if (!existing.equals(spec)) {
        throw StoreErrors.collectionConflict(existing, spec);
      }
      // The collection may exist without its index: a retry after a lost commit, or an earlier
      // build that timed out. Creating it again is the natural way to heal that.
      if (annIndexOnCreate
          && AnnIndexSql.indexable(existing.dimension())
          && !hasAnnIndex(spec.name())) {
        createAnnIndexQuietly(row);
      }
      return row.info();
    }
    logOperation("create_collection", spec.name(), started, start, 1, null);
    if (annIndexOnCreate) {
      createAnnIndexQuietly(row);
    }
    return row.info();
  }

  @Override
  public Optional<CollectionInfo> findCollection(String name) {
    Inputs.collectionName(name);
    return call(
        "Reading collection '" + name + "'",
        true,
        () -> tx(tx -> findCollection(tx, name, false).map(CollectionRow::info)));
  }

  @Override
  public List<CollectionInfo> listCollections() {
    return call(
        "Listing collections",
        true,
        () ->
            tx(
                tx ->
                    tx.dsl()
                        .select(collectionFields())
                        .from(t.collections)
                        .orderBy(COL_NAME.collate("C"))
                        .fetch()
                        .map(r -> collectionRow(r).info())));
  }

  @Override
  public boolean dropCollection(String name) {
    Inputs.collectionName(name);
    Instant started = Instant.now();
    long start = System.nanoTime();
    long[] removed = new long[1];
    Optional<CollectionRow> dropped =
        call(
            "Dropping collection '" + name + "'",
            true,
            () ->
                tx(
                    tx -> {
                      Optional<CollectionRow> coll = findCollection(tx, name, true);
                      if (coll.isEmpty()) {
                        return coll;
                      }
                      long id = coll.get().id();
                      removed[0] =
                          tx.dsl()
                              .deleteFrom(t.chunks)
                              .where(C_COLLECTION_ID.eq(inline(id)))
                              .execute();
                      tx.dsl()
                          .deleteFrom(t.documents)
                          .where(D_COLLECTION_ID.eq(inline(id)))
                          .execute();
                      tx.dsl().deleteFrom(t.collections).where(COL_ID.eq(id)).execute();
                      return coll;
                    }));
    if (dropped.isEmpty()) {
      return false;
    }
    logOperation("drop_collection", name, started, start, removed[0], null);
    dropAnnIndexesQuietly(dropped.get());
    return true;
  }

  // ------------------------------------------------------------------------------ upsert

  @Override
  public UpsertResult upsert(String collection, List<DocumentInput> documents) {
    Inputs.collectionName(collection);
    Inputs.requireNoNullElements("documents", documents);
    String what = "Storing documents in collection '" + collection + "'";
    Instant started = Instant.now();
    long start = System.nanoTime();
    try {
      CollectionRow coll = call(what, true, () -> tx(tx -> requireCollection(tx, collection)));
      Map<Integer, String> problems = DocumentChecks.batchProblems(documents, coll.dimension());
      List<UpsertResult.Failure> failures = new ArrayList<>();
      List<Indexed> valid = new ArrayList<>();
      for (int i = 0; i < documents.size(); i++) {
        DocumentInput d = documents.get(i);
        String problem = problems.get(i);
        if (problem != null) {
          failures.add(new UpsertResult.Failure(d.key(), problem));
        } else {
          valid.add(new Indexed(i, d));
        }
      }
      UpsertResult total = new UpsertResult(0, 0, 0, failures);
      long chunks = 0;
      // Hashing the next batch (content hashes, chunk digests) overlaps with writing this one.
      List<List<Indexed>> batches = batches(valid);
      CompletableFuture<Batch> next = batches.isEmpty() ? null : prepareAsync(batches.get(0), coll);
      for (int i = 0; i < batches.size(); i++) {
        Batch batch = next.join();
        next = i + 1 < batches.size() ? prepareAsync(batches.get(i + 1), coll) : null;
        BatchWriter.Outcome outcome = writeBatchIsolatingBadRows(collection, batch, what);
        total = total.plus(outcome.result());
        chunks += outcome.chunks();
      }
      logOperation("upsert", collection, started, start, chunks, null);
      return total;
    } catch (RuntimeException e) {
      logOperation("upsert", collection, started, start, 0, e);
      throw e;
    }
  }

  /** A document with its position in the caller's list. */
  private record Indexed(int no, DocumentInput doc) {}

  /**
   * Documents prepared for the slot and dimension they were validated against.
   *
   * @param docs the documents
   * @param prepared their hashes and digests
   * @param slot the slot the digests were computed for
   * @param dimension the dimension they were validated against
   */
  private record Batch(
      List<Indexed> docs, List<BatchWriter.Prepared> prepared, String slot, int dimension) {}

  private static CompletableFuture<Batch> prepareAsync(List<Indexed> docs, CollectionRow coll) {
    return CompletableFuture.supplyAsync(() -> prepare(docs, coll.slot(), coll.dimension()));
  }

  private static Batch prepare(List<Indexed> docs, String slot, int dimension) {
    // SHA-256 over every text and vector: spread over the cores for large batches.
    List<BatchWriter.Prepared> prepared =
        (docs.size() >= 64 ? docs.parallelStream() : docs.stream())
            .map(d -> BatchWriter.Prepared.of(d.no(), d.doc(), slot))
            .toList();
    return new Batch(docs, prepared, slot, dimension);
  }

  private List<List<Indexed>> batches(List<Indexed> docs) {
    List<List<Indexed>> out = new ArrayList<>();
    List<Indexed> current = new ArrayList<>();
    int chunks = 0;
    for (Indexed d : docs) {
      int n = d.doc().chunks().size();
      if (!current.isEmpty()
          && (current.size() >= maxBatchDocuments || chunks + n > maxBatchChunks)) {
        out.add(current);
        current = new ArrayList<>();
        chunks = 0;
      }
      current.add(d);
      chunks += n;
    }
    if (!current.isEmpty()) {
      out.add(current);
    }
    return out;
  }

  private BatchWriter.Outcome writeBatchIsolatingBadRows(
      String collection, Batch batch, String what) {
    try {
      return call(what, true, () -> tx(tx -> writeBatch(tx, collection, batch)));
    } catch (PortfolioException e) {
      if (!isDataError(e)) {
        throw e;
      }
      if (batch.docs().size() == 1) {
        Indexed only = batch.docs().get(0);
        return new BatchWriter.Outcome(
            new UpsertResult(
                0,
                0,
                0,
                List.of(
                    new UpsertResult.Failure(
                        only.doc().key(),
                        "PostgreSQL rejected the document: " + rejection(e.getCause())))),
            0);
      }
      LOG.debug(
          "A batch of {} documents was rejected ({}); retrying its halves",
          batch.docs().size(),
          SqlErrors.sqlState(e));
      // Halving finds k bad documents in about k * log2(n) transactions instead of n.
      int mid = batch.docs().size() / 2;
      BatchWriter.Outcome sum = new BatchWriter.Outcome(new UpsertResult(0, 0, 0, List.of()), 0);
      for (int[] range : new int[][] {{0, mid}, {mid, batch.docs().size()}}) {
        Batch half =
            new Batch(
                batch.docs().subList(range[0], range[1]),
                batch.prepared().subList(range[0], range[1]),
                batch.slot(),
                batch.dimension());
        BatchWriter.Outcome outcome = writeBatchIsolatingBadRows(collection, half, what);
        sum =
            new BatchWriter.Outcome(
                sum.result().plus(outcome.result()), sum.chunks() + outcome.chunks());
      }
      return sum;
    }
  }

  private BatchWriter.Outcome writeBatch(Tx tx, String collection, Batch batch)
      throws SQLException {
    CollectionRow coll = lockCollection(tx, collection);
    Batch current = batch;
    List<UpsertResult.Failure> failures = new ArrayList<>();
    if (!coll.slot().equals(batch.slot()) || coll.dimension() != batch.dimension()) {
      // The collection switched model since validation: check and hash again for the new slot.
      List<Indexed> ok = new ArrayList<>();
      for (Indexed d : batch.docs()) {
        Optional<String> problem = DocumentChecks.problem(d.doc(), coll.dimension());
        if (problem.isPresent()) {
          failures.add(new UpsertResult.Failure(d.doc().key(), problem.get()));
        } else {
          ok.add(d);
        }
      }
      current = prepare(ok, coll.slot(), coll.dimension());
    }
    UpsertResult bad = new UpsertResult(0, 0, 0, failures);
    if (current.prepared().isEmpty()) {
      return new BatchWriter.Outcome(bad, 0);
    }
    BatchWriter.Outcome outcome = writer.upsert(tx, coll, current.prepared());
    return new BatchWriter.Outcome(bad.plus(outcome.result()), outcome.chunks());
  }

  private static boolean isDataError(Throwable e) {
    String state = SqlErrors.sqlState(e);
    return state != null
        && (state.startsWith("22") || state.startsWith("23") || state.startsWith("54"));
  }

  private static String rejection(Throwable cause) {
    String state = SqlErrors.sqlState(cause);
    String m = cause == null ? "unknown error" : String.valueOf(cause.getMessage());
    for (Throwable c = cause; c != null; c = c.getCause()) {
      if (c instanceof SQLException s) {
        m = String.valueOf(s.getMessage());
        break;
      }
    }
    m = m.startsWith("ERROR: ") ? m.substring(7) : m;
    int nl = m.indexOf('\n');
    m = nl > 0 ? m.substring(0, nl) : m;
    return m + (state == null ? "" : " (SQLState " + state + ")");
  }

  // ------------------------------------------------------------------------------ reads

  @Override
  public Optional<Document> findDocument(String collection, String key) {
    Inputs.collectionName(collection);
    Inputs.requireKey("key", key);
    return call(
        "Reading document '" + Inputs.printable(key) + "' of collection '" + collection + "'",
        true,
        () ->
            tx(
                tx -> {
                  CollectionRow coll = requireCollection(tx, collection);
                  return tx.dsl()
                      .select(documentFields())
                      .from(t.documents)
                      .where(D_COLLECTION_ID.eq(inline(coll.id())))
                      .and(D_KEY.eq(key))
                      .fetchOptional()
                      .map(r -> document(collection, r));
                }));
  }

  @Override
  public List<Chunk> chunks(String collection, String key) {
    Inputs.collectionName(collection);
    Inputs.requireKey("key", key);
    return call(
        "Reading the chunks of document '"
            + Inputs.printable(key)
            + "' of collection '"
            + collection
            + "'",
        true,
        () ->
            tx(
                tx -> {
                  CollectionRow coll = requireCollection(tx, collection);
                  return tx.dsl()
                      .select(chunkFields(coll))
                      .from(t.chunks)
                      .join(t.documents)
                      .on(D_ID.eq(C_DOCUMENT_ID))
                      .where(D_COLLECTION_ID.eq(inline(coll.id())))
                      .and(D_KEY.eq(key))
                      .orderBy(C_ORDINAL)
                      .fetch()
                      .map(r -> chunk(coll, r));
                }));
  }

  @Override
  public Page<Document> listDocuments(DocumentQuery query) {
    Inputs.requireNonNull("query", query);
    return call(
        "Listing documents of collection '" + query.collection() + "'",
        true,
        () ->
            tx(
                tx -> {
                  CollectionRow coll = requireCollection(tx, query.collection());
                  Result<Record> rows =
                      tx.dsl()
                          .select(documentFields())
                          .from(t.documents)
                          .where(D_COLLECTION_ID.eq(inline(coll.id())))
                          .and(D_ID.gt(query.afterId()))
                          .and(filter(query.filter()))
                          .orderBy(D_ID)
                          .limit(inline(query.limit()))
                          .fetch();
                  List<Document> items = new ArrayList<>(rows.size());
                  for (Record r : rows) {
                    items.add(document(coll.name(), r));
                  }
                  return page(items, query.limit(), Document::id);
                }));
  }

  @Override
  public Page<Chunk> listChunks(ChunkQuery query) {
    Inputs.requireNonNull("query", query);
    return call(
        "Listing chunks of collection '" + query.collection() + "'",
        true,
        () ->
            tx(
                tx -> {
                  CollectionRow coll = requireCollection(tx, query.collection());
                  Field<Embedding> emb = PgTables.embedding(coll.slot());
                  Condition state =
                      switch (query.embeddingState()) {
                        case ANY -> DSL.noCondition();
                        case MISSING -> emb.isNull();
                        case PRESENT -> emb.isNotNull();
                        case STALE ->
                            emb.isNotNull()
                                .and(PgTables.textHash(coll.slot()).isDistinctFrom(C_CONTENT_HASH));
                      };
                  Result<Record> rows =
                      tx.dsl()
                          .select(chunkFields(coll))
                          .from(t.chunks)
                          .join(t.documents)
                          .on(D_ID.eq(C_DOCUMENT_ID))
                          .where(C_COLLECTION_ID.eq(inline(coll.id())))
                          .and(C_ID.gt(query.afterId()))
                          .and(state)
                          .and(filter(query.filter()))
                          .orderBy(C_ID)
                          .limit(inline(query.limit()))
                          .fetch();
                  List<Chunk> items = new ArrayList<>(rows.size());
                  for (Record r : rows) {
                    items.add(chunk(coll, r));
                  }
                  return page(items, query.limit(), Chunk::id);
                }));
  }

  /** A page carries the cursor of its last item exactly when it is full. */
  private static <T> Page<T> page(
      List<T> items, int limit, java.util.function.ToLongFunction<T> id) {
    return new Page<>(
        items,
        items.size() == limit
            ? OptionalLong.of(id.applyAsLong(items.get(items.size() - 1)))
            : OptionalLong.empty());
  }

  // ------------------------------------------------------------------------------ writes

  @Override
  public int updateEmbeddings(String collection, List<EmbeddingUpdate> updates) {
    Inputs.collectionName(collection);
    Inputs.requireNoNullElements("updates", updates);
    // The last update of a chunk wins, as if they were applied in order.
    Map<Long, EmbeddingUpdate> byId = new LinkedHashMap<>();
    for (EmbeddingUpdate u : updates) {
      byId.put(u.chunkId(), u);
    }
    String what = "Updating embeddings in collection '" + collection + "'";
    Instant started = Instant.now();
    long start = System.nanoTime();
    try {
      int n =
          call(
              what,
              true,
              () ->
                  tx(
                      tx -> {
                        CollectionRow coll = lockCollection(tx, collection);
                        for (EmbeddingUpdate u : byId.values()) {
                          if (u.embedding().dimension() != coll.dimension()) {
                            throw dimensionMismatch(
                                "updates", u.embedding().dimension(), coll, "chunk " + u.chunkId());
                          }
                        }
                        return byId.isEmpty()
                            ? 0
                            : writer.updateEmbeddings(tx, coll, byId.values());
                      }));
      logOperation("update_embeddings", collection, started, start, n, null);
      return n;
    } catch (RuntimeException e) {
      logOperation("update_embeddings", collection, started, start, 0, e);
      throw e;
    }
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
    String errorText = status == DocumentStatus.FAILED ? error : null;
    if (errorText != null && errorText.indexOf('\0') >= 0) {
      errorText = errorText.replace('\0', '\uFFFD');
    }
    String stored = errorText;
    // Recording a failure increments the attempt count: not repeated blindly after a lost reply.
    return call(
        "Updating the status of document '" + Inputs.printable(key) + "'",
        status != DocumentStatus.FAILED,
        () ->
            tx(
                tx -> {
                  CollectionRow coll = requireCollection(tx, collection);
                  return tx.dsl()
                          .update(t.documents)
                          .set(D_STATUS, statusName(status))
                          .set(D_ERROR, stored)
                          .set(
                              D_ATTEMPTS,
                              status == DocumentStatus.FAILED ? D_ATTEMPTS.plus(1) : D_ATTEMPTS)
                          .set(D_DELETED_AT, DSL.castNull(SQLDataType.TIMESTAMPWITHTIMEZONE))
                          .set(D_UPDATED_AT, DSL.currentOffsetDateTime())
                          .where(D_COLLECTION_ID.eq(inline(coll.id())))
                          .and(D_KEY.eq(key))
                          .execute()
                      > 0;
                }));
  }

  @Override
  public DeleteResult deleteDocument(String collection, String key) {
    Inputs.collectionName(collection);
    Inputs.requireKey("key", key);
    return delete("delete_document", collection, D_KEY.eq(key));
  }

  @Override
  public DeleteResult deleteBySource(String collection, String sourceId) {
    Inputs.collectionName(collection);
    Inputs.requireKey("sourceId", sourceId);
    return delete("delete_by_source", collection, D_SOURCE_ID.eq(sourceId));
  }

  private DeleteResult delete(String operation, String collection, Condition which) {
    Instant started = Instant.now();
    long start = System.nanoTime();
    try {
      DeleteResult result =
          call(
              "Deleting documents of collection '" + collection + "'",
              true,
              () ->
                  tx(
                      tx -> {
                        CollectionRow coll = lockCollection(tx, collection);
                        List<Long> ids =
                            tx.dsl()
                                .select(D_ID)
                                .from(t.documents)
                                .where(D_COLLECTION_ID.eq(inline(coll.id())))
                                .and(which)
                                .orderBy(D_KEY)
                                .forUpdate()
                                .fetch(D_ID);
                        if (ids.isEmpty()) {
                          return DeleteResult.NONE;
                        }
                        Long[] idArray = ids.toArray(new Long[0]);
                        int chunks =
                            tx.dsl()
                                .deleteFrom(t.chunks)
                                .where(C_DOCUMENT_ID.eq(DSL.any(idArray)))
                                .execute();
                        int docs =
                            tx.dsl()
                                .deleteFrom(t.documents)
                                .where(D_ID.eq(DSL.any(idArray)))
                                .execute();
                        return new DeleteResult(docs, chunks);
                      }));
      logOperation(
          operation, collection, started, start, result.documents() + result.chunks(), null);
      return result;
    } catch (RuntimeException e) {
      logOperation(operation, collection, started, start, 0, e);
      throw e;
    }
  }

  @Override
  public boolean softDelete(String collection, String key) {
    Inputs.collectionName(collection);
    Inputs.requireKey("key", key);
    return call(
        "Soft-deleting document '" + Inputs.printable(key) + "'",
        true,
        () ->
            tx(
                tx -> {
                  CollectionRow coll = requireCollection(tx, collection);
                  return tx.dsl()
                          .update(t.documents)
                          .set(D_STATUS, statusName(DocumentStatus.DELETED))
                          .set(D_DELETED_AT, DSL.currentOffsetDateTime())
                          .set(D_UPDATED_AT, DSL.currentOffsetDateTime())
                          .where(D_COLLECTION_ID.eq(inline(coll.id())))
                          .and(D_KEY.eq(key))
                          .and(D_STATUS.ne(statusName(DocumentStatus.DELETED)))
                          .execute()
                      > 0;
                }));
  }

  @Override
  public boolean restore(String collection, String key) {
    Inputs.collectionName(collection);
    Inputs.requireKey("key", key);
    return call(
        "Restoring document '" + Inputs.printable(key) + "'",
        true,
        () ->
            tx(
                tx -> {
                  CollectionRow coll = requireCollection(tx, collection);
                  Field<String> status =
                      DSL.when(
                              DSL.notExists(
                                  DSL.selectOne()
                                      .from(t.chunks)
                                      .where(C_DOCUMENT_ID.eq(D_ID))
                                      .and(PgTables.embedding(coll.slot()).isNull())),
                              inline(statusName(DocumentStatus.READY)))
                          .otherwise(inline(statusName(DocumentStatus.PENDING)));
                  return tx.dsl()
                          .update(t.documents)
                          .set(D_STATUS, status)
                          .set(D_DELETED_AT, DSL.castNull(SQLDataType.TIMESTAMPWITHTIMEZONE))
                          .set(D_UPDATED_AT, DSL.currentOffsetDateTime())
                          .where(D_COLLECTION_ID.eq(inline(coll.id())))
                          .and(D_KEY.eq(key))
                          .and(D_STATUS.eq(statusName(DocumentStatus.DELETED)))
                          .execute()
                      > 0;
                }));
  }

  // ------------------------------------------------------------------------------ search

  @Override
  public List<SearchHit> search(VectorQuery query) {
    Inputs.requireNonNull("query", query);
    return call(
        "Searching collection '" + query.collection() + "'",
        true,
        () ->
            tx(
                tx -> {
                  CollectionRow coll = searchCollection(tx, query);
                  Field<Double> distance = distanceField(coll, query);
                  return searchQuery(tx, coll, query, distance)
                      .fetch()
                      .map(r -> hit(coll, r, coll.distance().score(r.get(distance))));
                }));
  }

  /**
   * Returns PostgreSQL's plan for the statement {@link #search(VectorQuery)} runs, for checking
   * that a collection's ANN index serves its searches ({@code Index Scan using chunks_ann_...}).
   *
   * @param query the search
   * @return the plan text of {@code EXPLAIN}
   */
  public String explainSearch(VectorQuery query) {
    Inputs.requireNonNull("query", query);
    return call(
        "Explaining a search of collection '" + query.collection() + "'",
        true,
        () ->
            tx(
                tx -> {
                  CollectionRow coll = searchCollection(tx, query);
                  return String.join(
                      "\n",
                      tx.dsl()
                          .resultQuery(
                              "EXPLAIN {0}",
                              searchQuery(tx, coll, query, distanceField(coll, query)))
                          .fetch()
                          .getValues(0, String.class));
                }));
  }

  private CollectionRow searchCollection(Tx tx, VectorQuery query) {
    CollectionRow coll = searchCollection(tx, query.collection(), query.efSearch());
    if (query.vector().dimension() != coll.dimension()) {
      throw dimensionMismatch("vector", query.vector().dimension(), coll, "the query vector");
    }
    return coll;
  }

  private static Field<Double> distanceField(CollectionRow coll, VectorQuery query) {
    return AnnIndexSql.distance(coll.slot(), coll.dimension(), coll.distance(), query.vector())
        .as("distance");
  }

  private org.jooq.ResultQuery<Record> searchQuery(
      Tx tx, CollectionRow coll, VectorQuery query, Field<Double> distance) {
    return tx.dsl()
        .select(hitFields(distance))
        .from(t.chunks)
        .join(t.documents)
        .on(D_ID.eq(C_DOCUMENT_ID))
        .where(C_COLLECTION_ID.eq(inline(coll.id())))
        .and(PgTables.embedding(coll.slot()).isNotNull())
        .and(filter(query.filter()))
        // Order by the distance alone: a tie-breaker would keep the planner from the index scan.
        .orderBy(DSL.field(DSL.name("distance")))
        .limit(inline(query.limit()));
  }

  /**
   * {@inheritDoc}
   *
   * <p>Words are runs of letters, digits and combining marks, lower-cased; a chunk matches when its
   * {@code tsvector} ({@code simple} configuration, GIN-indexed) contains any of them. Chunks rank
   * by the number of distinct query words they contain (so chunks with every word come first), then
   * by {@code ts_rank} squashed into [0, 1); the score is the sum of both.
   */
  @Override
  public List<SearchHit> keywordSearch(KeywordQuery query) {
    Inputs.requireNonNull("query", query);
    List<String> words = words(query.text());
    String[] wordArray = words.toArray(new String[0]);
    String any = String.join(" | ", words);
    return call(
        "Searching collection '" + query.collection() + "' by keywords",
        true,
        () ->
            tx(
                tx -> {
                  CollectionRow coll = requireCollection(tx, query.collection());
                  if (words.isEmpty()) {
                    return List.<SearchHit>of();
                  }
                  Field<Double> score =
                      DSL.field(
                              "(SELECT count(*) FROM unnest({0}) AS w(word)"
                                  + " WHERE {1} @@ to_tsquery('simple', w.word))"
                                  + " + ts_rank({1}, to_tsquery('simple', {2}), 32)",
                              SQLDataType.DOUBLE,
                              DSL.val(wordArray, SQLDataType.CLOB.array()),
                              C_TEXT_TSV,
                              DSL.val(any))
                          .as("score");
                  return tx.dsl()
                      .select(hitFields(score))
                      .from(t.chunks)
                      .join(t.documents)
                      .on(D_ID.eq(C_DOCUMENT_ID))
                      .where(C_COLLECTION_ID.eq(inline(coll.id())))
                      .and(
                          DSL.condition(
                              "{0} @@ to_tsquery('simple', {1})", C_TEXT_TSV, DSL.val(any)))
                      .and(filter(query.filter()))
                      .orderBy(DSL.field(DSL.name("score")).desc(), C_ID)
                      .limit(inline(query.limit()))
                      .fetch()
                      .map(r -> hit(coll, r, r.get(score)));
                }));
  }

  /** The distinct words of a keyword query, split exactly as chunk texts are indexed. */
  static List<String> words(String text) {
    return List.copyOf(new LinkedHashSet<>(KeywordTokenizer.words(text)));
  }

  @Override
  public CollectionStats stats(String collection) {
    Inputs.collectionName(collection);
    return call(
        "Counting collection '" + collection + "'",
        true,
        () ->
            tx(
                tx -> {
                  CollectionRow coll = requireCollection(tx, collection);
                  Map<DocumentStatus, Long> byStatus = new EnumMap<>(DocumentStatus.class);
                  for (DocumentStatus s : DocumentStatus.values()) {
                    byStatus.put(s, 0L);
                  }
                  Field<Integer> count = DSL.count();
                  for (Record r :
                      tx.dsl()
                          .select(D_STATUS, count)
                          .from(t.documents)
                          .where(D_COLLECTION_ID.eq(inline(coll.id())))
                          .groupBy(D_STATUS)
                          .fetch()) {
                    byStatus.put(status(r.get(D_STATUS)), (long) r.get(count));
                  }
                  Field<Embedding> emb = PgTables.embedding(coll.slot());
                  Field<Integer> all = DSL.count().as("all");
                  Field<Integer> embedded = DSL.count(emb).as("embedded");
                  Field<Integer> stale =
                      DSL.count()
                          .filterWhere(
                              emb.isNotNull()
                                  .and(
                                      PgTables.textHash(coll.slot())
                                          .isDistinctFrom(C_CONTENT_HASH)))
                          .as("stale");
                  Field<Integer> foreign =
                      DSL.count()
                          .filterWhere(
                              emb.isNotNull()
                                  .and(PgTables.model(coll.slot()).isDistinctFrom(coll.model())))
                          .as("foreign");
                  Record r =
                      tx.dsl()
                          .select(all, embedded, stale, foreign)
                          .from(t.chunks)
                          .join(t.documents)
                          .on(D_ID.eq(C_DOCUMENT_ID))
                          .where(C_COLLECTION_ID.eq(inline(coll.id())))
                          .and(D_STATUS.ne(statusName(DocumentStatus.DELETED)))
                          .fetchSingle();
                  return new CollectionStats(
                      collection,
                      byStatus,
                      r.get(all),
                      r.get(embedded),
                      r.get(stale),
                      r.get(foreign));
                }));
  }

  /**
   * Returns the bytes a collection's rows occupy in the documents and chunks tables, including
   * out-of-line (TOAST) values, excluding index space. Reads every row of the collection.
   *
   * @param collection the collection
   * @return the byte count
   */
  public long storageBytes(String collection) {
    Inputs.collectionName(collection);
    return call(
        "Measuring collection '" + collection + "'",
        true,
        () ->
            tx(
                tx -> {
                  CollectionRow coll = requireCollection(tx, collection);
                  Field<Long> chunkBytes =
                      DSL.field(
                          "coalesce(sum(pg_column_size({0})), 0)::bigint",
                          SQLDataType.BIGINT, DSL.field(DSL.name("c")));
                  Field<Long> docBytes =
                      DSL.field(
                          "coalesce(sum(pg_column_size({0})), 0)::bigint",
                          SQLDataType.BIGINT, DSL.field(DSL.name("d")));
                  Long chunks =
                      tx.dsl()
                          .select(chunkBytes)
                          .from(t.chunks)
                          .where(C_COLLECTION_ID.eq(inline(coll.id())))
                          .fetchSingle(chunkBytes);
                  Long docs =
                      tx.dsl()
                          .select(docBytes)
                          .from(t.documents)
                          .where(D_COLLECTION_ID.eq(inline(coll.id())))
                          .fetchSingle(docBytes);
                  return (chunks == null ? 0L : chunks) + (docs == null ? 0L : docs);
                }));
  }

  // ------------------------------------------------------------------------------ ANN indexes

  /**
   * Builds the HNSW index of a collection's active embedding slot, without blocking writes ({@code
   * CREATE INDEX CONCURRENTLY}): a partial index on {@code (embedding_a::vector(N))} for the
   * collection's rows, {@code halfvec(N)} above 2000 dimensions. Building after a bulk load is much
   * faster than loading into an indexed collection.
   *
   * <p>This is the one operation that needs more than the runtime privileges: the role must own the
   * chunks table (or be a member of the owning role).
   *
   * @param collection the collection
   * @return true when the index was built, false when a valid one already existed
   * @throws PortfolioException with {@link ErrorCode#PERMISSION_DENIED} naming the SQL to run when
   *     the role may not create it; with {@link ErrorCode#UNSUPPORTED} above 4000 dimensions
   */
  public boolean createAnnIndex(String collection) {
    Inputs.collectionName(collection);
    CollectionRow coll =
        call(
            "Reading collection '" + collection + "'",
            true,
            () -> tx(tx -> requireCollection(tx, collection)));
    Instant started = Instant.now();
    long start = System.nanoTime();
    try {
      boolean built = createAnnIndex(coll, null);
      logOperation("create_ann_index", collection, started, start, built ? 1 : 0, null);
      return built;
    } catch (RuntimeException e) {
      logOperation("create_ann_index", collection, started, start, 0, e);
      throw e;
    }
  }

  /**
   * Builds the missing ANN indexes of every collection (those above 4000 dimensions excepted), as
   * {@link #createAnnIndex(String)} does for one. Run it with the schema owner's data source after
   * installing or after collections were created by a role without the right.
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
   * Tells whether a collection's active slot has a valid ANN index.
   *
   * @param collection the collection
   * @return true when the index exists and is valid
   */
  public boolean hasAnnIndex(String collection) {
    Inputs.collectionName(collection);
    return call(
        "Reading the ANN index of collection '" + collection + "'",
        true,
        () ->
            tx(
                tx -> {
                  CollectionRow coll = requireCollection(tx, collection);
                  Boolean valid =
                      indexValidity(
                          tx.connection(),
                          AnnIndexSql.indexName(coll.id(), coll.slot(), coll.dimension()));
                  return Boolean.TRUE.equals(valid);
                }));
  }

  private boolean createAnnIndex(CollectionRow coll, Duration lockTimeout) {
    if (!AnnIndexSql.indexable(coll.dimension())) {
      throw new NonRetriableException(
          ErrorCode.UNSUPPORTED,
          "Collection '"
              + coll.name()
              + "' has "
              + coll.dimension()
              + " dimensions; pgvector's HNSW index holds at most "
              + AnnIndexSql.MAX_HALFVEC_DIMENSION
              + " (as halfvec). Its searches stay exact (sequential scan).");
    }
    String index = AnnIndexSql.indexName(coll.id(), coll.slot(), coll.dimension());
    Query createQuery =
        AnnIndexSql.createIndex(
            t.schema(),
            coll.id(),
            coll.slot(),
            coll.dimension(),
            coll.distance(),
            hnswM,
            hnswEfConstruction,
            true);
    String create = AnnIndexSql.render(createQuery);
    String what = "Creating the ANN index of collection '" + coll.name() + "'";
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(true);
      DSLContext dsl = DSL.using(c, SQLDialect.POSTGRES);
      try {
        Boolean valid = indexValidity(c, index);
        if (Boolean.TRUE.equals(valid)) {
          return false;
        }
        String role = single(c, "SELECT current_user");
        if (!ownsChunks(c)) {
          throw new NonRetriableException(
              ErrorCode.PERMISSION_DENIED,
              what
                  + " needs ownership of table "
                  + Identifiers.quote(t.schema())
                  + ".chunks, which role '"
                  + role
                  + "' lacks. Index creation is the one operation beyond the store's runtime"
                  + " privileges: run it as the schema owner (PgVectorStore.createAnnIndex on an"
                  + " owner's DataSource, or `portfolio install`), or execute: "
                  + create
                  + ";");
        }
        if (Boolean.FALSE.equals(valid)) {
          LOG.warn("Dropping invalid index {} (an interrupted build) before rebuilding it", index);
          dsl.execute(AnnIndexSql.dropIndex(t.schema(), index, true));
        }
        if (indexBuildMemoryMb > 0) {
          setSession(c, "maintenance_work_mem", indexBuildMemoryMb + "MB");
        }
        if (lockTimeout != null) {
          setSession(c, "lock_timeout", lockTimeout.toMillis() + "ms");
        }
        // A pool's statement_timeout (the provider sets 5 minutes) must not cancel a long build.
        setSession(c, "statement_timeout", "0");
        try {
          dsl.execute(createQuery);
        } catch (RuntimeException e) {
          // CREATE INDEX CONCURRENTLY that fails (lock or statement timeout, cancel) leaves an
          // invalid index that every write still maintains: drop it before reporting.
          dropIfInvalid(dsl, c, index, e);
          throw e;
        } finally {
          dsl.execute("RESET maintenance_work_mem");
          dsl.execute("RESET lock_timeout");
          dsl.execute("RESET statement_timeout");
        }
        if (!Boolean.TRUE.equals(indexValidity(c, index))) {
          dsl.execute(AnnIndexSql.dropIndex(t.schema(), index, true));
          throw new NonRetriableException(
              ErrorCode.STORE_FAILURE, what + " failed: the index was left invalid and dropped.");
        }
        LOG.info("Built ANN index {}.{} for collection '{}'", t.schema(), index, coll.name());
        return true;
      } finally {
        c.setAutoCommit(autoCommit);
      }
    } catch (SQLException | DataAccessException e) {
      if (SqlErrors.INSUFFICIENT_PRIVILEGE.equals(SqlErrors.sqlState(e))) {
        throw new NonRetriableException(
            ErrorCode.PERMISSION_DENIED,
            what
                + " failed: "
                + e.getMessage()
                + " (SQLState 42501). Index creation needs ownership of the chunks table; run"
                + " it as the schema owner or execute: "
                + create
                + ";",
            e);
      }
      throw SqlErrors.translate(what, e);
    }
  }

  private void dropIfInvalid(DSLContext dsl, Connection c, String index, RuntimeException failure) {
    try {
      if (Boolean.FALSE.equals(indexValidity(c, index))) {
        dsl.execute(AnnIndexSql.dropIndex(t.schema(), index, true));
        LOG.warn("Dropped the invalid index {} that the failed build left behind", index);
      }
    } catch (SQLException | RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  private void createAnnIndexQuietly(CollectionRow coll) {
    if (!AnnIndexSql.indexable(coll.dimension())) {
      LOG.info(
          "Collection '{}' has {} dimensions, above what HNSW indexes hold ({}): searches are"
              + " exact",
          coll.name(),
          coll.dimension(),
          AnnIndexSql.MAX_HALFVEC_DIMENSION);
      return;
    }
    try {
      createAnnIndex(coll, indexLockTimeout);
    } catch (PortfolioException e) {
      LOG.warn(
          "Collection '{}' was created without its ANN index; searches stay exact until it"
              + " exists. {}",
          coll.name(),
          e.getMessage());
    }
  }

  private void dropAnnIndexesQuietly(CollectionRow coll) {
    try (Connection c = dataSource.getConnection()) {
      List<String> names = new ArrayList<>();
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n"
                  + " ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relkind = 'i'"
                  + " AND starts_with(c.relname, ?)")) {
        ps.setString(1, t.schema());
        ps.setString(2, AnnIndexSql.indexPrefix(coll.id()));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            names.add(rs.getString(1));
          }
        }
      }
      if (names.isEmpty() || !ownsChunks(c)) {
        if (!names.isEmpty()) {
          LOG.info(
              "Collection '{}' was dropped; its empty ANN indexes {} stay until the schema owner"
                  + " drops them",
              coll.name(),
              names);
        }
        return;
      }
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(true);
      try {
        DSLContext dsl = DSL.using(c, SQLDialect.POSTGRES);
        setSession(c, "lock_timeout", indexLockTimeout.toMillis() + "ms");
        try {
          for (String name : names) {
            dsl.execute(AnnIndexSql.dropIndex(t.schema(), name, true));
          }
        } finally {
          dsl.execute("RESET lock_timeout");
        }
      } finally {
        c.setAutoCommit(autoCommit);
      }
    } catch (SQLException | RuntimeException e) {
      LOG.warn(
          "Collection '{}' was dropped but dropping its ANN index failed: {}",
          coll.name(),
          e.getMessage());
    }
  }

  private boolean ownsChunks(Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT pg_has_role(current_user, c.relowner, 'USAGE') FROM pg_catalog.pg_class c"
                + " WHERE c.oid = to_regclass(?)")) {
      ps.setString(1, Identifiers.quote(t.schema()) + ".chunks");
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    }
  }

  private Boolean indexValidity(Connection c, String index) throws SQLException {
    return AnnIndexSql.validity(c, t.schema(), index);
  }

  private static void setSession(Connection c, String setting, String value) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT set_config(?, ?, false)")) {
      ps.setString(1, setting);
      ps.setString(2, value);
      ps.execute();
    }
  }

  private static String single(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  // ------------------------------------------------------------------------------ plumbing

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

  private <T> T call(String what, boolean idempotent, Supplier<T> operation) {
    try {
      return idempotent ? retry.call(operation) : operation.get();
    } catch (RuntimeException e) {
      throw SqlErrors.translate(what, e);
    }
  }

  private <T> T tx(Tx.Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      if (autoCommit) {
        c.setAutoCommit(false);
      }
      try {
        T result = work.run(new Tx(c, DSL.using(c, SQLDialect.POSTGRES)));
        c.commit();
        return result;
      } catch (SQLException | RuntimeException | Error e) {
        try {
          c.rollback();
        } catch (SQLException rollback) {
          e.addSuppressed(rollback);
        }
        throw e;
      } finally {
        if (autoCommit) {
          c.setAutoCommit(true);
        }
      }
    } catch (SQLException e) {
      throw new DataAccessException(String.valueOf(e.getMessage()), e);
    }
  }

  private void logOperation(
      String operation,
      String collection,
      Instant startedAt,
      long startNanos,
      long rows,
      Throwable error) {
    if (!operationLog) {
      return;
    }
    double millis = (System.nanoTime() - startNanos) / 1e6;
    try {
      tx(
          tx ->
              tx.dsl()
                  .insertInto(
                      t.operationLog,
                      PgTables.LOG_OPERATION,
                      PgTables.LOG_COLLECTION,
                      PgTables.LOG_STARTED_AT,
                      PgTables.LOG_DURATION_MS,
                      PgTables.LOG_ROWS,
                      PgTables.LOG_SUCCESS,
                      PgTables.LOG_ERROR,
                      PgTables.LOG_SQL_STATE)
                  .values(
                      operation,
                      collection,
                      OffsetDateTime.ofInstant(startedAt, ZoneOffset.UTC),
                      millis,
                      rows,
                      error == null,
                      error == null ? null : truncate(String.valueOf(error.getMessage()), 2000),
                      error == null ? null : SqlErrors.sqlState(error))
                  .execute());
    } catch (RuntimeException e) {
      LOG.warn("Could not record operation {} in the operation log: {}", operation, e.getMessage());
    }
  }

  private static String truncate(String s, int max) {
    String clean = s.replace('\0', '\uFFFD');
    return clean.length() <= max ? clean : clean.substring(0, max);
  }

  private CollectionRow requireCollection(Tx tx, String name) {
    return findCollection(tx, name, false).orElseThrow(() -> StoreErrors.collectionNotFound(name));
  }

  private CollectionRow lockCollection(Tx tx, String name) {
    return findCollection(tx, name, true).orElseThrow(() -> StoreErrors.collectionNotFound(name));
  }

  private Optional<CollectionRow> findCollection(Tx tx, String name, boolean lock) {
    var select = tx.dsl().select(collectionFields()).from(t.collections).where(COL_NAME.eq(name));
    Record r = lock ? select.forKeyShare().fetchOne() : select.fetchOne();
    return Optional.ofNullable(r).map(PgVectorStore::collectionRow);
  }

  /** Reads the collection and sets the query's HNSW options for this transaction, in one trip. */
  private CollectionRow searchCollection(Tx tx, String name, int efSearch) {
    int ef = efSearch > 0 ? efSearch : defaultEfSearch;
    List<SelectField<?>> fields = new ArrayList<>(collectionFields());
    if (ef > 0) {
      fields.add(
          DSL.field(
              "set_config('hnsw.ef_search', {0}, true)",
              SQLDataType.CLOB, DSL.val(Integer.toString(ef))));
    }
    if (iterativeScan) {
      fields.add(DSL.field("set_config('hnsw.iterative_scan', 'strict_order', true)"));
    }
    Record r = tx.dsl().select(fields).from(t.collections).where(COL_NAME.eq(name)).fetchOne();
    if (r == null) {
      throw StoreErrors.collectionNotFound(name);
    }
    return collectionRow(r);
  }

  private static InvalidInputException dimensionMismatch(
      String argument, int given, CollectionRow coll, String what) {
    return StoreErrors.dimensionMismatch(
        argument,
        what,
        coll.info().spec(),
        given,
        "Embed it with " + coll.model() + " or use a collection of that dimension.");
  }

  private static List<SelectField<?>> collectionFields() {
    return List.of(
        COL_ID,
        COL_NAME,
        COL_DISTANCE,
        COL_ACTIVE_SLOT,
        COL_SLOT_A_MODEL,
        COL_SLOT_A_DIMENSION,
        COL_SLOT_B_MODEL,
        COL_SLOT_B_DIMENSION,
        COL_CREATED_AT);
  }

  private static CollectionRow collectionRow(Record r) {
    String slot = r.get(COL_ACTIVE_SLOT);
    boolean a = "a".equals(slot);
    return new CollectionRow(
        r.get(COL_ID),
        r.get(COL_NAME),
        CollectionRow.distance(r.get(COL_DISTANCE)),
        slot,
        a ? r.get(COL_SLOT_A_MODEL) : r.get(COL_SLOT_B_MODEL),
        a ? r.get(COL_SLOT_A_DIMENSION) : r.get(COL_SLOT_B_DIMENSION),
        r.get(COL_CREATED_AT).toInstant());
  }

  private static List<SelectField<?>> documentFields() {
    return List.of(
        D_ID,
        D_KEY,
        D_SOURCE_ID,
        D_WORKSPACE,
        D_STATUS,
        D_FINGERPRINT,
        D_METADATA,
        D_ERROR,
        D_ATTEMPTS,
        D_CREATED_AT,
        D_UPDATED_AT,
        D_DELETED_AT);
  }

  private static Document document(String collection, Record r) {
    OffsetDateTime deleted = r.get(D_DELETED_AT);
    return new Document(
        r.get(D_ID),
        collection,
        r.get(D_KEY),
        r.get(D_SOURCE_ID),
        r.get(D_WORKSPACE),
        status(r.get(D_STATUS)),
        r.get(D_FINGERPRINT),
        metadata(r.get(D_METADATA)),
        r.get(D_ERROR),
        r.get(D_ATTEMPTS),
        r.get(D_CREATED_AT).toInstant(),
        r.get(D_UPDATED_AT).toInstant(),
        deleted == null ? null : deleted.toInstant());
  }

  private static List<SelectField<?>> chunkFields(CollectionRow coll) {
    return List.of(
        C_ID,
        D_KEY,
        C_ORDINAL,
        C_TEXT,
        C_CONTENT_HASH,
        C_TOKEN_COUNT,
        PgTables.embedding(coll.slot()),
        PgTables.model(coll.slot()),
        PgTables.textHash(coll.slot()),
        C_METADATA);
  }

  private static Chunk chunk(CollectionRow coll, Record r) {
    return new Chunk(
        r.get(C_ID),
        coll.name(),
        r.get(D_KEY),
        r.get(C_ORDINAL),
        r.get(C_TEXT),
        r.get(C_CONTENT_HASH),
        r.get(C_TOKEN_COUNT),
        r.get(PgTables.embedding(coll.slot())),
        r.get(PgTables.model(coll.slot())),
        r.get(PgTables.textHash(coll.slot())),
        metadata(r.get(C_METADATA)));
  }

  private static List<SelectField<?>> hitFields(Field<?>... extra) {
    List<SelectField<?>> fields =
        new ArrayList<>(List.of(C_ID, C_ORDINAL, C_TEXT, D_KEY, D_SOURCE_ID, D_METADATA));
    fields.addAll(List.of(extra));
    return fields;
  }

  private static SearchHit hit(CollectionRow coll, Record r, double score) {
    return new SearchHit(
        coll.name(),
        r.get(D_KEY),
        r.get(D_SOURCE_ID),
        r.get(C_ID),
        r.get(C_ORDINAL),
        r.get(C_TEXT),
        score,
        metadata(r.get(D_METADATA)));
  }

  private static Map<String, String> metadata(JSONB json) {
    return json == null ? Map.of() : Json.parseObject(json.data());
  }

  private static Condition filter(SearchFilter f) {
    Condition c = DSL.noCondition();
    if (!f.sourceIds().isEmpty()) {
      c = c.and(D_SOURCE_ID.eq(DSL.any(f.sourceIds().toArray(new String[0]))));
    }
    if (f.workspace() != null) {
      c = c.and(D_WORKSPACE.eq(f.workspace()));
    }
    Set<DocumentStatus> statuses = f.effectiveStatuses();
    if (statuses.size() == DocumentStatus.values().length - 1
        && !statuses.contains(DocumentStatus.DELETED)) {
      c = c.and(D_STATUS.ne(statusName(DocumentStatus.DELETED)));
    } else if (statuses.size() < DocumentStatus.values().length) {
      c =
          c.and(
              D_STATUS.eq(
                  DSL.any(
                      statuses.stream().map(PgVectorStore::statusName).toArray(String[]::new))));
    }
    if (!f.metadata().isEmpty()) {
      c =
          c.and(
              DSL.condition(
                  "{0} @> {1}",
                  D_METADATA,
                  DSL.val(JSONB.valueOf(Json.object(f.metadata())), SQLDataType.JSONB)));
    }
    return c;
  }

  static String statusName(DocumentStatus status) {
    return status.name().toLowerCase(Locale.ROOT);
  }

  private static DocumentStatus status(String stored) {
    return DocumentStatus.valueOf(stored.toUpperCase(Locale.ROOT));
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
    private int retryAttempts = 3;
    private Duration retryInitialBackoff = Duration.ofMillis(50);
    private Duration retryMaxBackoff = Duration.ofSeconds(2);
    private boolean operationLog = true;
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
     * Builds a collection's ANN index when the collection is created (default: true). Without the
     * privilege, a warning says so and the collection is created anyway. Turn it off to bulk load
     * first and call {@link PgVectorStore#createAnnIndex(String)} afterwards.
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
     * Sets how long building an index on collection creation may wait for locks before giving up
     * with a warning (default: 10 s).
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

    private static void positive(String name, Duration d) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new InvalidInputException(
            name, name + " must be a positive duration (was " + d + ")");
      }
    }
  }
}
