package dev.portfolio.maintenance.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portfolio.core.hashing.HashingEmbedder;
import dev.portfolio.core.model.Chunk;
import dev.portfolio.core.model.DocumentStatus;
import dev.portfolio.core.model.Embedding;
import dev.portfolio.core.model.EmbeddingSet;
import dev.portfolio.core.model.EmbeddingUpdate;
import dev.portfolio.core.spi.VectorStore;
import java.util.ArrayList;
import java.util.List;

/**
 * A collection in a known state for diagnostics, statistics and verification: 20 documents of 3
 * chunks (workspaces ws-a and ws-b, sources src-0 to src-2), vectors for all but the first
 * document's chunks, 2 stale vectors, 1 zero vector, 1 vector of another model, 2 failed documents,
 * 1 soft-deleted document, and a building set with vectors for 10 chunks.
 *
 * @param collection the collection
 * @param model the active set's model
 * @param buildingSet the building set
 * @param chunks every chunk, in id order, as the active set sees them after the load
 * @param staleIds the chunks with a stale vector
 * @param zeroId the chunk with a zero vector
 * @param foreignId the chunk with another model's vector
 */
public record Scene(
    String collection,
    String model,
    EmbeddingSet buildingSet,
    List<Chunk> chunks,
    List<Long> staleIds,
    long zeroId,
    long foreignId) {
  /** Dimension of the active set. */
  public static final int DIMENSION = 8;

  /** Model of the building set. */
  public static final String NEXT_MODEL = "hashing:next";

  /**
   * Loads the scene.
   *
   * @param store the store
   * @param collection the collection name
   * @return the scene
   */
  public static Scene load(VectorStore store, String collection) {
    HashingEmbedder embedder = new HashingEmbedder(DIMENSION);
    String model = embedder.info().modelRef();
    Fixture.load(store, collection, DIMENSION, 20, 3);
    List<Chunk> all = Corpus.chunks(store, collection, 0);
    assertThat(all).hasSize(60);
    List<EmbeddingUpdate> vectors = new ArrayList<>();
    List<Chunk> embedded = all.subList(3, all.size());
    List<Embedding> values =
        embedder.embed(embedded.stream().map(Chunk::text).toList()).embeddings();
    for (int i = 0; i < embedded.size(); i++) {
      Chunk c = embedded.get(i);
      vectors.add(new EmbeddingUpdate(c.id(), values.get(i), model, c.contentHash()));
    }
    store.writeVectors(collection, 0, vectors);
    List<Long> stale = List.of(all.get(10).id(), all.get(11).id());
    for (long id : stale) {
      store.writeVectors(
          collection,
          0,
          List.of(new EmbeddingUpdate(id, values.get(0), model, "hash-of-older-text")));
    }
    long zero = all.get(20).id();
    store.writeVectors(
        collection,
        0,
        List.of(
            new EmbeddingUpdate(
                zero, Embedding.of(new float[DIMENSION]), model, all.get(20).contentHash())));
    long foreign = all.get(30).id();
    store.updateEmbeddings(
        collection,
        List.of(
            new EmbeddingUpdate(foreign, values.get(1), "other:model", all.get(30).contentHash())));
    store.updateStatus(collection, "doc-5", DocumentStatus.FAILED, "timeout");
    store.updateStatus(collection, "doc-6", DocumentStatus.FAILED, "rejected");
    store.softDelete(collection, "doc-19");
    EmbeddingSet building = store.createBuildingSet(collection, NEXT_MODEL, 4);
    List<EmbeddingUpdate> next = new ArrayList<>();
    for (Chunk c : all.subList(0, 10)) {
      next.add(
          new EmbeddingUpdate(
              c.id(), Embedding.of(1, 2, 3, c.ordinal()), NEXT_MODEL, c.contentHash()));
    }
    store.writeVectors(collection, building.id(), next);
    return new Scene(collection, model, building, all, stale, zero, foreign);
  }

  /**
   * Returns the live chunks: those of documents not soft-deleted.
   *
   * @return 57
   */
  public long liveChunks() {
    return 57;
  }

  /**
   * Returns the live chunks with a vector in the active set.
   *
   * @return 54: all but the first document's 3, less the deleted document's 3
   */
  public long activeVectors() {
    return 54;
  }
}
