package dev.portfolio.maintenance.testing;

import dev.portfolio.core.model.Chunk;
import dev.portfolio.core.model.ChunkInput;
import dev.portfolio.core.model.ChunkQuery;
import dev.portfolio.core.model.DocumentInput;
import dev.portfolio.core.model.EmbeddingState;
import dev.portfolio.core.spi.VectorStore;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Test documents and checks on what a store holds. */
public final class Corpus {
  private static final String[] WORDS = {
    "index",
    "vector",
    "model",
    "switch",
    "chunk",
    "embedding",
    "search",
    "postgres",
    "recall",
    "latency",
    "batch",
    "keyset",
    "stale",
    "missing",
    "resume",
    "crash"
  };

  private Corpus() {}

  /**
   * Builds documents whose chunks have no vector. Document {@code d} has source {@code src-(d % 3)}
   * and workspace {@code ws-a} (even d) or {@code ws-b} (odd d). Chunk texts are distinct; chunks
   * of even documents carry a token count (their word count), those of odd documents 0.
   *
   * @param prefix the key prefix
   * @param documents how many documents
   * @param chunksPerDocument chunks per document
   * @return the documents
   */
  public static List<DocumentInput> documents(String prefix, int documents, int chunksPerDocument) {
    List<DocumentInput> docs = new ArrayList<>();
    for (int d = 0; d < documents; d++) {
      DocumentInput.Builder b =
          DocumentInput.builder(prefix + d)
              .sourceId("src-" + (d % 3))
              .workspace(d % 2 == 0 ? "ws-a" : "ws-b");
      for (int c = 0; c < chunksPerDocument; c++) {
        String text = text(prefix + d, c);
        b.chunk(new ChunkInput(c, text, d % 2 == 0 ? text.split(" ").length : 0, null, null, null));
      }
      docs.add(b.build());
    }
    return docs;
  }

  /**
   * Returns the text of a chunk made by {@link #documents}.
   *
   * @param key the document key
   * @param ordinal the chunk's ordinal
   * @return the text
   */
  public static String text(String key, int ordinal) {
    int h = Math.floorMod((key + "/" + ordinal).hashCode(), WORDS.length);
    return "chunk "
        + ordinal
        + " of "
        + key
        + " about "
        + WORDS[h]
        + " and "
        + WORDS[(h + ordinal + 3) % WORDS.length];
  }

  /**
   * Builds a document whose chunks all have the same text.
   *
   * @param key the key
   * @param chunks how many chunks
   * @param text the text
   * @return the document
   */
  public static DocumentInput repeated(String key, int chunks, String text) {
    DocumentInput.Builder b = DocumentInput.builder(key);
    for (int c = 0; c < chunks; c++) {
      b.chunk(ChunkInput.of(c, text));
    }
    return b.build();
  }

  /**
   * Reads every chunk of a collection as a set sees it.
   *
   * @param store the store
   * @param collection the collection
   * @param setId the set, 0 for the active one
   * @return the chunks in id order
   */
  public static List<Chunk> chunks(VectorStore store, String collection, long setId) {
    try (Stream<Chunk> s =
        store.streamChunks(
            ChunkQuery.of(collection, 1000).inSet(setId).withEmbeddingState(EmbeddingState.ANY))) {
      return s.toList();
    }
  }
}
