package dev.portfolio.maintenance.modelswitch;

import dev.portfolio.core.validation.Inputs;
import dev.portfolio.maintenance.reembed.ReembedOptions;
import java.util.function.BooleanSupplier;

/**
 * How {@link dev.portfolio.maintenance.Maintenance#switchModel} runs. Immutable; built with {@link
 * #builder()}; {@link #defaults()} has every default.
 *
 * @since 0.1.0
 */
public final class SwitchOptions {
  /** The default number of catch-up rounds before activation: {@value}. */
  public static final int DEFAULT_CATCH_UP_ROUNDS = 3;

  private static final BooleanSupplier NEVER = () -> false;
  private static final SwitchOptions DEFAULTS = builder().build();

  private final int batchSize;
  private final int maxConcurrency;
  private final boolean dryRun;
  private final boolean activate;
  private final boolean force;
  private final boolean dropRetired;
  private final int catchUpRounds;
  private final BooleanSupplier cancellation;

  private SwitchOptions(Builder b) {
    this.batchSize = b.batchSize;
    this.maxConcurrency = b.maxConcurrency;
    this.dryRun = b.dryRun;
    this.activate = b.activate;
    this.force = b.force;
    this.dropRetired = b.dropRetired;
    this.catchUpRounds = b.catchUpRounds;
    this.cancellation = b.cancellation;
  }

  /**
   * Returns the options with every default.
   *
   * @return the default options
   */
  public static SwitchOptions defaults() {
    return DEFAULTS;
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
   * Returns the number of chunks read, embedded and written together.
   *
   * @return the batch size (default: {@value ReembedOptions#DEFAULT_BATCH_SIZE})
   */
  public int batchSize() {
    return batchSize;
  }

  /**
   * Returns how many embedder calls may be in flight at once.
   *
   * @return the concurrency (default: {@value ReembedOptions#DEFAULT_MAX_CONCURRENCY})
   */
  public int maxConcurrency() {
    return maxConcurrency;
  }

  /**
   * Tells whether the switch only counts and estimates, touching nothing (no set is created).
   *
   * @return true for a dry run (default: false)
   */
  public boolean dryRun() {
    return dryRun;
  }

  /**
   * Tells whether the filled set is activated.
   *
   * @return true to activate (default: true); false stops with the set filled and building
   */
  public boolean activate() {
    return activate;
  }

  /**
   * Tells whether the set is activated although chunks are still missing in it (chunks the embedder
   * rejected): they are then not found by vector search until re-embedded.
   *
   * @return true to force activation (default: false)
   */
  public boolean force() {
    return force;
  }

  /**
   * Tells whether the set retired by the activation is dropped at once, which makes a rollback
   * impossible.
   *
   * @return true to drop it (default: false, kept for {@link
   *     dev.portfolio.maintenance.Maintenance#rollback})
   */
  public boolean dropRetired() {
    return dropRetired;
  }

  /**
   * Returns how many times chunks upserted during the switch are embedded before activation.
   *
   * @return the rounds (default: {@value #DEFAULT_CATCH_UP_ROUNDS})
   */
  public int catchUpRounds() {
    return catchUpRounds;
  }

  /**
   * Returns what the switch asks, between batches, whether it should stop.
   *
   * @return the cancellation check (default: never cancelled)
   */
  public BooleanSupplier cancellation() {
    return cancellation;
  }

  @Override
  public String toString() {
    return "SwitchOptions[batchSize="
        + batchSize
        + ", maxConcurrency="
        + maxConcurrency
        + ", dryRun="
        + dryRun
        + ", activate="
        + activate
        + ", force="
        + force
        + ", dropRetired="
        + dropRetired
        + ", catchUpRounds="
        + catchUpRounds
        + "]";
  }

  /**
   * Builds {@link SwitchOptions}. Not thread-safe. {@link #build()} validates every field and names
   * it in the message.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private int batchSize = ReembedOptions.DEFAULT_BATCH_SIZE;
    private int maxConcurrency = ReembedOptions.DEFAULT_MAX_CONCURRENCY;
    private boolean dryRun;
    private boolean activate = true;
    private boolean force;
    private boolean dropRetired;
    private int catchUpRounds = DEFAULT_CATCH_UP_ROUNDS;
    private BooleanSupplier cancellation = NEVER;

    private Builder() {}

    /**
     * Sets how many chunks are read, embedded and written together.
     *
     * @param value 1 to {@value ReembedOptions#MAX_BATCH_SIZE} (default: {@value
     *     ReembedOptions#DEFAULT_BATCH_SIZE})
     * @return this builder
     */
    public Builder batchSize(int value) {
      this.batchSize = value;
      return this;
    }

    /**
     * Sets how many embedder calls may be in flight at once.
     *
     * @param value 1 to {@value ReembedOptions#MAX_CONCURRENCY} (default: {@value
     *     ReembedOptions#DEFAULT_MAX_CONCURRENCY})
     * @return this builder
     */
    public Builder maxConcurrency(int value) {
      this.maxConcurrency = value;
      return this;
    }

    /**
     * Only counts and estimates; no set is created, nothing embedded or written.
     *
     * @param value true for a dry run (default: false)
     * @return this builder
     */
    public Builder dryRun(boolean value) {
      this.dryRun = value;
      return this;
    }

    /**
     * Chooses whether the filled set is activated.
     *
     * @param value false to stop with the set filled and building (default: true)
     * @return this builder
     */
    public Builder activate(boolean value) {
      this.activate = value;
      return this;
    }

    /**
     * Activates the set even when chunks are still missing in it.
     *
     * @param value true to force (default: false)
     * @return this builder
     */
    public Builder force(boolean value) {
      this.force = value;
      return this;
    }

    /**
     * Drops the set retired by the activation right away (no rollback afterwards).
     *
     * @param value true to drop it (default: false)
     * @return this builder
     */
    public Builder dropRetired(boolean value) {
      this.dropRetired = value;
      return this;
    }

    /**
     * Sets how many times chunks upserted during the switch are embedded before activation.
     *
     * @param value 0 to 100 (default: {@value #DEFAULT_CATCH_UP_ROUNDS})
     * @return this builder
     */
    public Builder catchUpRounds(int value) {
      this.catchUpRounds = value;
      return this;
    }

    /**
     * Sets what the switch asks between batches whether to stop (see {@link
     * ReembedOptions.Builder#cancellation}).
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
     * @throws dev.portfolio.core.error.InvalidInputException naming the first invalid field
     */
    public SwitchOptions build() {
      Inputs.between("switch.batchSize", batchSize, 1, ReembedOptions.MAX_BATCH_SIZE);
      Inputs.between("switch.maxConcurrency", maxConcurrency, 1, ReembedOptions.MAX_CONCURRENCY);
      Inputs.between("switch.catchUpRounds", catchUpRounds, 0, 100);
      Inputs.requireNonNull("switch.cancellation", cancellation);
      return new SwitchOptions(this);
    }
  }
}
