package dev.portfolio.maintenance.cleanup;

import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.validation.Inputs;
import java.util.function.BooleanSupplier;

/**
 * What {@link dev.portfolio.maintenance.Maintenance#cleanupOrphans} removes. Immutable:
 *
 * <pre>{@code
 * OrphanCleanupOptions.builder().dryRun(true).build();
 * }</pre>
 *
 * @since 0.1.0
 */
public final class OrphanCleanupOptions {
  /** The default number of rows deleted per transaction: {@value}. */
  public static final int DEFAULT_BATCH_SIZE = 1000;

  private final boolean dryRun;
  private final int batchSize;
  private final boolean dropRetiredSets;
  private final boolean vacuum;
  private final BooleanSupplier cancellation;

  private OrphanCleanupOptions(Builder b) {
    this.dryRun = b.dryRun;
    this.batchSize = b.batchSize;
    this.dropRetiredSets = b.dropRetiredSets;
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
   * Tells whether the run only counts.
   *
   * @return true for a dry run (default: false)
   */
  public boolean dryRun() {
    return dryRun;
  }

  /**
   * Returns how many rows one transaction deletes.
   *
   * @return the batch size (default: {@value #DEFAULT_BATCH_SIZE})
   */
  public int batchSize() {
    return batchSize;
  }

  /**
   * Tells whether retired embedding sets are dropped too (which ends the chance of a rollback).
   *
   * @return true to drop them (default: false: they are listed with their vectors, and kept)
   */
  public boolean dropRetiredSets() {
    return dropRetiredSets;
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
   * Builds {@link OrphanCleanupOptions}. Not thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private boolean dryRun;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private boolean dropRetiredSets;
    private boolean vacuum = true;
    private BooleanSupplier cancellation = () -> false;

    private Builder() {}

    /**
     * Only counts what would be removed.
     *
     * @param value true for a dry run (default: false)
     * @return this builder
     */
    public Builder dryRun(boolean value) {
      this.dryRun = value;
      return this;
    }

    /**
     * Sets how many rows one transaction deletes.
     *
     * @param value 1 to 10,000 (default: {@value #DEFAULT_BATCH_SIZE})
     * @return this builder
     */
    public Builder batchSize(int value) {
      this.batchSize = value;
      return this;
    }

    /**
     * Drops retired embedding sets with their vectors as well ({@link
     * dev.portfolio.core.spi.VectorStore#dropSet}: on PostgreSQL, their partitions). No rollback to
     * them is possible afterwards.
     *
     * @param value true to drop them (default: false)
     * @return this builder
     */
    public Builder dropRetiredSets(boolean value) {
      this.dropRetiredSets = value;
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
     * the batch in flight commit, starts no other, skips the vacuum (and the dropping of retired
     * sets) and returns a result marked cancelled; the batches done stay removed, and running the
     * same cleanup again removes the rest. A dry run does not ask.
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
    public OrphanCleanupOptions build() {
      Inputs.between("cleanupOrphans.batchSize", batchSize, 1, 10_000);
      Inputs.requireNonNull("cleanupOrphans.cancellation", cancellation);
      return new OrphanCleanupOptions(this);
    }
  }
}
