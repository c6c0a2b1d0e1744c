package dev.portfolio.core.spi;

/**
 * Receives progress of long operations. Every method has a no-op default, so implementations
 * override only what they need. A reporter that throws is logged and ignored: it never breaks the
 * operation it observes. Calls for one operation come from one thread at a time.
 *
 * @since 0.1.0
 */
public interface ProgressReporter {
  /** A reporter that ignores everything. */
  ProgressReporter SILENT = new ProgressReporter() {};

  /**
   * Called once when an operation starts.
   *
   * @param event the initial state (current is 0)
   */
  default void started(ProgressEvent event) {}

  /**
   * Called as the operation advances.
   *
   * @param event the current state
   */
  default void progressed(ProgressEvent event) {}

  /**
   * Called once when the operation ends, successfully or not.
   *
   * @param event the final state, with {@link ProgressEvent#outcome()} set
   */
  default void finished(ProgressEvent event) {}
}
