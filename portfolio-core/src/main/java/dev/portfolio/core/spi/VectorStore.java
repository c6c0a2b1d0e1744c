package dev.portfolio.core.spi;

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
    Map<Long, SearchHit> hits = new HashMap<>();
    Map<Long, Double> scores = new HashMap<>();
    for (List<SearchHit> list : List.of(byVector, byWords)) {
      for (int rank = 0; rank < list.size(); rank++) {
        SearchHit hit = list.get(rank);
        hits.putIfAbsent(hit.chunkId(), hit);
        scores.merge(hit.chunkId(), 1.0 / (query.rrfK() + rank + 1), Double::sum);
      }
    }
    return scores.entrySet().stream()
        .sorted(
            Map.Entry.<Long, Double>comparingByValue()
                .reversed()
                .thenComparing(Map.Entry.comparingByKey()))
        .limit(query.limit())
        .map(e -> hits.get(e.getKey()).withScore(e.getValue()))
        .toList();
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
