package dev.portfolio.core.inspect;

import dev.portfolio.core.model.Chunk;
import dev.portfolio.core.model.ChunkQuery;
import dev.portfolio.core.model.Document;
import dev.portfolio.core.model.DocumentQuery;
import dev.portfolio.core.model.Page;
import dev.portfolio.core.spi.VectorStore;
import dev.portfolio.core.text.Fingerprints;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The audit of {@link VectorStore#auditChunks} through the common SPI: streams the chunks in keyset
 * pages and the documents page by page, so memory stays bounded by the page size and the samples.
 * Stores that can examine their data where it lives override {@code auditChunks} instead.
 *
 * @since 0.1.0
 */
public final class ChunkAudits {
  private static final int PAGE = 1000;

  private ChunkAudits() {}

  /**
   * Audits a collection through {@link VectorStore#streamChunks} and {@link
   * VectorStore#listDocuments}.
   *
   * @param store the store
   * @param query what to examine
   * @param missingKeywords tells whether a chunk misses its keyword entry, or null when the store
   *     cannot tell
   * @return the findings
   */
  public static ChunkAudit scan(
      VectorStore store, ChunkAuditQuery query, Predicate<Chunk> missingKeywords) {
    long examined = 0;
    long hash = 0;
    long keywords = 0;
    long over = 0;
    List<Long> hashIds = new ArrayList<>();
    List<Long> keywordIds = new ArrayList<>();
    List<Long> overIds = new ArrayList<>();
    try (Stream<Chunk> chunks = store.streamChunks(ChunkQuery.of(query.collection(), PAGE))) {
      for (Chunk c : (Iterable<Chunk>) chunks::iterator) {
        if (!VectorScanQuery.sampled(c.id(), query.sampleRate())) {
          continue;
        }
        examined++;
        if (!Fingerprints.sha256Hex(c.text()).equals(c.contentHash())) {
          hash++;
          sample(hashIds, c.id(), query.maxSamples());
        }
        if (missingKeywords != null && missingKeywords.test(c)) {
          keywords++;
          sample(keywordIds, c.id(), query.maxSamples());
        }
        if (query.maxTokens() > 0 && c.tokenCount() > query.maxTokens()) {
          over++;
          sample(overIds, c.id(), query.maxSamples());
        }
      }
    }
    long documents = 0;
    long incomplete = 0;
    List<String> keys = new ArrayList<>();
    if (!query.requiredMetadataKeys().isEmpty()) {
      DocumentQuery page = DocumentQuery.of(query.collection(), PAGE);
      while (page != null) {
        Page<Document> docs = store.listDocuments(page);
        for (Document d : docs.items()) {
          documents++;
          if (!d.metadata().keySet().containsAll(query.requiredMetadataKeys())) {
            incomplete++;
            sample(keys, d.key(), query.maxSamples());
          }
        }
        page = docs.hasNext() ? page.after(docs.nextAfter().getAsLong()) : null;
      }
    }
    return new ChunkAudit(
        examined,
        hash,
        hashIds,
        missingKeywords != null,
        keywords,
        keywordIds,
        over,
        overIds,
        documents,
        incomplete,
        keys);
  }

  private static <T> void sample(List<T> samples, T value, int max) {
    if (samples.size() < max) {
      samples.add(value);
    }
  }
}
