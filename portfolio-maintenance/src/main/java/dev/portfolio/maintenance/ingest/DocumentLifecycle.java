package dev.portfolio.maintenance.ingest;

import dev.portfolio.core.model.Document;
import dev.portfolio.core.model.DocumentChange;
import dev.portfolio.core.model.DocumentQuery;
import dev.portfolio.core.model.DocumentStatus;
import dev.portfolio.core.model.Page;
import dev.portfolio.core.model.SearchFilter;
import dev.portfolio.core.spi.StoreCapability;
import dev.portfolio.core.spi.VectorStore;
import dev.portfolio.core.validation.Inputs;
import dev.portfolio.maintenance.Maintenance;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * One collection's documents, one at a time or a page at a time: add, update, remove (soft),
 * restore, purge, exists, get, list with a filter and keyset paging, and each document's history of
 * fingerprints. Writes go through {@link Maintenance#ingest}, so they chunk, reuse vectors and
 * record history like any ingestion. Obtain one with {@link Maintenance#documents(String)}.
 * Thread-safe.
 *
 * @since 0.1.0
 */
public final class DocumentLifecycle {
  private final Maintenance maintenance;
  private final VectorStore store;
  private final String collection;

  /**
   * Creates the view of a collection's documents.
   *
   * @param maintenance the facade, not null
   * @param collection the collection
   */
  public DocumentLifecycle(Maintenance maintenance, String collection) {
    this.maintenance = Inputs.requireNonNull("maintenance", maintenance);
    this.store = maintenance.store();
    this.collection = Inputs.collectionName(collection);
  }

  /**
   * Returns the collection.
   *
   * @return the name
   */
  public String collection() {
    return collection;
  }

  /**
   * Adds new documents; a key that is stored already fails (mode {@link IngestMode#ADD_ONLY}).
   *
   * @param documents the documents
   * @return what was done
   */
  public IngestResult add(List<IngestDocument> documents) {
    return maintenance.ingest(
        collection, documents, IngestOptions.builder().mode(IngestMode.ADD_ONLY).build());
  }

  /**
   * Updates stored documents; a key that is not stored fails (mode {@link IngestMode#UPDATE_ONLY}).
   * Unchanged documents cost nothing.
   *
   * @param documents the documents
   * @return what was done
   */
  public IngestResult update(List<IngestDocument> documents) {
    return maintenance.ingest(
        collection, documents, IngestOptions.builder().mode(IngestMode.UPDATE_ONLY).build());
  }

  /**
   * Adds or updates documents (mode {@link IngestMode#UPSERT}).
   *
   * @param documents the documents
   * @return what was done
   */
  public IngestResult upsert(List<IngestDocument> documents) {
    return maintenance.ingest(collection, documents, IngestOptions.defaults());
  }

  /**
   * Removes a document softly: hidden from search at once, restorable until purged. Recorded in its
   * history.
   *
   * @param key the document key
   * @return true when a live document was removed
   */
  public boolean remove(String key) {
    Optional<Document> before = store.findDocument(collection, key);
    boolean removed = store.softDelete(collection, key);
    if (removed) {
      record(key, DocumentChange.Kind.REMOVED, before.map(Document::fingerprint).orElse(null));
    }
    return removed;
  }

  /**
   * Brings a removed document back, with its chunks and vectors. Recorded in its history.
   *
   * @param key the document key
   * @return true when a removed document was restored
   */
  public boolean restore(String key) {
    boolean restored = store.restore(collection, key);
    if (restored) {
      record(
          key,
          DocumentChange.Kind.RESTORED,
          store.findDocument(collection, key).map(Document::fingerprint).orElse(null));
    }
    return restored;
  }

  /**
   * Deletes a document with its chunks and vectors for good (removed or not). Its history stays.
   *
   * @param key the document key
   * @return true when it existed
   */
  public boolean purge(String key) {
    Optional<Document> before = store.findDocument(collection, key);
    boolean existed = store.deleteDocument(collection, key).documents() > 0;
    if (existed && before.get().status() != DocumentStatus.DELETED) {
      record(key, DocumentChange.Kind.REMOVED, before.get().fingerprint());
    }
    return existed;
  }

  /**
   * Tells whether a document is stored and not removed.
   *
   * @param key the document key
   * @return true for a live document
   */
  public boolean exists(String key) {
    return store
        .findDocument(collection, key)
        .filter(d -> d.status() != DocumentStatus.DELETED)
        .isPresent();
  }

  /**
   * Finds a document, a removed one included.
   *
   * @param key the document key
   * @return the document, or empty
   */
  public Optional<Document> get(String key) {
    return store.findDocument(collection, key);
  }

  /**
   * Returns one page of documents matching a filter, in ascending id order.
   *
   * @param filter which documents (removed ones only with {@link
   *     SearchFilter.Builder#includeDeleted()}), or null for every live one
   * @param afterId the previous page's {@link Page#nextAfter()}, or 0 to start
   * @param limit the page size, 1 to 10,000
   * @return the page
   */
  public Page<Document> list(SearchFilter filter, long afterId, int limit) {
    return store.listDocuments(new DocumentQuery(collection, filter, afterId, limit));
  }

  /**
   * Streams every document matching a filter, a page of 500 at a time; close it when done early.
   *
   * @param filter which documents, or null for every live one
   * @return a lazy stream in ascending id order
   */
  public Stream<Document> stream(SearchFilter filter) {
    Iterator<Document> pages =
        new Iterator<>() {
          private DocumentQuery next = new DocumentQuery(collection, filter, 0, 500);
          private Iterator<Document> current = java.util.Collections.emptyIterator();

          @Override
          public boolean hasNext() {
            while (!current.hasNext() && next != null) {
              Page<Document> page = store.listDocuments(next);
              current = page.items().iterator();
              next = page.hasNext() ? next.after(page.nextAfter().getAsLong()) : null;
            }
            return current.hasNext();
          }

          @Override
          public Document next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            return current.next();
          }
        };
    return StreamSupport.stream(
        Spliterators.spliteratorUnknownSize(pages, Spliterator.ORDERED | Spliterator.NONNULL),
        false);
  }

  /**
   * Returns a document's history of fingerprints, oldest first: when it was added, changed, removed
   * or restored, and by which job.
   *
   * @param key the document key
   * @return the entries; empty when none were recorded or the store keeps no history
   */
  public List<DocumentChange> history(String key) {
    if (!store.supports(StoreCapability.DOCUMENT_HISTORY)) {
      return List.of();
    }
    return store.history(collection, key);
  }

  private void record(String key, DocumentChange.Kind kind, String fingerprint) {
    if (store.supports(StoreCapability.DOCUMENT_HISTORY)) {
      store.recordChanges(
          collection, List.of(new DocumentChange(key, kind, fingerprint, null, Instant.now())));
    }
  }
}
