package dev.portfolio.core.inspect;

import java.util.List;

/**
 * What {@link dev.portfolio.core.spi.VectorStore#auditChunks} found in a collection's chunks and
 * documents. Counts cover the examined chunks (all, or the sample) of documents that are not
 * soft-deleted; sample lists are the first ids found, ascending.
 *
 * @param examinedChunks chunks examined
 * @param hashMismatches chunks whose stored content hash is not the SHA-256 of their stored text
 *     (the text was changed behind the store's back)
 * @param hashMismatchIds sample chunk ids of those
 * @param keywordsChecked whether the store could tell which chunks miss their keyword entry; false
 *     when it keeps no keyword index it can examine (then the two keyword components are 0 and
 *     empty, never a made-up pass)
 * @param missingKeywords chunks whose text has words but whose keyword entry (on PostgreSQL the
 *     {@code tsvector}) is empty, so keyword search cannot find them
 * @param missingKeywordIds sample chunk ids of those
 * @param overTokenLimit chunks with more tokens than the query's {@code maxTokens}: the embedder
 *     saw only their beginning
 * @param overTokenLimitIds sample chunk ids of those
 * @param examinedDocuments documents examined for metadata (every document that is not
 *     soft-deleted; 0 when no key was required)
 * @param documentsMissingMetadata documents that lack at least one required metadata key
 * @param documentsMissingMetadataKeys sample document keys of those
 * @since 0.1.0
 */
public record ChunkAudit(
    long examinedChunks,
    long hashMismatches,
    List<Long> hashMismatchIds,
    boolean keywordsChecked,
    long missingKeywords,
    List<Long> missingKeywordIds,
    long overTokenLimit,
    List<Long> overTokenLimitIds,
    long examinedDocuments,
    long documentsMissingMetadata,
    List<String> documentsMissingMetadataKeys) {
  /** Copies the lists. */
  public ChunkAudit {
    hashMismatchIds = List.copyOf(hashMismatchIds);
    missingKeywordIds = List.copyOf(missingKeywordIds);
    overTokenLimitIds = List.copyOf(overTokenLimitIds);
    documentsMissingMetadataKeys = List.copyOf(documentsMissingMetadataKeys);
  }
}
