package dev.portfolio.maintenance.cleanup;

import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.validation.Inputs;
import java.util.function.BooleanSupplier;

/**
 * What {@link dev.portfolio.maintenance.Maintenance#deleteSource(SourceDeleteOptions)} deletes, and
 * how. Immutable:
 *
 * <pre>{@code
 * SourceDeleteOptions.builder("docs", "s3://bucket/handbook.md").batchSize(200).build();
 * }</pre>
 *
 * @since 0.1.0
 */
public final class SourceDeleteOptions {
  /** The default number of documents deleted per transaction: {@value}. */
  public static final int DEFAULT_BATCH_SIZE = 500;

  private final String collection;
  private final String sourceId;
  private final int batchSize;
  private final boolean dryRun;
  private final BooleanSupplier cancellation;

  private SourceDeleteOptions(Builder b) {
    this.collection = b.collection;
    this.sourceId = b.sourceId;
    this.batchSize = b.batchSize;
    this.dryRun = b.dryRun;
    this.cancellation = b.cancellation;
  }

  /**
   * Starts building options.
   *
   * @param collection the collection, not null
   * @param sourceId the source whose documents go, not null
   * @return a builder with the defaults
   */
  public static Builder builder(String collection, String sourceId) {
    return new Builder(collection, sourceId);
  }

  /**
   * Returns the collection.
   *
   * @return the name
   */
  public String collection() {
    return collection;
  }

  /**
   * Returns the source whose documents are deleted.
   *
   * @return the source id
   */
  public String sourceId() {
    return sourceId;
  }

  /**
   * Returns how many documents (with their chunks and vectors) one transaction deletes.
   *
   * @return the batch size (default: {@value #DEFAULT_BATCH_SIZE})
   */
  public int batchSize() {
    return batchSize;
  }

  /**
   * Tells whether the run only counts.
   *
   * @return true for a dry run (default: false)
   */
  public boolean dryRun() {
    return dryRun;
  }

  /**
   * Returns what the run asks before each batch whether it should stop.
   *
   * @return the cancellation check (default: never cancelled)
   */
  public BooleanSupplier cancellation() {
    return cancellation;
  }

  @Override
  public String toString() {
    return "SourceDeleteOptions[collection="
        + collection
        + ", sourceId="
        + sourceId
        + ", batchSize="
        + batchSize
        + ", dryRun="
        + dryRun
        + "]";
  }

  /**
   * Builds {@link SourceDeleteOptions}. Not thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private final String collection;
    private final String sourceId;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private boolean dryRun;
    private BooleanSupplier cancellation = () -> false;

    private Builder(String collection, String sourceId) {
      this.collection = collection;
      this.sourceId = sourceId;
    }

    /**
     * Sets how many documents one transaction deletes, with their chunks and their vectors in every
     * set: the bound on a batch's locks and on what a stop leaves to the next run.
     *
     * @param value 1 to 10,000 (default: {@value #DEFAULT_BATCH_SIZE})
     * @return this builder
     */
    public Builder batchSize(int value) {
      this.batchSize = value;
      return this;
    }

    /**
     * Only counts what would be deleted.
     *
     * @param value true for a dry run (default: false)
     * @return this builder
     */
    public Builder dryRun(boolean value) {
      this.dryRun = value;
      return this;
    }

    /**
     * Sets what the run asks before each batch whether to stop, e.g. an {@link
     * java.util.concurrent.atomic.AtomicBoolean} that a shutdown hook sets. A cancelled run lets
     * the batch in flight commit, starts no other and returns a result marked cancelled: the
     * documents of the batches done are gone, every other one is whole, and running the same delete
     * again removes the rest. A dry run does not ask.
     *
     * @param value the check, called from the run's thread (default: never cancelled)
     * @return this builder
     */
    public Builder cancellation(BooleanSupplier value) {
      this.cancellation = value;
      return this;
    }

    /**
     * Validates the fields and builds the options.
     *
     * @return the options
     * @throws InvalidInputException naming the first invalid field
     */
    public SourceDeleteOptions build() {
      if (collection == null) {
        throw new InvalidInputException(
            "deleteSource.collection", "deleteSource.collection is required (was null)");
      }
      Inputs.collectionName(collection);
      Inputs.requireKey("deleteSource.sourceId", sourceId);
      Inputs.between("deleteSource.batchSize", batchSize, 1, 10_000);
      Inputs.requireNonNull("deleteSource.cancellation", cancellation);
      return new SourceDeleteOptions(this);
    }
  }
}
