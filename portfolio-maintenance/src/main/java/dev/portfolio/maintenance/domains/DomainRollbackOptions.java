package dev.portfolio.maintenance.domains;

import dev.portfolio.core.validation.Inputs;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * What {@link dev.portfolio.maintenance.Maintenance#rollbackDomains} drops. Immutable:
 *
 * <pre>{@code
 * DomainMigrationResult run = maintenance.migrateDomains(plan, DomainMigrationOptions.defaults());
 * maintenance.rollbackDomains(plan,
 *     DomainRollbackOptions.builder().only(run.createdCollections()).build());
 * }</pre>
 *
 * @since 0.1.0
 */
public final class DomainRollbackOptions {
  private final boolean dryRun;
  private final Set<String> only;

  private DomainRollbackOptions(Builder b) {
    this.dryRun = b.dryRun;
    this.only = b.only == null ? null : Set.copyOf(b.only);
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
   * Returns the defaults: every empty collection of the plan.
   *
   * @return the options
   */
  public static DomainRollbackOptions defaults() {
    return builder().build();
  }

  /**
   * Tells whether this is a dry run, which only says what would be dropped.
   *
   * @return true for a dry run (default: false)
   */
  public boolean dryRun() {
    return dryRun;
  }

  /**
   * Returns the collections the rollback is limited to.
   *
   * @return the names, or empty (the default) for every collection of the plan; a present but empty
   *     set drops nothing (a run that created nothing has nothing to undo)
   */
  public Optional<Set<String>> only() {
    return Optional.ofNullable(only);
  }

  @Override
  public String toString() {
    return "DomainRollbackOptions[dryRun=" + dryRun + ", only=" + only + "]";
  }

  /**
   * Builds {@link DomainRollbackOptions}. Not thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private boolean dryRun;
    private Set<String> only;

    private Builder() {}

    /**
     * Asks for a dry run: the result says what would be dropped, and nothing is.
     *
     * @param value true for a dry run (default: false)
     * @return this builder
     */
    public Builder dryRun(boolean value) {
      this.dryRun = value;
      return this;
    }

    /**
     * Limits the rollback to these collections of the plan, typically {@link
     * DomainMigrationResult#createdCollections()} of the run to undo. May be called again to add
     * more.
     *
     * @param names collection names of the plan, not null, no null element; an empty collection
     *     limits the rollback to nothing
     * @return this builder
     */
    public Builder only(Collection<String> names) {
      Inputs.requireNonNull("only", names);
      if (only == null) {
        only = new LinkedHashSet<>();
      }
      for (String n : names) {
        only.add(Inputs.collectionName(n));
      }
      return this;
    }

    /**
     * Builds the options.
     *
     * @return the options
     */
    public DomainRollbackOptions build() {
      return new DomainRollbackOptions(this);
    }
  }
}
