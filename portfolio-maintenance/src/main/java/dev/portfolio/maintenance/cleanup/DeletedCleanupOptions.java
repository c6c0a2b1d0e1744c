package dev.portfolio.maintenance.cleanup;

import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.validation.Inputs;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * What {@link dev.portfolio.maintenance.Maintenance#cleanupDeleted} purges. Immutable:
 *
 * <pre>{@code
 * DeletedCleanupOptions.builder().olderThan(Duration.ofDays(30)).build();
 * }</pre>
 *
 * @since 0.1.0
 */
public final class DeletedCleanupOptions {
  /** The default number of documents purged per transaction: {@value}. */
  public static final int DEFAULT_BATCH_SIZE = 500;

  private final Set<String> collections;
  private final Duration olderThan;
  private final int batchSize;
  private final boolean dryRun;
  private final boolean vacuum;
  private final BooleanSupplier cancellation;

  private DeletedCleanupOptions(Builder b) {
    this.collections = Set.copyOf(b.collections);
    this.olderThan = b.olderThan;
    this.batchSize = b.batchSize;
    this.dryRun = b.dryRun;
    this.vacuum = b.vacuum;
    this.cancellation = b.cancellation;
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
   * Returns the defaults: every collection, every soft-deleted document.
   *
   * @return the options
   */
  public static DeletedCleanupOptions defaults() {
    return builder().build();
  }

  /**
   * Returns the collections purged.
   *
   * @return the names; empty means every collection (the default)
   */
  public Set<String> collections() {
    return collections;
  }

  /**
   * Returns how long ago a document must have been soft-deleted to be purged.
   *
   * @return the age, or empty for every soft-deleted document (the default)
   */
  public Optional<Duration> olderThan() {
    return Optional.ofNullable(olderThan);
  }

  /**
   * Returns the cut-off for a run that starts now.
   *
   * @param now the start of the run
   * @return documents soft-deleted before this are purged; null for all
   */
  public Instant deletedBefore(Instant now) {
    return olderThan == null ? null : now.minus(olderThan);
  }

  /**
   * Returns how many documents one transaction purges.
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
   * Tells whether the touched tables are vacuumed after something was removed.
   *
   * @return true to vacuum (default: true)
   */
  public boolean vacuum() {
    return vacuum;
  }

  /**
   * Returns what the run asks before each batch whether it should stop.
   *
   * @return the cancellation check (default: never cancelled)
   */
  public BooleanSupplier cancellation() {
    return cancellation;
  }

  /**
   * Builds {@link DeletedCleanupOptions}. Not thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private final Set<String> collections = new LinkedHashSet<>();
    private Duration olderThan;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private boolean dryRun;
    private boolean vacuum = true;
    private BooleanSupplier cancellation = () -> false;

    private Builder() {}

    /**
     * Limits the run to a collection (repeat for several).
     *
     * @param name the collection
     * @return this builder
     */
    public Builder collection(String name) {
      collections.add(Inputs.collectionName(name));
      return this;
    }

    /**
     * Purges only documents soft-deleted at least this long ago.
     *
     * @param value a duration of zero or more, or null for every soft-deleted document (default)
     * @return this builder
     */
    public Builder olderThan(Duration value) {
      this.olderThan = value;
      return this;
    }

    /**
     * Sets how many documents one transaction purges.
     *
     * @param value 1 to 10,000 (default: {@value #DEFAULT_BATCH_SIZE})
     * @return this builder
     */
    public Builder batchSize(int value) {
      this.batchSize = value;
      return this;
    }

    /**
     * Only counts what would be purged.
     *
     * @param value true for a dry run (default: false)
     * @return this builder
     */
    public Builder dryRun(boolean value) {
      this.dryRun = value;
      return this;
    }

    /**
     * Vacuums the touched tables after something was removed.
     *
     * @param value false to leave it to autovacuum (default: true)
     * @return this builder
     */
    public Builder vacuum(boolean value) {
      this.vacuum = value;
      return this;
    }

    /**
     * Sets what the run asks before each batch whether to stop, e.g. an {@link
     * java.util.concurrent.atomic.AtomicBoolean} that a shutdown hook sets. A cancelled run lets
     * the batch in flight commit, starts no other, skips the vacuum and returns a result marked
     * cancelled; the batches done stay removed, and running the same cleanup again removes the
     * rest. A dry run does not ask.
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
    public DeletedCleanupOptions build() {
      if (olderThan != null && olderThan.isNegative()) {
        throw new InvalidInputException(
            "cleanupDeleted.olderThan",
            "cleanupDeleted.olderThan must be zero or more (was " + olderThan + ")");
      }
      Inputs.between("cleanupDeleted.batchSize", batchSize, 1, 10_000);
      Inputs.requireNonNull("cleanupDeleted.cancellation", cancellation);
      return new DeletedCleanupOptions(this);
    }
  }
}
