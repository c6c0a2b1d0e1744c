package dev.portfolio.core.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.NonRetriableException;
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
import dev.portfolio.core.model.EmbeddingSet;
import dev.portfolio.core.model.EmbeddingUpdate;
import dev.portfolio.core.model.KeywordQuery;
import dev.portfolio.core.model.Page;
import dev.portfolio.core.model.SearchHit;
import dev.portfolio.core.model.UpsertResult;
import dev.portfolio.core.model.VectorQuery;
import dev.portfolio.core.spi.StoreCapability;
import dev.portfolio.core.spi.VectorStore;
import dev.portfolio.core.testkit.VectorStoreContract;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Runs the contract against a store without keyword search, so the kit's "unsupported" branches are
 * exercised too: they must expect the {@link ErrorCode#UNSUPPORTED} error.
 */
class KeywordlessStoreContractTest extends VectorStoreContract {
  @Override
  protected VectorStore createStore() {
    return new Keywordless(new InMemoryVectorStore());
  }

  @Test
  void theStoreUnderTestLacksKeywordSearch() {
    assertThat(supports(StoreCapability.KEYWORD_SEARCH)).isFalse();
    assertThat(store().capabilities()).isEmpty();
  }

  /** Delegates everything but keyword search, which it does not support. */
  private static final class Keywordless implements VectorStore {
    private final VectorStore delegate;

    Keywordless(VectorStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public Set<StoreCapability> capabilities() {
      return Set.of();
    }

    @Override
    public List<SearchHit> keywordSearch(KeywordQuery query) {
      throw new NonRetriableException(
          ErrorCode.UNSUPPORTED, "This store has no keyword search (KEYWORD_SEARCH capability).");
    }

    @Override
    public CollectionInfo createCollection(CollectionSpec spec) {
      return delegate.createCollection(spec);
    }

    @Override
    public Optional<CollectionInfo> findCollection(String name) {
      return delegate.findCollection(name);
    }

    @Override
    public List<CollectionInfo> listCollections() {
      return delegate.listCollections();
    }

    @Override
    public boolean dropCollection(String name) {
      return delegate.dropCollection(name);
    }

    @Override
    public CollectionInfo replaceCollection(String target, String replacement) {
      return delegate.replaceCollection(target, replacement);
    }

    @Override
    public UpsertResult upsert(String collection, List<DocumentInput> documents) {
      return delegate.upsert(collection, documents);
    }

    @Override
    public Optional<Document> findDocument(String collection, String key) {
      return delegate.findDocument(collection, key);
    }

    @Override
    public List<Chunk> chunks(String collection, String key) {
      return delegate.chunks(collection, key);
    }

    @Override
    public Page<Document> listDocuments(DocumentQuery query) {
      return delegate.listDocuments(query);
    }

    @Override
    public Page<Chunk> listChunks(ChunkQuery query) {
      return delegate.listChunks(query);
    }

    @Override
    public int updateEmbeddings(String collection, List<EmbeddingUpdate> updates) {
      return delegate.updateEmbeddings(collection, updates);
    }

    @Override
    public boolean updateStatus(
        String collection, String key, DocumentStatus status, String error) {
      return delegate.updateStatus(collection, key, status, error);
    }

    @Override
    public DeleteResult deleteDocument(String collection, String key) {
      return delegate.deleteDocument(collection, key);
    }

    @Override
    public DeleteResult deleteBySource(String collection, String sourceId) {
      return delegate.deleteBySource(collection, sourceId);
    }

    @Override
    public DeleteResult deleteBySource(String collection, String sourceId, int limit) {
      return delegate.deleteBySource(collection, sourceId, limit);
    }

    @Override
    public boolean softDelete(String collection, String key) {
      return delegate.softDelete(collection, key);
    }

    @Override
    public boolean restore(String collection, String key) {
      return delegate.restore(collection, key);
    }

    @Override
    public List<SearchHit> search(VectorQuery query) {
      return delegate.search(query);
    }

    @Override
    public CollectionStats stats(String collection, long setId) {
      return delegate.stats(collection, setId);
    }

    @Override
    public dev.portfolio.core.inspect.StoreSnapshot snapshot(String workspace) {
      return delegate.snapshot(workspace);
    }

    @Override
    public java.util.List<dev.portfolio.core.inspect.OperationLatency> latencies(
        java.time.Duration window) {
      return delegate.latencies(window);
    }

    @Override
    public OptionalLong storageBytes(String collection) {
      return delegate.storageBytes(collection);
    }

    @Override
    public List<EmbeddingSet> embeddingSets(String collection) {
      return delegate.embeddingSets(collection);
    }

    @Override
    public EmbeddingSet createBuildingSet(String collection, String model, int dimension) {
      return delegate.createBuildingSet(collection, model, dimension);
    }

    @Override
    public int writeVectors(String collection, long setId, List<EmbeddingUpdate> vectors) {
      return delegate.writeVectors(collection, setId, vectors);
    }

    @Override
    public EmbeddingSet activateSet(String collection, long setId) {
      return delegate.activateSet(collection, setId);
    }

    @Override
    public EmbeddingSet rollback(String collection) {
      return delegate.rollback(collection);
    }

    @Override
    public int deleteVectors(String collection, long setId, java.util.Collection<Long> chunkIds) {
      return delegate.deleteVectors(collection, setId, chunkIds);
    }

    @Override
    public boolean dropSet(String collection, long setId) {
      return delegate.dropSet(collection, setId);
    }

    @Override
    public dev.portfolio.core.spi.MaintenanceLock lockForMaintenance(
        String collection, String operation) {
      return delegate.lockForMaintenance(collection, operation);
    }

    @Override
    public dev.portfolio.core.spi.MaintenanceLock lockForMaintenance(
        java.util.Collection<String> collections, String operation) {
      return delegate.lockForMaintenance(collections, operation);
    }

    @Override
    public dev.portfolio.core.spi.MaintenanceLock lockShared(String collection, String operation) {
      return delegate.lockShared(collection, operation);
    }

    @Override
    public Optional<dev.portfolio.core.model.LockHolder> maintenanceLockHolder(String collection) {
      return delegate.maintenanceLockHolder(collection);
    }

    @Override
    public Page<dev.portfolio.core.model.FailedDocument> listFailedDocuments(DocumentQuery query) {
      return delegate.listFailedDocuments(query);
    }

    @Override
    public boolean recordFailure(
        String collection, String key, dev.portfolio.core.model.FailureKind kind, String error) {
      return delegate.recordFailure(collection, key, kind, error);
    }

    @Override
    public dev.portfolio.core.model.PurgeResult purgeDeleted(
        String collection, java.time.Instant deletedBefore, int limit) {
      return delegate.purgeDeleted(collection, deletedBefore, limit);
    }

    @Override
    public dev.portfolio.core.model.PurgeResult countDeleted(
        String collection, java.time.Instant deletedBefore) {
      return delegate.countDeleted(collection, deletedBefore);
    }

    @Override
    public java.util.Map<dev.portfolio.core.model.OrphanKind, Long> countOrphans() {
      return delegate.countOrphans();
    }

    @Override
    public long deleteOrphans(dev.portfolio.core.model.OrphanKind kind, int limit) {
      return delegate.deleteOrphans(kind, limit);
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
