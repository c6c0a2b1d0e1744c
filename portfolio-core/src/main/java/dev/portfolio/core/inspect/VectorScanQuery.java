package dev.portfolio.core.inspect;

import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.validation.Inputs;

/**
 * One keyset page of a scan over an embedding set's vectors, in ascending chunk id order, for
 * {@link dev.portfolio.core.spi.VectorStore#scanVectors}.
 *
 * @param collection the collection
 * @param setId the set, or 0 for the active set
 * @param afterChunkId examine vectors of chunks with a greater id (0 to start)
 * @param limit the most vectors one page examines, 1 to 10,000
 * @param sampleRate the share of vectors examined, in (0, 1]: 1 examines every vector; below 1 a
 *     vector is examined when {@link #sampled(long, double)} selects its chunk id, so the same
 *     vectors are chosen in every run and every store
 * @since 0.1.0
 */
public record VectorScanQuery(
    String collection, long setId, long afterChunkId, int limit, double sampleRate) {
  /** Largest accepted page size. */
  public static final int MAX_LIMIT = 10_000;

  /** The modulus of the sampling hash: 2^31. */
  public static final long SAMPLE_MODULUS = 1L << 31;

  /** Validates the components. */
  public VectorScanQuery {
    Inputs.collectionName(collection);
    if (setId < 0) {
      throw new InvalidInputException(
          "setId", "setId must be >= 0, 0 meaning the active set (was " + setId + ")");
    }
    if (afterChunkId < 0) {
      throw new InvalidInputException(
          "afterChunkId", "afterChunkId must be >= 0 (was " + afterChunkId + ")");
    }
    Inputs.between("limit", limit, 1, MAX_LIMIT);
    if (!(sampleRate > 0 && sampleRate <= 1)) {
      throw new InvalidInputException(
          "sampleRate",
          "sampleRate must be in (0, 1], 1 meaning every vector (was " + sampleRate + ")");
    }
  }

  /**
   * Creates the first page of a full scan.
   *
   * @param collection the collection
   * @param setId the set, or 0 for the active set
   * @param limit the page size
   * @return the query
   */
  public static VectorScanQuery of(String collection, long setId, int limit) {
    return new VectorScanQuery(collection, setId, 0, limit, 1.0);
  }

  /**
   * Returns the query for the page after a chunk id.
   *
   * @param chunkId the cursor of the previous page
   * @return the new query
   */
  public VectorScanQuery after(long chunkId) {
    return new VectorScanQuery(collection, setId, chunkId, limit, sampleRate);
  }

  /**
   * Returns a copy that examines a share of the vectors.
   *
   * @param rate in (0, 1]
   * @return the new query
   */
  public VectorScanQuery withSampleRate(double rate) {
    return new VectorScanQuery(collection, setId, afterChunkId, limit, rate);
  }

  /**
   * Returns the threshold of the sampling hash: a chunk is sampled when {@link #sampleHash(long)}
   * is below it.
   *
   * @param rate in (0, 1]
   * @return {@code ceil(rate * 2^31)}
   */
  public static long sampleThreshold(double rate) {
    return (long) Math.ceil(rate * SAMPLE_MODULUS);
  }

  /**
   * Hashes a chunk id into [0, 2^31): {@code ((id mod 2^31) * 1103515245 + 12345) mod 2^31}, the
   * same arithmetic a database evaluates in 64-bit integers.
   *
   * @param chunkId the chunk id, >= 0
   * @return the hash
   */
  public static long sampleHash(long chunkId) {
    return ((chunkId % SAMPLE_MODULUS) * 1_103_515_245L + 12_345L) % SAMPLE_MODULUS;
  }

  /**
   * Tells whether a scan with a sample rate examines a chunk's vector.
   *
   * @param chunkId the chunk id
   * @param rate the sample rate in (0, 1]
   * @return true when examined
   */
  public static boolean sampled(long chunkId, double rate) {
    return rate >= 1 || sampleHash(chunkId) < sampleThreshold(rate);
  }
}
