package dev.portfolio.maintenance.domains;

/**
 * How {@link dev.portfolio.maintenance.Maintenance#migrateDomains} runs. Immutable:
 *
 * <pre>{@code
 * DomainMigrationOptions.builder().dryRun(true).build();
 * }</pre>
 *
 * @since 0.1.0
 */
public final class DomainMigrationOptions {
  private final boolean dryRun;

  private DomainMigrationOptions(Builder b) {
    this.dryRun = b.dryRun;
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
   * Returns the defaults: create what is missing.
   *
   * @return the options
   */
  public static DomainMigrationOptions defaults() {
    return builder().build();
  }

  /**
   * Tells whether this is a dry run, which only compares the plan with the store.
   *
   * @return true for a dry run (default: false)
   */
  public boolean dryRun() {
    return dryRun;
  }

  @Override
  public String toString() {
    return "DomainMigrationOptions[dryRun=" + dryRun + "]";
  }

  /**
   * Builds {@link DomainMigrationOptions}. Not thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private boolean dryRun;

    private Builder() {}

    /**
     * Asks for a dry run: the result says what would be created, and nothing is.
     *
     * @param value true for a dry run (default: false)
     * @return this builder
     */
    public Builder dryRun(boolean value) {
      this.dryRun = value;
      return this;
    }

    /**
     * Builds the options.
     *
     * @return the options
     */
    public DomainMigrationOptions build() {
      return new DomainMigrationOptions(this);
    }
  }
}
