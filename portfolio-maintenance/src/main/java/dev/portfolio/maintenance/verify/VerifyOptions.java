package dev.portfolio.maintenance.verify;

import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.inspect.VectorScanQuery;
import dev.portfolio.core.validation.Inputs;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@link dev.portfolio.maintenance.Maintenance#verifyEmbeddings(VerifyOptions)} examines.
 *
 * @param collections the collections to verify; empty for every collection
 * @param includeRetired whether retired sets are verified too (active and building sets always are)
 * @param sampleRate the share of vectors examined, in (0, 1]; 1 is a full scan. A sample is chosen
 *     by chunk id, the same in every run, so runs can be compared
 * @param pageSize vectors examined per round trip, 1 to 10,000
 * @param maxSamples chunk ids listed per set and kind of problem, 0 to 1,000 (counts are always
 *     complete)
 * @param setIds the embedding sets to verify; empty for every set the other options select. A set
 *     named here is verified whatever its state; it must belong to a selected collection
 * @since 0.1.0
 */
public record VerifyOptions(
    List<String> collections,
    boolean includeRetired,
    double sampleRate,
    int pageSize,
    int maxSamples,
    List<Long> setIds) {
  /** The default page size: {@value}. */
  public static final int DEFAULT_PAGE_SIZE = 1000;

  /** The default number of sample ids per set and kind: {@value}. */
  public static final int DEFAULT_MAX_SAMPLES = 10;

  /** Validates the components, naming the first invalid one. */
  public VerifyOptions {
    collections = List.copyOf(Inputs.requireNoNullElements("collections", collections));
    setIds =
        List.copyOf(Inputs.requireNoNullElements("setIds", setIds == null ? List.of() : setIds));
    for (long id : setIds) {
      if (id < 1) {
        throw new InvalidInputException(
            "verify.setIds", "verify.setIds must hold set ids of 1 or more (was " + id + ")");
      }
    }
    for (String c : collections) {
      Inputs.collectionName(c);
    }
    if (!(sampleRate > 0 && sampleRate <= 1)) {
      throw new InvalidInputException(
          "verify.sampleRate",
          "verify.sampleRate must be in (0, 1], 1 meaning every vector (was " + sampleRate + ")");
    }
    Inputs.between("verify.pageSize", pageSize, 1, VectorScanQuery.MAX_LIMIT);
    Inputs.between("verify.maxSamples", maxSamples, 0, 1000);
  }

  /**
   * Creates options that verify every set the other options select.
   *
   * @param collections the collections to verify; empty for every collection
   * @param includeRetired whether retired sets are verified too
   * @param sampleRate the share of vectors examined, in (0, 1]
   * @param pageSize vectors examined per round trip, 1 to 10,000
   * @param maxSamples chunk ids listed per set and kind of problem, 0 to 1,000
   */
  public VerifyOptions(
      List<String> collections,
      boolean includeRetired,
      double sampleRate,
      int pageSize,
      int maxSamples) {
    this(collections, includeRetired, sampleRate, pageSize, maxSamples, List.of());
  }

  /**
   * Returns the defaults: every collection, active and building sets, a full scan.
   *
   * @return the options
   */
  public static VerifyOptions defaults() {
    return builder().build();
  }

  /**
   * Starts building options.
   *
   * @return a builder with the defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builds {@link VerifyOptions}. Not thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private final List<String> collections = new ArrayList<>();
    private final List<Long> setIds = new ArrayList<>();
    private boolean includeRetired;
    private double sampleRate = 1.0;
    private int pageSize = DEFAULT_PAGE_SIZE;
    private int maxSamples = DEFAULT_MAX_SAMPLES;

    private Builder() {}

    /**
     * Adds collections to verify (default: every collection).
     *
     * @param names collection names
     * @return this builder
     */
    public Builder collections(String... names) {
      collections.addAll(List.of(names));
      return this;
    }

    /**
     * Verifies retired sets too (default: false).
     *
     * @param value whether to
     * @return this builder
     */
    public Builder includeRetired(boolean value) {
      this.includeRetired = value;
      return this;
    }

    /**
     * Examines a share of the vectors (default: 1, every vector).
     *
     * @param value in (0, 1]
     * @return this builder
     */
    public Builder sampleRate(double value) {
      this.sampleRate = value;
      return this;
    }

    /**
     * Sets the vectors examined per round trip (default: {@value #DEFAULT_PAGE_SIZE}).
     *
     * @param value 1 to 10,000
     * @return this builder
     */
    public Builder pageSize(int value) {
      this.pageSize = value;
      return this;
    }

    /**
     * Sets how many chunk ids each finding lists (default: {@value #DEFAULT_MAX_SAMPLES}).
     *
     * @param value 0 to 1,000
     * @return this builder
     */
    public Builder maxSamples(int value) {
      this.maxSamples = value;
      return this;
    }

    /**
     * Adds embedding sets to verify (default: every active and building set, and retired ones with
     * {@link #includeRetired}). A set named here is verified whatever its state.
     *
     * @param ids set ids
     * @return this builder
     */
    public Builder sets(long... ids) {
      for (long id : ids) {
        setIds.add(id);
      }
      return this;
    }

    /**
     * Validates and builds the options.
     *
     * @return the options
     * @throws InvalidInputException naming the first invalid option
     */
    public VerifyOptions build() {
      return new VerifyOptions(
          collections, includeRetired, sampleRate, pageSize, maxSamples, setIds);
    }
  }
}
