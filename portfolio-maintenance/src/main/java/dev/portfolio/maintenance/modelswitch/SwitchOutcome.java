package dev.portfolio.maintenance.modelswitch;

/**
 * How a model switch ended.
 *
 * @since 0.1.0
 */
public enum SwitchOutcome {
  /** The new set was filled and activated: searches now read the new model. */
  ACTIVATED,
  /**
   * The collection already used the new model (for example a switch that was activated before a
   * crash and is run again); only missing chunks were embedded and, when asked, retired sets
   * dropped.
   */
  ALREADY_ACTIVE,
  /**
   * The new set was filled but not activated because {@link SwitchOptions#activate()} is false;
   * activate it with {@link dev.portfolio.maintenance.Maintenance#activate}.
   */
  BUILT,
  /**
   * The new set still misses chunks (usually chunks the embedder rejected, listed in the runs'
   * errors), so it was not activated; searches still read the old set. Fix them and run the switch
   * again, or activate with force.
   */
  INCOMPLETE,
  /** The switch was cancelled; searches still read the old set. Running it again resumes. */
  CANCELLED,
  /** A dry run: nothing was changed. */
  DRY_RUN
}
