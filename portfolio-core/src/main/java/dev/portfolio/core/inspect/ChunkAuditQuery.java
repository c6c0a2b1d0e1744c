package dev.portfolio.core.inspect;

import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.validation.Inputs;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What {@link dev.portfolio.core.spi.VectorStore#auditChunks} examines in one collection: the
 * chunks of documents that are not soft-deleted (all of them, or a sample chosen by chunk id as
 * {@link VectorScanQuery#sampled} chooses it), and the metadata of every such document.
 *
 * @param collection the collection
 * @param sampleRate the share of chunks examined, in (0, 1]; 1 examines every chunk
 * @param maxTokens chunks with more tokens than this are counted as over the embedder's input
 *     limit; 0 skips that count
 * @param requiredMetadataKeys document metadata keys every live document must have; empty skips
 *     that count
 * @param maxSamples chunk ids or document keys listed per finding, 0 to 1,000
 * @since 0.1.0
 */
public record ChunkAuditQuery(
    String collection,
    double sampleRate,
    int maxTokens,
    Set<String> requiredMetadataKeys,
    int maxSamples) {
  /** Validates the components and copies the keys (sorted). */
  public ChunkAuditQuery {
    Inputs.collectionName(collection);
    if (!(sampleRate > 0 && sampleRate <= 1)) {
      throw new InvalidInputException(
          "sampleRate",
          "sampleRate must be in (0, 1], 1 meaning every chunk (was " + sampleRate + ")");
    }
    if (maxTokens < 0) {
      throw new InvalidInputException(
          "maxTokens", "maxTokens must be >= 0, 0 meaning no limit (was " + maxTokens + ")");
    }
    Inputs.requireNonNull("requiredMetadataKeys", requiredMetadataKeys);
    for (String key : requiredMetadataKeys) {
      Inputs.requireKey("requiredMetadataKeys", key);
    }
    requiredMetadataKeys =
        java.util.Collections.unmodifiableSet(new TreeSet<>(requiredMetadataKeys));
    Inputs.between("maxSamples", maxSamples, 0, 1000);
  }

  /**
   * Creates a full audit of a collection's chunks without token limit or required keys.
   *
   * @param collection the collection
   * @return the query
   */
  public static ChunkAuditQuery of(String collection) {
    return new ChunkAuditQuery(collection, 1.0, 0, Set.of(), 10);
  }

  /**
   * Returns the required keys as a list, in ascending order.
   *
   * @return the keys
   */
  public List<String> requiredKeys() {
    return List.copyOf(requiredMetadataKeys);
  }
}
