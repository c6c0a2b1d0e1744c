package dev.portfolio.core.spi;

import dev.portfolio.core.model.Chunk;
import dev.portfolio.core.model.ChunkQuery;
import dev.portfolio.core.model.CollectionInfo;
import dev.portfolio.core.model.CollectionSpec;
import dev.portfolio.core.model.CollectionStats;
import dev.portfolio.core.model.DeleteResult;
import dev.portfolio.core.model.Document;
import dev.portfolio.core.model.DocumentHit;
import dev.portfolio.core.model.DocumentInput;
import dev.portfolio.core.model.DocumentQuery;
import dev.portfolio.core.model.DocumentStatus;
import dev.portfolio.core.model.EmbeddingUpdate;
import dev.portfolio.core.model.HybridQuery;
import dev.portfolio.core.model.KeywordQuery;
import dev.portfolio.core.model.Page;
import dev.portfolio.core.model.SearchHit;
import dev.portfolio.core.model.UpsertResult;
import dev.portfolio.core.model.VectorQuery;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The whole index store: collections, documents, chunks, vectors and search. Implementations are
 * thread-safe. Every method that reads or writes a collection's contents throws {@link
 * dev.portfolio.core.error.PortfolioException} with code {@link
 * dev.portfolio.core.error.ErrorCode#NOT_FOUND} when it does not exist.
 *
 * @since 0.1.0
 */
public interface VectorStore extends AutoCloseable {
  /**
   * Returns the abilities beyond the common contract.
   *
   * @return the capabilities, immutable
   */
  Set<StoreCapability> capabilities();

  /**
   * Tells whether the store has a capability.
   *
   * @param capability the capability
   * @return true when supported
   */
  default boolean supports(StoreCapability capability) {
    return capabilities().contains(capability);
  }

  /**
   * Creates a collection, or returns the existing one when it has the same spec.
   *
   * @param spec the collection's name, model, dimension and distance
   * @return the collection
   * @throws dev.portfolio.core.error.PortfolioException with code {@link
   *     dev.portfolio.core.error.ErrorCode#ALREADY_EXISTS} when a collection of that name exists
   *     with another model, dimension or distance
   */
  CollectionInfo createCollection(CollectionSpec spec);

  /**
   * Finds a collection by name.
   *
   * @param name the collection name
   * @return the collection, or empty
   */
  Optional<CollectionInfo> findCollection(String name);

  /**
   * Lists every collection, ordered by name.
   *
   * @return the collections
   */
  List<CollectionInfo> listCollections();

  /**
   * Drops a collection with all its documents and chunks.
   *
   * @param name the collection name
   * @return true when it existed
   */
  boolean dropCollection(String name);

  /**
   * Puts one collection in another's place in one atomic step: drops {@code target} with all its
   * documents, chunks and sets (when it exists) and renames {@code replacement} to {@code target}.
   * Readers see the old target or the new one, never neither. A restore builds a collection under a
   * staging name and then calls this, so a failed restore leaves the previous data intact.
   *
   * @param target the name the replacement takes
   * @param replacement the collection that takes the name
   * @return the replacement, now named {@code target}
   * @throws dev.portfolio.core.error.PortfolioException with code {@link
   *     dev.portfolio.core.error.ErrorCode#NOT_FOUND} when {@code replacement} does not exist, or
   *     {@link dev.portfolio.core.error.ErrorCode#INVALID_ARGUMENT} when both names are the same
   */
  CollectionInfo replaceCollection(String target, String replacement);

  /**
   * Stores documents with their chunks, replacing the chunks of documents that exist. Each document
   * is validated on its own: a bad one (no chunks, wrong dimension, NUL byte, blank or oversize
   * text, duplicate ordinal or key) is reported in {@link UpsertResult#failures()} and nothing of
   * it is written, while every good one is stored. A document whose fingerprint, status, metadata
   * and chunks (text, embedding, model) equal the stored ones counts as unchanged and is not
   * rewritten. A soft-deleted document that is upserted again comes back with the given status.
   * Embeddings given with chunks go into the active set; a building set sees the new chunks as
   * missing.
   *
   * @param collection the collection
   * @param documents the documents; empty is a no-op
   * @return counts of inserted, updated, unchanged and failed documents
   */
  UpsertResult upsert(String collection, List<DocumentInput> documents);

  /**
   * Finds a document by key, including a soft-deleted one.
   *
   * @param collection the collection
   * @param key the document key
   * @return the document, or empty
   */
  Optional<Document> findDocument(String collection, String key);

  /**
   * Returns a document's chunks in ordinal order.
   *
   * @param collection the collection
   * @param key the document key
   * @return the chunks; empty when the document does not exist
   */
  List<Chunk> chunks(String collection, String key);

  /**
   * Returns one page of documents in ascending id order.
   *
   * @param query the collection, filter, cursor and page size
   * @return the page
   */
  Page<Document> listDocuments(DocumentQuery query);

  /**
   * Returns one page of chunks in ascending id order.
   *
   * @param query the collection, filter, embedding state, cursor and page size
   * @return the page
   */
  Page<Chunk> listChunks(ChunkQuery query);

  /**
   * Streams every chunk matching a query, one page at a time, in ascending id order: memory stays
   * bounded by the page size whatever the collection's size. Close the stream when done early.
   *
   * @param query the first page's query; its limit is the page size
   * @return a lazy stream
   */
  default Stream<Chunk> streamChunks(ChunkQuery query) {
    Spliterator<Chunk> pages =
        new Spliterators.AbstractSpliterator<>(Long.MAX_VALUE, Spliterator.ORDERED) {
          private ChunkQuery next = query;
          private java.util.Iterator<Chunk> current = java.util.Collections.emptyIterator();

          @Override
          public boolean tryAdvance(Consumer<? super Chunk> action) {
            while (!current.hasNext()) {
              if (next == null) {
                return false;
              }
              Page<Chunk> page = listChunks(next);
              current = page.items().iterator();
              next = page.hasNext() ? next.after(page.nextAfter().getAsLong()) : null;
            }
            action.accept(current.next());
            return true;
          }
        };
    return StreamSupport.stream(pages, false);
  }

  /**
   * Sets the embeddings of stored chunks in the collection's active set. Unknown chunk ids are
   * skipped. Unlike {@link #writeVectors}, a vector of another model is accepted and counted in
   * {@link CollectionStats#foreignModelChunks()}.
   *
   * @param collection the collection
   * @param updates the new embeddings, each of the collection's dimension
   * @return how many chunks were updated
   * @throws dev.portfolio.core.error.InvalidInputException with code {@link
   *     dev.portfolio.core.error.ErrorCode#DIMENSION_MISMATCH} when a vector has another dimension;
   *     nothing is written then
   */
  int updateEmbeddings(String collection, List<EmbeddingUpdate> updates);

  /**
   * Sets a document's status. With {@link DocumentStatus#FAILED} the error is recorded and the
   * attempt count grows by one; with any other status the error is cleared.
   *
   * @param collection the collection
   * @param key the document key
   * @param status the new status; use {@link #softDelete} for {@link DocumentStatus#DELETED}
   * @param error the error text for {@link DocumentStatus#FAILED}, else ignored; NUL characters
   *     (which PostgreSQL cannot store) are replaced by U+FFFD
   * @return true when the document exists
   */
  boolean updateStatus(String collection, String key, DocumentStatus status, String error);

  /**
   * Deletes a document and its chunks for good.
   *
   * @param collection the collection
   * @param key the document key
   * @return what was removed
   */
  DeleteResult deleteDocument(String collection, String key);

  /**
   * Deletes every document of a source and their chunks for good.
   *
   * @param collection the collection
   * @param sourceId the source id
   * @return what was removed
   */
  DeleteResult deleteBySource(String collection, String sourceId);

  /**
   * Deletes for good up to {@code limit} documents of a source, soft-deleted ones included, the
   * lowest document ids first, with their chunks and their vectors in every set, in one
   * transaction. Call it until it returns no document to delete a large source in bounded batches:
   * each call commits on its own, so a failure or a stop between calls leaves every document either
   * whole or gone, never half-deleted.
   *
   * @param collection the collection
   * @param sourceId the source id
   * @param limit the most documents, 1 to 10,000
   * @return what was removed; {@link DeleteResult#NONE} when the source has no document left
   * @since 0.1.0
   */
  default DeleteResult deleteBySource(String collection, String sourceId, int limit) {
    throw unsupported("deleteBySource(collection, sourceId, limit)");
  }

  /**
   * Hides a document from search: status {@link DocumentStatus#DELETED} with {@code deletedAt} set.
   * Its chunks are kept until purged.
   *
   * @param collection the collection
   * @param key the document key
   * @return true when a live document was soft-deleted
   */
  boolean softDelete(String collection, String key);

  /**
   * Brings a soft-deleted document back with the status it would have had: {@link
   * DocumentStatus#READY} when every chunk has an embedding, else {@link DocumentStatus#PENDING}.
   *
   * @param collection the collection
   * @param key the document key
   * @return true when a soft-deleted document was restored
   */
  boolean restore(String collection, String key);

  /**
   * Finds the nearest chunks to a vector, best first.
   *
   * @param query the collection, vector, limit and filter
   * @return at most {@code limit} hits from the active set; chunks without an embedding never
   *     match, and in a cosine collection neither do chunks whose stored vector is all zeros
   * @throws dev.portfolio.core.error.InvalidInputException with code {@link
   *     dev.portfolio.core.error.ErrorCode#DIMENSION_MISMATCH} when the vector's dimension differs
   *     from the collection's; with {@link dev.portfolio.core.error.ErrorCode#INVALID_ARGUMENT} for
   *     an all-zero query vector in a cosine collection
   */
  List<SearchHit> search(VectorQuery query);

  /**
   * Finds chunks by keywords, best first. The query and the chunks are split into words by {@link
   * dev.portfolio.core.text.KeywordTokenizer}; a chunk matches when it contains at least one query
   * word, and matches rank by {@link dev.portfolio.core.text.Bm25} (its score is the hit's score)
   * with statistics of the whole collection, ties by chunk id. A chunk with one rare word can thus
   * outrank a chunk with every word when the other words are common; words in most chunks weigh
   * almost nothing. A store may rank a bounded set of candidates chosen by the rarest words, and
   * may estimate the statistics of frequent words (the pgvector store does both).
   *
   * @param query the collection, words, limit and filter
   * @return at most {@code limit} hits, empty when the text has no words
   * @throws dev.portfolio.core.error.PortfolioException with code {@link
   *     dev.portfolio.core.error.ErrorCode#UNSUPPORTED} without {@link
   *     StoreCapability#KEYWORD_SEARCH}
   */
  List<SearchHit> keywordSearch(KeywordQuery query);

  /**
   * Fuses a vector search and a keyword search by reciprocal rank fusion. The default runs both
   * searches for {@code 4 * limit} candidates each and fuses them in memory.
   *
   * @param query the collection, vector, words, limit, filter and RRF constant
   * @return at most {@code limit} hits, scored by RRF
   * @throws dev.portfolio.core.error.PortfolioException with code {@link
   *     dev.portfolio.core.error.ErrorCode#UNSUPPORTED} without {@link
   *     StoreCapability#KEYWORD_SEARCH}, before any search runs
   */
  default List<SearchHit> hybridSearch(HybridQuery query) {
    if (!supports(StoreCapability.KEYWORD_SEARCH)) {
      throw new dev.portfolio.core.error.NonRetriableException(
          dev.portfolio.core.error.ErrorCode.UNSUPPORTED,
          "Hybrid search needs keyword search, which this store ("
              + getClass().getSimpleName()
              + ") does not support. Use search(VectorQuery) instead.");
    }
    int candidates = Math.min(VectorQuery.MAX_LIMIT, query.limit() * 4);
    List<SearchHit> byVector = search(query.vectorQuery(candidates));
    List<SearchHit> byWords =
        keywordSearch(
            new KeywordQuery(query.collection(), query.text(), candidates, query.filter()));
    return RankFusion.reciprocalRank(query.rrfK(), query.limit(), List.of(byVector, byWords));
  }

  // ---------------------------------------------------------------------- document-level search

  /**
   * Finds the nearest documents to a vector: {@link #search(VectorQuery)} collapsed to documents,
   * each ranked by its best chunk and carrying its chunks among the hits, best first. {@code
   * query.limit()} counts documents: the chunk search asks for 3 chunks per document, and for 4
   * times as many again while that yields fewer documents although more chunks may exist, up to
   * {@value VectorQuery#MAX_LIMIT} chunks. So a caller gets {@code limit} distinct documents
   * whenever the best {@value VectorQuery#MAX_LIMIT} chunks hold that many.
   *
   * @param query the collection, vector, number of documents (1 to 1000) and filter
   * @return at most {@code limit} documents, best first
   * @throws dev.portfolio.core.error.InvalidInputException as {@link #search(VectorQuery)}
   * @since 0.1.0
   */
  default List<DocumentHit> searchDocuments(VectorQuery query) {
    return DocumentCollapse.search(
        query.limit(),
        chunks ->
            search(
                new VectorQuery(
                    query.collection(), query.vector(), chunks, query.filter(), query.efSearch())));
  }

  /**
   * Finds documents by keywords: {@link #keywordSearch(KeywordQuery)} collapsed to documents, as
   * {@link #searchDocuments(VectorQuery)} does for vectors.
   *
   * @param query the collection, words, number of documents (1 to 1000) and filter
   * @return at most {@code limit} documents, best first; empty when the text has no words
   * @throws dev.portfolio.core.error.PortfolioException with code {@link
   *     dev.portfolio.core.error.ErrorCode#UNSUPPORTED} without {@link
   *     StoreCapability#KEYWORD_SEARCH}
   * @since 0.1.0
   */
  default List<DocumentHit> keywordSearchDocuments(KeywordQuery query) {
    return DocumentCollapse.search(
        query.limit(),
        chunks ->
            keywordSearch(
                new KeywordQuery(query.collection(), query.text(), chunks, query.filter())));
  }

  /**
   * Finds documents by a hybrid search: {@link #hybridSearch(HybridQuery)} (chunks fused by RRF)
   * collapsed to documents, as {@link #searchDocuments(VectorQuery)} does for vectors.
   *
   * @param query the collection, vector, words, number of documents (1 to 1000), filter and RRF
   *     constant
   * @return at most {@code limit} documents, best first, scored by their best chunk's RRF score
   * @throws dev.portfolio.core.error.PortfolioException with code {@link
   *     dev.portfolio.core.error.ErrorCode#UNSUPPORTED} without {@link
   *     StoreCapability#KEYWORD_SEARCH}
   * @since 0.1.0
   */
  default List<DocumentHit> hybridSearchDocuments(HybridQuery query) {
    return DocumentCollapse.search(
        query.limit(),
        chunks ->
            hybridSearch(
                new HybridQuery(
                    query.collection(),
                    query.vector(),
                    query.text(),
                    chunks,
                    query.filter(),
                    query.rrfK(),
                    query.efSearch())));
  }

  /**
   * Counts the documents by status and the chunks by embedding state in the active set: {@code
   * stats(collection, 0)}.
   *
   * @param collection the collection
   * @return the counts
   */
  default CollectionStats stats(String collection) {
    return stats(collection, 0);
  }

  /**
   * Counts the documents by status and the chunks by their embedding state in one embedding set:
   * what a model switch still misses before the set can be activated.
   *
   * @param collection the collection
   * @param setId the set, or 0 for the active set
   * @return the counts; {@code foreignModelChunks} counts vectors of a model other than the set's
   * @throws dev.portfolio.core.error.PortfolioException with code {@link
   *     dev.portfolio.core.error.ErrorCode#NOT_FOUND} when the set is not one of the collection's
   */
  CollectionStats stats(String collection, long setId);

  /**
   * Returns the bytes a collection's rows occupy (documents, chunks and the vectors of every set,
   * excluding index space), when the store can tell.
   *
   * @param collection the collection
   * @return the byte count, or empty without {@link StoreCapability#STORAGE_BYTES} (never a made-up
   *     0)
   */
  default java.util.OptionalLong storageBytes(String collection) {
    findCollection(collection)
        .orElseThrow(
            () -> dev.portfolio.core.validation.StoreErrors.collectionNotFound(collection));
    return java.util.OptionalLong.empty();
  }

  // ------------------------------------------------------------------------------ embedding sets

  /**
   * Lists a collection's embedding sets in ascending id order: the active one, the building one
   * when a model switch is under way, and retired ones not yet dropped.
   *
   * @param collection the collection
   * @return the sets, never empty (a collection always has its active set)
   * @since 0.1.0
   */
  List<dev.portfolio.core.model.EmbeddingSet> embeddingSets(String collection);

  /**
   * Returns a collection's active set, the one searches read.
   *
   * @param collection the collection
   * @return the active set
   */
  default dev.portfolio.core.model.EmbeddingSet activeSet(String collection) {
    return embeddingSets(collection).stream()
        .filter(s -> s.state() == dev.portfolio.core.model.SetState.ACTIVE)
        .findFirst()
        .orElseThrow(
            () ->
                new dev.portfolio.core.error.NonRetriableException(
                    dev.portfolio.core.error.ErrorCode.STORE_FAILURE,
                    "Collection '" + collection + "' has no active embedding set"));
  }

  /**
   * Returns a collection's building set, when a model switch is under way.
   *
   * @param collection the collection
   * @return the building set, or empty
   */
  default Optional<dev.portfolio.core.model.EmbeddingSet> buildingSet(String collection) {
    return embeddingSets(collection).stream()
        .filter(s -> s.state() == dev.portfolio.core.model.SetState.BUILDING)
        .findFirst();
  }

  /**
   * Creates the building set of a model switch: an empty set for another model (and possibly
   * another dimension) that {@link #writeVectors} fills while searches keep reading the active set.
   * Asking again for the same model and dimension returns the existing building set, so an
   * interrupted switch resumes.
   *
   * @param collection the collection
   * @param model the new model reference
   * @param dimension the new model's dimension, 1 to 16,000
   * @return the building set
   * @throws dev.portfolio.core.error.PortfolioException with code {@link
   *     dev.portfolio.core.error.ErrorCode#CONFLICT} when another building set exists, or when the
   *     active set already has this model and dimension; with {@link
   *     dev.portfolio.core.error.ErrorCode#PERMISSION_DENIED} when the store's role may not create
   *     it (the message names the SQL an owner must run)
   */
  dev.portfolio.core.model.EmbeddingSet createBuildingSet(
      String collection, String model, int dimension);

  /**
   * Writes vectors into a set, replacing the vector a chunk already has there. Each update names
   * the model that produced it (it must be the set's model) and the content hash of the text it was
   * computed from. Chunks that no longer exist, or belong to another collection, are skipped.
   *
   * @param collection the collection
   * @param setId the set, building or active (0 for the active set)
   * @param vectors the vectors; empty is a no-op; for one chunk the last one wins
   * @return how many chunks received a vector
   * @throws dev.portfolio.core.error.InvalidInputException with code {@link
   *     dev.portfolio.core.error.ErrorCode#DIMENSION_MISMATCH} when a vector has another dimension
   *     than the set, or {@link dev.portfolio.core.error.ErrorCode#INVALID_ARGUMENT} when it names
   *     another model; nothing is written then
   * @throws dev.portfolio.core.error.PortfolioException with code {@link
   *     dev.portfolio.core.error.ErrorCode#CONFLICT} when the set is retired
   */
  int writeVectors(String collection, long setId, List<EmbeddingUpdate> vectors);

  /**
   * Makes a set the one searches read, in one atomic step: the active set becomes retired (kept for
   * {@link #rollback}), the given set active. Activating a retired set rolls back to it. Activating
   * the active set is a no-op. The store does not check completeness: callers compare {@link
   * #stats(String, long)} first.
   *
   * @param collection the collection
   * @param setId the building or retired set
   * @return the set, now active
   * @throws dev.portfolio.core.error.PortfolioException with code {@link
   *     dev.portfolio.core.error.ErrorCode#NOT_FOUND} when the set is not the collection's
   */
  dev.portfolio.core.model.EmbeddingSet activateSet(String collection, long setId);

  /**
   * Reactivates the most recently retired set, retiring the active one: undoes the last {@link
   * #activateSet} while the old set has not been dropped.
   *
   * @param collection the collection
   * @return the set, now active
   * @throws dev.portfolio.core.error.PortfolioException with code {@link
   *     dev.portfolio.core.error.ErrorCode#CONFLICT} when there is no retired set
   */
  default dev.portfolio.core.model.EmbeddingSet rollback(String collection) {
    dev.portfolio.core.model.EmbeddingSet previous =
        embeddingSets(collection).stream()
            .filter(s -> s.state() == dev.portfolio.core.model.SetState.RETIRED)
            .max(
                java.util.Comparator.comparing(
                        (dev.portfolio.core.model.EmbeddingSet s) -> s.retiredAt(),
                        java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder()))
                    .thenComparingLong(dev.portfolio.core.model.EmbeddingSet::id))
            .orElseThrow(
                () ->
                    new dev.portfolio.core.error.NonRetriableException(
                        dev.portfolio.core.error.ErrorCode.CONFLICT,
                        "Collection '"
                            + collection
                            + "' has no retired embedding set to roll back to: it was dropped,"
                            + " or the collection never switched models."));
    return activateSet(collection, previous.id());
  }

  /**
   * Drops a building or retired set with all its vectors. On PostgreSQL this drops the set's
   * partition: instant, with no dead rows left behind.
   *
   * @param collection the collection
   * @param setId the set
   * @return true when it existed
   * @throws dev.portfolio.core.error.PortfolioException with code {@link
   *     dev.portfolio.core.error.ErrorCode#CONFLICT} for the active set
   */
  boolean dropSet(String collection, long setId);

  // ------------------------------------------------------------------------------ inspection

  /**
   * Reads every collection with its document, chunk and vector counts, its embedding sets with the
   * state of their ANN indexes, the store's tables and indexes, and its configuration, in one go
   * (on PostgreSQL in two round trips, whatever the number of collections). Only reads: it works on
   * a read-only replica.
   *
   * @param workspace count only documents of this workspace (and their chunks and vectors), or null
   *     for every document; sizes of tables and sets are always for the whole store
   * @return the snapshot
   * @since 0.1.0
   */
  dev.portfolio.core.inspect.StoreSnapshot snapshot(String workspace);

  /**
   * Summarises how long the store's operations took over a recent window: at least {@code search}
   * and {@code keyword_search} as measured by this instance, and {@code upsert}. The default
   * reports nothing, for a store that measures nothing.
   *
   * @param window how far back to look, positive
   * @return one entry per operation that ran in the window, ordered by operation; empty when none
   * @since 0.1.0
   */
  default List<dev.portfolio.core.inspect.OperationLatency> latencies(java.time.Duration window) {
    dev.portfolio.core.validation.Inputs.requireNonNull("window", window);
    return List.of();
  }

  /**
   * Examines one keyset page of a set's vectors, in ascending chunk id order, including vectors of
   * soft-deleted documents, and returns those with a problem: a dimension or model other than the
   * set's, a NaN or infinite component, all components zero, computed from text other than the
   * chunk's, or naming a chunk that does not exist. The default reads the vectors through {@link
   * #listChunks}, which suits a store whose vectors are all {@link
   * dev.portfolio.core.model.Embedding}s (finite by construction) and always belong to a chunk; a
   * store that can hold anything else (such as rows written by hand) overrides it and examines the
   * stored values.
   *
   * @param query the collection, set, cursor, page size and sample rate
   * @return the page
   * @throws dev.portfolio.core.error.PortfolioException with code {@link
   *     dev.portfolio.core.error.ErrorCode#NOT_FOUND} for an unknown collection or set
   * @since 0.1.0
   */
  default dev.portfolio.core.inspect.VectorScanPage scanVectors(
      dev.portfolio.core.inspect.VectorScanQuery query) {
    dev.portfolio.core.validation.Inputs.requireNonNull("query", query);
    List<dev.portfolio.core.model.EmbeddingSet> sets = embeddingSets(query.collection());
    dev.portfolio.core.model.EmbeddingSet set =
        sets.stream()
            .filter(
                s ->
                    query.setId() == 0
                        ? s.state() == dev.portfolio.core.model.SetState.ACTIVE
                        : s.id() == query.setId())
            .findFirst()
            .orElseThrow(
                () ->
                    dev.portfolio.core.validation.StoreErrors.setNotFound(
                        query.collection(), query.setId()));
    Page<Chunk> page =
        listChunks(
            new ChunkQuery(
                query.collection(),
                dev.portfolio.core.model.SearchFilter.builder().includeDeleted().build(),
                dev.portfolio.core.model.EmbeddingState.PRESENT,
                query.afterChunkId(),
                query.limit(),
                set.id()));
    List<dev.portfolio.core.inspect.VectorCheck> suspects = new java.util.ArrayList<>();
    int examined = 0;
    for (Chunk c : page.items()) {
      if (!dev.portfolio.core.inspect.VectorScanQuery.sampled(c.id(), query.sampleRate())) {
        continue;
      }
      examined++;
      float[] values = c.embedding().toArray();
      boolean nonFinite = false;
      for (float v : values) {
        nonFinite |= !Float.isFinite(v);
      }
      dev.portfolio.core.inspect.VectorCheck check =
          new dev.portfolio.core.inspect.VectorCheck(
              c.id(),
              values.length,
              values.length != set.dimension(),
              nonFinite,
              c.embedding().isZero(),
              c.embeddingModel(),
              !set.model().equals(c.embeddingModel()),
              c.isStale(),
              false);
      if (check.hasProblem()) {
        suspects.add(check);
      }
    }
    return new dev.portfolio.core.inspect.VectorScanPage(suspects, examined, page.nextAfter());
  }

  // ------------------------------------------------------------------------------ health checks

  /**
   * Audits a collection's chunks and documents for health checks: chunks whose stored content hash
   * is not the hash of their stored text, chunks whose text has words but no keyword entry, chunks
   * over a token limit, and documents missing required metadata keys. Counts cover chunks of
   * documents that are not soft-deleted, all of them or a sample chosen by chunk id. Only reads.
   *
   * <p>The default streams the chunks and documents through {@link #streamChunks} and {@link
   * #listDocuments} ({@link dev.portfolio.core.inspect.ChunkAudits}) and reports the keyword index
   * as not checked; stores override it to examine the data where it lives and to check their
   * keyword index.
   *
   * @param query the collection, sample rate, token limit, required keys and sample size
   * @return the findings
   * @throws dev.portfolio.core.error.PortfolioException with code {@link
   *     dev.portfolio.core.error.ErrorCode#NOT_FOUND} for an unknown collection
   * @since 0.1.0
   */
  default dev.portfolio.core.inspect.ChunkAudit auditChunks(
      dev.portfolio.core.inspect.ChunkAuditQuery query) {
    dev.portfolio.core.validation.Inputs.requireNonNull("query", query);
    findCollection(query.collection())
        .orElseThrow(
            () -> dev.portfolio.core.validation.StoreErrors.collectionNotFound(query.collection()));
    return dev.portfolio.core.inspect.ChunkAudits.scan(this, query, null);
  }

  /**
   * Deletes the vectors of chunks in one set, so that those chunks count as missing there: what a
   * repair does with vectors a scan found unusable (NaN, infinite, all zero, another dimension or
   * model), which a re-embed of missing chunks then replaces. The chunks themselves stay. Unknown
   * chunk ids and chunks without a vector in the set are skipped.
   *
   * @param collection the collection
   * @param setId the set, building or active (0 for the active set)
   * @param chunkIds the chunk ids, not null, at most {@value ChunkQuery#MAX_LIMIT}; empty is a
   *     no-op
   * @return how many vectors were deleted
   * @throws dev.portfolio.core.error.PortfolioException with code {@link
   *     dev.portfolio.core.error.ErrorCode#CONFLICT} for a retired set; NOT_FOUND for an unknown
   *     collection or set; {@link dev.portfolio.core.error.ErrorCode#UNSUPPORTED} when the store
   *     does not implement it (the default)
   * @since 0.1.0
   */
  default int deleteVectors(String collection, long setId, java.util.Collection<Long> chunkIds) {
    throw unsupported("deleteVectors");
  }

  /**
   * Builds the ANN index of a collection's active set when it is missing, or drops and rebuilds it
   * when it is invalid (an interrupted build), without blocking writes where the store can (on
   * PostgreSQL {@code CREATE INDEX CONCURRENTLY}). A valid index is left alone.
   *
   * @param collection the collection
   * @return true when an index was built, false when a valid one existed
   * @throws dev.portfolio.core.error.PortfolioException with code {@link
   *     dev.portfolio.core.error.ErrorCode#UNSUPPORTED} without {@link StoreCapability#ANN_INDEX}
   *     (the default) or when the set's dimension cannot be indexed; {@link
   *     dev.portfolio.core.error.ErrorCode#PERMISSION_DENIED} when the store's role may not build
   *     it; NOT_FOUND for an unknown collection
   * @since 0.1.0
   */
  default boolean buildAnnIndex(String collection) {
    findCollection(collection)
        .orElseThrow(
            () -> dev.portfolio.core.validation.StoreErrors.collectionNotFound(collection));
    throw new dev.portfolio.core.error.NonRetriableException(
        dev.portfolio.core.error.ErrorCode.UNSUPPORTED,
        "This store ("
            + getClass().getSimpleName()
            + ") keeps no ANN index: its searches are exact, and there is nothing to build.");
  }

  // ------------------------------------------------------------------------------ metadata filters

  /**
   * Declares document metadata keys that searches of a collection filter on ({@link
   * dev.portfolio.core.model.SearchFilter#metadata()}), and makes sure the index that serves such
   * searches exists. Additive and idempotent: keys already declared are kept, declaring them again
   * changes nothing, and an empty set only (re)builds a missing or invalid index of keys declared
   * before. Dropping the collection drops its filters and their index.
   *
   * <p>On PostgreSQL the keys are recorded in the collection's row, and one partial GIN index on
   * the collection's documents' metadata ({@code jsonb_path_ops}) serves every key; it is built
   * without blocking writes ({@code CREATE INDEX CONCURRENTLY}). Building it is DDL: a role without
   * it gets {@code PERMISSION_DENIED} naming the SQL the schema owner must run, after the keys were
   * recorded. The in-memory store records the keys and needs no index.
   *
   * @param collection the collection
   * @param keys the keys, not null; each as {@link
   *     dev.portfolio.core.model.MetadataFilters#validateKey}
   * @return the collection's filters afterwards
   * @throws dev.portfolio.core.error.PortfolioException with code {@link
   *     dev.portfolio.core.error.ErrorCode#UNSUPPORTED} without {@link
   *     StoreCapability#METADATA_FILTERS} (the default); {@link
   *     dev.portfolio.core.error.ErrorCode#PERMISSION_DENIED} when the index cannot be built by the
   *     store's role; NOT_FOUND for an unknown collection; INVALID_ARGUMENT for an invalid key
   * @since 0.1.0
   */
  default dev.portfolio.core.model.MetadataFilters defineFilters(
      String collection, Set<String> keys) {
    dev.portfolio.core.model.MetadataFilters.validateKeys("keys", keys);
    findCollection(collection)
        .orElseThrow(
            () -> dev.portfolio.core.validation.StoreErrors.collectionNotFound(collection));
    throw filtersUnsupported();
  }

  /**
   * Returns the metadata filters declared for a collection and the state of their index. Only
   * reads.
   *
   * @param collection the collection
   * @return the filters; no keys and {@code NOT_APPLICABLE} when none were declared
   * @throws dev.portfolio.core.error.PortfolioException with code {@link
   *     dev.portfolio.core.error.ErrorCode#UNSUPPORTED} without {@link
   *     StoreCapability#METADATA_FILTERS} (the default); NOT_FOUND for an unknown collection
   * @since 0.1.0
   */
  default dev.portfolio.core.model.MetadataFilters filters(String collection) {
    findCollection(collection)
        .orElseThrow(
            () -> dev.portfolio.core.validation.StoreErrors.collectionNotFound(collection));
    throw filtersUnsupported();
  }

  private dev.portfolio.core.error.PortfolioException filtersUnsupported() {
    return new dev.portfolio.core.error.NonRetriableException(
        dev.portfolio.core.error.ErrorCode.UNSUPPORTED,
        "This store ("
            + getClass().getSimpleName()
            + ") keeps no metadata filters (capability METADATA_FILTERS); filtered searches still"
            + " work, unindexed. Use the pgvector or in-memory store to declare filters.");
  }

  // ------------------------------------------------------------------------------ retry, cleanup,
  // locks

  /**
   * Takes a collection's maintenance lock for an operation, without waiting: maintenance operations
   * that change a collection (a re-embed, a model switch, a cleanup) hold it so that they never
   * overlap. The default is an in-process lock per store object ({@link
   * dev.portfolio.core.lock.InProcessLocks}); a store shared by several processes overrides it
   * (PostgreSQL: a session-level advisory lock on a dedicated connection, freed when that session
   * ends, even when the process dies).
   *
   * @param collection the collection, which must exist
   * @param operation what will run, shown to refused callers; not blank
   * @return the held lock; close it to release
   * @throws dev.portfolio.core.error.PortfolioException with code {@link
   *     dev.portfolio.core.error.ErrorCode#CONFLICT} when another operation holds it (the message
   *     names that operation, since when, and on which host); NOT_FOUND for an unknown collection
   * @since 0.1.0
   */
  default MaintenanceLock lockForMaintenance(String collection, String operation) {
    findCollection(collection)
        .orElseThrow(
            () -> dev.portfolio.core.validation.StoreErrors.collectionNotFound(collection));
    return dev.portfolio.core.lock.InProcessLocks.of(this).acquire(collection, operation);
  }

  /**
   * Takes the maintenance locks of several collections at once, all or none, for an operation over
   * many collections (an orphan cleanup): when one is held, those taken are released and the
   * refusal names the running operation. The default takes them one by one with {@link
   * #lockForMaintenance(String, String)}; the PostgreSQL store holds them all on one connection.
   *
   * @param collections the collections, each of which must exist; empty gives a lock that holds
   *     nothing
   * @param operation what will run; not blank
   * @return the held locks as one; closing it releases them all
   * @throws dev.portfolio.core.error.PortfolioException CONFLICT when another operation holds one
   * @since 0.1.0
   */
  default MaintenanceLock lockForMaintenance(
      java.util.Collection<String> collections, String operation) {
    return dev.portfolio.core.lock.LockConflicts.all(
        collections, operation, c -> lockForMaintenance(c, operation));
  }

  /**
   * Takes a collection's maintenance lock in shared mode, without waiting: any number of shared
   * holders, in any process, hold it at once, while {@link #lockForMaintenance(String, String)} is
   * refused (naming one of them) as long as one does, and a shared request is refused while an
   * exclusive holder has it. The work units of a durable job hold it this way, so that they run
   * side by side while a model switch or a cleanup of the collection is refused. The default is the
   * in-process lock table of {@link #lockForMaintenance(String, String)}'s default; PostgreSQL
   * takes a shared session-level advisory lock.
   *
   * @param collection the collection, which must exist
   * @param operation what runs, shown to refused callers (e.g. {@code reembed job 7 of docs}); not
   *     blank
   * @return the held lock; close it to release
   * @throws dev.portfolio.core.error.PortfolioException CONFLICT when an exclusive holder has it;
   *     NOT_FOUND for an unknown collection
   * @since 0.1.0
   */
  default MaintenanceLock lockShared(String collection, String operation) {
    findCollection(collection)
        .orElseThrow(
            () -> dev.portfolio.core.validation.StoreErrors.collectionNotFound(collection));
    return dev.portfolio.core.lock.InProcessLocks.of(this).acquireShared(collection, operation);
  }

  /**
   * Returns who holds a collection's maintenance lock.
   *
   * @param collection the collection
   * @return the holder, or empty when the lock is free
   * @since 0.1.0
   */
  default Optional<dev.portfolio.core.model.LockHolder> maintenanceLockHolder(String collection) {
    dev.portfolio.core.validation.Inputs.collectionName(collection);
    return dev.portfolio.core.lock.InProcessLocks.of(this).holder(collection);
  }

  /**
   * Returns one page of a collection's {@link DocumentStatus#FAILED} documents with the kind of
   * their last failure, in ascending id order. The query's sources and workspace narrow the page;
   * its statuses are ignored.
   *
   * @param query the collection, filter, cursor and page size
   * @return the page
   * @since 0.1.0
   */
  default Page<dev.portfolio.core.model.FailedDocument> listFailedDocuments(DocumentQuery query) {
    throw unsupported("listFailedDocuments");
  }

  /**
   * Records a failure: status {@link DocumentStatus#FAILED}, the error, and its kind. {@link
   * dev.portfolio.core.model.FailureKind#RETRIABLE} and {@link
   * dev.portfolio.core.model.FailureKind#REJECTED} count an attempt (the attempt count grows by
   * one); {@link dev.portfolio.core.model.FailureKind#PERMANENT} is a verdict on the attempts made
   * and counts none. {@link #updateStatus} with {@code FAILED} records a failure without a kind,
   * which reads as {@code REJECTED}.
   *
   * @param collection the collection
   * @param key the document key
   * @param kind the kind, not null
   * @param error the reason, not null; NUL characters are replaced by U+FFFD
   * @return true when the document exists
   * @since 0.1.0
   */
  default boolean recordFailure(
      String collection, String key, dev.portfolio.core.model.FailureKind kind, String error) {
    throw unsupported("recordFailure");
  }

  /**
   * Deletes for good up to {@code limit} soft-deleted documents of a collection, oldest deletion
   * first, with their chunks and their vectors in every set, in one transaction. Call it until it
   * returns no document to purge them all in bounded batches.
   *
   * @param collection the collection
   * @param deletedBefore purge only documents soft-deleted before this instant; null for all
   * @param limit the most documents, 1 to 10,000
   * @return what was removed
   * @since 0.1.0
   */
  default dev.portfolio.core.model.PurgeResult purgeDeleted(
      String collection, java.time.Instant deletedBefore, int limit) {
    throw unsupported("purgeDeleted");
  }

  /**
   * Counts what {@link #purgeDeleted} would remove in all, changing nothing.
   *
   * @param collection the collection
   * @param deletedBefore count only documents soft-deleted before this instant; null for all
   * @return the documents, chunks and vectors a purge would remove
   * @since 0.1.0
   */
  default dev.portfolio.core.model.PurgeResult countDeleted(
      String collection, java.time.Instant deletedBefore) {
    throw unsupported("countDeleted");
  }

  /**
   * Counts the store's orphaned rows of every kind, in every collection.
   *
   * @return a count for each {@link dev.portfolio.core.model.OrphanKind}, in enum order
   * @since 0.1.0
   */
  default Map<dev.portfolio.core.model.OrphanKind, Long> countOrphans() {
    throw unsupported("countOrphans");
  }

  /**
   * Deletes up to {@code limit} orphaned rows of one kind, in one transaction. Call it until it
   * returns 0 to delete them all in bounded batches. Vectors of retired sets are never touched.
   *
   * @param kind the kind
   * @param limit the most rows, 1 to 10,000
   * @return the rows deleted (for orphaned chunks, the chunks; their vectors go with them)
   * @since 0.1.0
   */
  default long deleteOrphans(dev.portfolio.core.model.OrphanKind kind, int limit) {
    throw unsupported("deleteOrphans");
  }

  /**
   * Reclaims the space of deleted rows and refreshes the planner's statistics of some tables, after
   * large deletes. The default reports {@link
   * dev.portfolio.core.model.VacuumOutcome.Status#NOT_NEEDED} for each: a store without dead rows
   * has nothing to do. A table the store may not vacuum is reported {@link
   * dev.portfolio.core.model.VacuumOutcome.Status#SKIPPED} with the reason, never as a failure.
   *
   * @param tables the tables; empty is a no-op
   * @return one outcome per table, in enum order
   * @since 0.1.0
   */
  default List<dev.portfolio.core.model.VacuumOutcome> vacuum(
      Set<dev.portfolio.core.model.StoreTable> tables) {
    return tables.stream()
        .sorted()
        .map(
            t ->
                new dev.portfolio.core.model.VacuumOutcome(
                    t,
                    dev.portfolio.core.model.VacuumOutcome.Status.NOT_NEEDED,
                    getClass().getSimpleName() + " keeps no dead rows",
                    java.time.Duration.ZERO))
        .toList();
  }

  private dev.portfolio.core.error.NonRetriableException unsupported(String method) {
    return new dev.portfolio.core.error.NonRetriableException(
        dev.portfolio.core.error.ErrorCode.UNSUPPORTED,
        getClass().getSimpleName()
            + " does not implement "
            + method
            + ", which retryFailed, the cleanup operations and health repairs need. Implement it (the contract"
            + " kit VectorStoreContract covers it), or use the in-memory or pgvector store.");
  }

  // ------------------------------------------------------------------------------ change detection

  /**
   * Looks up the stored fingerprints of documents in one step, soft-deleted ones included: what an
   * ingestion needs to skip unchanged documents. The default calls {@link #findDocument} once per
   * key; stores override it with one bulk read.
   *
   * @param collection the collection
   * @param keys the document keys, not null, no null element; at most {@value
   *     ChunkQuery#MAX_LIMIT}; duplicates are looked up once
   * @return the stored documents by key; keys that are not stored are absent
   * @since 0.1.0
   */
  default Map<String, dev.portfolio.core.model.DocumentFingerprint> fingerprints(
      String collection, java.util.Collection<String> keys) {
    dev.portfolio.core.validation.Inputs.collectionName(collection);
    dev.portfolio.core.validation.Inputs.requireNoNullElements(
        "keys",
        new java.util.ArrayList<>(
            dev.portfolio.core.validation.Inputs.requireNonNull("keys", keys)));
    dev.portfolio.core.validation.Inputs.between("keys.size", keys.size(), 0, ChunkQuery.MAX_LIMIT);
    Map<String, dev.portfolio.core.model.DocumentFingerprint> found = new HashMap<>();
    for (String key : keys) {
      findDocument(collection, key)
          .ifPresent(
              d ->
                  found.put(
                      key,
                      new dev.portfolio.core.model.DocumentFingerprint(
                          d.key(), d.sourceId(), d.status(), d.fingerprint())));
    }
    return found;
  }

  /**
   * Returns the vectors of documents' chunks in the active set that can be reused for the same
   * text: per document, the chunk content hash and the vector computed from exactly that text by
   * the active set's model. Stale vectors (computed from other text) and vectors of another model
   * are left out. The default calls {@link #chunks} once per key; stores override it with one bulk
   * read.
   *
   * @param collection the collection
   * @param keys the document keys, not null, no null element; at most {@value ChunkQuery#MAX_LIMIT}
   * @return by document key, the vectors by content hash; documents without any reusable vector are
   *     absent
   * @since 0.1.0
   */
  default Map<String, Map<String, dev.portfolio.core.model.Embedding>> reusableVectors(
      String collection, java.util.Collection<String> keys) {
    dev.portfolio.core.validation.Inputs.collectionName(collection);
    dev.portfolio.core.validation.Inputs.requireNoNullElements(
        "keys",
        new java.util.ArrayList<>(
            dev.portfolio.core.validation.Inputs.requireNonNull("keys", keys)));
    dev.portfolio.core.validation.Inputs.between("keys.size", keys.size(), 0, ChunkQuery.MAX_LIMIT);
    String model = activeSet(collection).model();
    Map<String, Map<String, dev.portfolio.core.model.Embedding>> found = new HashMap<>();
    for (String key : keys) {
      for (Chunk c : chunks(collection, key)) {
        if (c.hasEmbedding() && !c.isStale() && model.equals(c.embeddingModel())) {
          found.computeIfAbsent(key, k -> new HashMap<>()).put(c.contentHash(), c.embedding());
        }
      }
    }
    return found;
  }

  /**
   * Appends entries to documents' histories. History outlives the document: deleting a document
   * keeps its entries; dropping the collection drops them. The default throws {@code UNSUPPORTED}.
   *
   * @param collection the collection
   * @param changes the entries, not null; empty is a no-op
   * @throws dev.portfolio.core.error.PortfolioException with code {@link
   *     dev.portfolio.core.error.ErrorCode#UNSUPPORTED} when the store keeps no history
   * @since 0.1.0
   */
  default void recordChanges(
      String collection, List<dev.portfolio.core.model.DocumentChange> changes) {
    throw historyUnsupported();
  }

  /**
   * Returns a document's history, oldest first, ties in the order recorded.
   *
   * @param collection the collection
   * @param key the document key
   * @return the entries; empty when none were recorded
   * @throws dev.portfolio.core.error.PortfolioException with code {@link
   *     dev.portfolio.core.error.ErrorCode#UNSUPPORTED} when the store keeps no history
   * @since 0.1.0
   */
  default List<dev.portfolio.core.model.DocumentChange> history(String collection, String key) {
    throw historyUnsupported();
  }

  private dev.portfolio.core.error.PortfolioException historyUnsupported() {
    return new dev.portfolio.core.error.NonRetriableException(
        dev.portfolio.core.error.ErrorCode.UNSUPPORTED,
        "This store ("
            + getClass().getSimpleName()
            + ") keeps no document history; use the pgvector or in-memory store.");
  }

  /**
   * Finishes drops of embedding sets that a crash interrupted. A process killed after {@link
   * #dropSet} removed a set but before the store released its storage leaves storage that no set
   * owns (on PostgreSQL, the set's partition, dropped in statements of its own after the set's row
   * so that searches are never blocked). This releases every such leftover of the store; it is safe
   * at any time, and {@code Maintenance} calls it whenever it drops sets.
   *
   * <p>The default does nothing and returns 0: a store whose {@link #dropSet} is atomic leaves
   * nothing behind.
   *
   * @return how many leftovers were released
   * @since 0.1.0
   */
  default int finishInterruptedDrops() {
    return 0;
  }

  /** Releases resources (pools, threads). The default does nothing. */
  @Override
  default void close() {}
}
