package dev.portfolio.maintenance.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portfolio.core.hashing.HashingEmbedder;
import dev.portfolio.core.model.Chunk;
import dev.portfolio.core.model.CollectionSpec;
import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.spi.ProgressReporter;
import dev.portfolio.core.spi.VectorStore;
import dev.portfolio.maintenance.Maintenance;
import java.time.Duration;
import java.util.List;

/** Shared set-up of the maintenance tests. */
public final class Fixture {
  private Fixture() {}

  /**
   * Creates a collection for the hashing model at a dimension and fills it with documents whose
   * chunks have no vector.
   *
   * @param store the store
   * @param collection the collection
   * @param dimension the dimension
   * @param documents how many documents
   * @param chunksPerDocument chunks per document
   */
  public static void load(
      VectorStore store, String collection, int dimension, int documents, int chunksPerDocument) {
    store.createCollection(
        CollectionSpec.of(collection, new HashingEmbedder(dimension).info().modelRef(), dimension));
    assertThat(
            store
                .upsert(collection, Corpus.documents("doc-", documents, chunksPerDocument))
                .failures())
        .isEmpty();
  }

  /**
   * Builds a facade that retries without waiting.
   *
   * @param store the store
   * @param embedder the embedder, may be null
   * @param progress the reporter
   * @return the facade
   */
  public static Maintenance maintenance(
      VectorStore store, Embedder embedder, ProgressReporter progress) {
    return Maintenance.builder()
        .store(store)
        .embedder(embedder)
        .progress(progress)
        .retryMaxAttempts(10)
        .retryInitialBackoff(Duration.ZERO)
        .retryMaxBackoff(Duration.ZERO)
        .build();
  }

  /**
   * Checks that every chunk has exactly the vector the embedder gives its current text, recorded
   * with the embedder's model and the chunk's content hash, in a set.
   *
   * @param store the store
   * @param collection the collection
   * @param setId the set
   * @param embedder the embedder of the set's model
   */
  public static void assertEveryChunkEmbeddedBy(
      VectorStore store, String collection, long setId, Embedder embedder) {
    List<Chunk> chunks = Corpus.chunks(store, collection, setId);
    assertThat(chunks).isNotEmpty();
    List<String> texts = chunks.stream().map(Chunk::text).toList();
    var expected = embedder.embed(texts).embeddings();
    for (int i = 0; i < chunks.size(); i++) {
      Chunk c = chunks.get(i);
      assertThat(c.embedding()).as("vector of chunk %d", c.id()).isEqualTo(expected.get(i));
      assertThat(c.embeddingModel()).isEqualTo(embedder.info().modelRef());
      assertThat(c.embeddedTextHash()).isEqualTo(c.contentHash());
    }
  }
}
