package dev.portfolio.examples.bench;

import dev.portfolio.core.model.ChunkInput;
import dev.portfolio.core.model.CollectionSpec;
import dev.portfolio.core.model.DocumentInput;
import dev.portfolio.core.model.UpsertResult;
import dev.portfolio.core.spi.VectorStore;
import java.util.ArrayList;
import java.util.List;

/**
 * The collection the re-embed benchmarks work on: documents of 10 chunks of ~150 characters, with
 * no vector, loaded by {@code upsert} in batches so that the loader's memory stays small.
 */
final class ReembedBenchCorpus {
  static final int CHUNKS_PER_DOCUMENT = 10;
  private static final int DOCUMENTS_PER_UPSERT = 200;
  private static final String[] WORDS = {
    "index", "vector", "model", "switch", "chunk", "embedding", "search", "postgres", "recall",
    "latency", "batch", "keyset", "stale", "missing", "resume", "crash", "partition", "heap"
  };

  private ReembedBenchCorpus() {}

  /**
   * Creates the collection and loads {@code chunks} chunks (rounded up to whole documents).
   *
   * @return seconds taken
   */
  static double load(
      VectorStore store, String collection, String model, int dimension, int chunks) {
    store.createCollection(CollectionSpec.of(collection, model, dimension));
    int documents = (chunks + CHUNKS_PER_DOCUMENT - 1) / CHUNKS_PER_DOCUMENT;
    long start = System.nanoTime();
    for (int from = 0; from < documents; from += DOCUMENTS_PER_UPSERT) {
      int to = Math.min(documents, from + DOCUMENTS_PER_UPSERT);
      List<DocumentInput> docs = new ArrayList<>(to - from);
      for (int d = from; d < to; d++) {
        DocumentInput.Builder b = DocumentInput.builder("doc-" + d).sourceId("src-" + d % 100);
        for (int i = 0; i < CHUNKS_PER_DOCUMENT; i++) {
          b.chunk(ChunkInput.of(i, text(d, i)));
        }
        docs.add(b.build());
      }
      UpsertResult r = store.upsert(collection, docs);
      if (r.failed() > 0) {
        throw new IllegalStateException("Benchmark documents were not all written: " + r);
      }
      if (from > 0 && from % 20_000 == 0) {
        System.out.printf("  loaded %,d chunks%n", (long) from * CHUNKS_PER_DOCUMENT);
      }
    }
    return BenchDb.since(start);
  }

  private static String text(int d, int i) {
    StringBuilder sb = new StringBuilder(160);
    sb.append("Chunk ").append(i).append(" of document ").append(d).append(':');
    int h = d * 31 + i * 7;
    for (int w = 0; sb.length() < 150; w++) {
      sb.append(' ').append(WORDS[Math.floorMod(h + w * w * 13, WORDS.length)]);
    }
    return sb.toString();
  }
}
