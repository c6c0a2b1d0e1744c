package dev.portfolio.maintenance.retry;

import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.model.SearchFilter;
import dev.portfolio.core.validation.Inputs;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * What {@link dev.portfolio.maintenance.Maintenance#retryFailed} retries. Immutable; built with
 * {@link #builder(String)}:
 *
 * <pre>{@code
 * RetryOptions options = RetryOptions.builder("docs").maxAttempts(5).build();
 * }</pre>
 *
 * @since 0.1.0
 */
public final class RetryOptions {
  /** The default maximum of failed attempts before a document is given up: {@value}. */
  public static final int DEFAULT_MAX_ATTEMPTS = 3;

  /** The default number of documents read, and of chunks embedded, together: {@value}. */
  public static final int DEFAULT_BATCH_SIZE = 100;

  private final String collection;
  private final int maxAttempts;
  private final int batchSize;
  private final Set<String> sourceIds;
  private final String workspace;
  private final boolean dryRun;
  private final BooleanSupplier cancellation;

  private RetryOptions(Builder b) {
    this.collection = b.collection;
    this.maxAttempts = b.maxAttempts;
    this.batchSize = b.batchSize;
    this.sourceIds = Set.copyOf(b.sourceIds);
    this.workspace = b.workspace;
    this.dryRun = b.dryRun;
    this.cancellation = b.cancellation;
  }

  /**
   * Starts building options for a collection.
   *
   * @param collection the collection
   * @return a builder with the defaults
   */
  public static Builder builder(String collection) {
    return new Builder(collection);
  }

  /**
   * Returns the collection.
   *
   * @return the collection name
   */
  public String collection() {
    return collection;
  }

  /**
   * Returns how many failed attempts a document may have before it is given up.
   *
   * @return the maximum (default: {@value #DEFAULT_MAX_ATTEMPTS})
   */
  public int maxAttempts() {
    return maxAttempts;
  }

  /**
   * Returns how many failed documents are read, and how many chunks embedded, together.
   *
   * @return the batch size (default: {@value #DEFAULT_BATCH_SIZE})
   */
  public int batchSize() {
    return batchSize;
  }

  /**
   * Returns the store filter for the source and workspace restrictions.
   *
   * @return the filter
   */
  public SearchFilter filter() {
    SearchFilter.Builder f = SearchFilter.builder().workspace(workspace);
    sourceIds.forEach(f::sourceId);
    return f.build();
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
   * Returns what the run asks, between batches, whether it should stop.
   *
   * @return the cancellation check (default: never)
   */
  public BooleanSupplier cancellation() {
    return cancellation;
  }

  @Override
  public String toString() {
    return "RetryOptions[collection="
        + collection
        + ", maxAttempts="
        + maxAttempts
        + ", batchSize="
        + batchSize
        + ", sourceIds="
        + sourceIds
        + ", workspace="
        + workspace
        + ", dryRun="
        + dryRun
        + "]";
  }

  /**
   * Builds {@link RetryOptions}. Not thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private final String collection;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private final Set<String> sourceIds = new LinkedHashSet<>();
    private String workspace;
    private boolean dryRun;
    private BooleanSupplier cancellation = () -> false;

    private Builder(String collection) {
      this.collection = collection;
    }

    /**
     * Sets how many failed attempts a document may have: a document whose failure was not retriable
     * is retried while it has fewer, one whose failure was retriable once more whatever its count;
     * a document that reaches the maximum is marked permanently failed with its last reason.
     *
     * @param value 1 to 100 (default: {@value #DEFAULT_MAX_ATTEMPTS})
     * @return this builder
     */
    public Builder maxAttempts(int value) {
      this.maxAttempts = value;
      return this;
    }

    /**
     * Sets how many failed documents are read, and how many chunks embedded, together.
     *
     * @param value 1 to 10,000 (default: {@value #DEFAULT_BATCH_SIZE})
     * @return this builder
     */
    public Builder batchSize(int value) {
      this.batchSize = value;
      return this;
    }

    /**
     * Limits the run to the documents of one source (repeat for several).
     *
     * @param sourceId the source id
     * @return this builder
     */
    public Builder sourceId(String sourceId) {
      sourceIds.add(Inputs.requireKey("retry.sourceId", sourceId));
      return this;
    }

    /**
     * Limits the run to one workspace.
     *
     * @param value the workspace, or null for every one (the default)
     * @return this builder
     */
    public Builder workspace(String value) {
      this.workspace = value;
      return this;
    }

    /**
     * Only counts what would be retried and given up; nothing is embedded or written.
     *
     * @param value true for a dry run (default: false)
     * @return this builder
     */
    public Builder dryRun(boolean value) {
      this.dryRun = value;
      return this;
    }

    /**
     * Sets what the run asks between batches whether to stop.
     *
     * @param value the check (default: never cancelled)
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
    public RetryOptions build() {
      if (collection == null) {
        throw new InvalidInputException(
            "retry.collection", "retry.collection is required (was null)");
      }
      Inputs.collectionName(collection);
      Inputs.between("retry.maxAttempts", maxAttempts, 1, 100);
      Inputs.between("retry.batchSize", batchSize, 1, 10_000);
      Inputs.optionalKey("retry.workspace", workspace);
      Inputs.requireNonNull("retry.cancellation", cancellation);
      return new RetryOptions(this);
    }
  }
}
