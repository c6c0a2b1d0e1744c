package dev.portfolio.maintenance.jobs;

import java.util.Locale;

/**
 * What a worker does with a job next.
 *
 * @since 0.1.0
 */
public enum JobPhase {
  /** Split the job into work units ({@link JobHandler#plan}). */
  PLAN,
  /** Run the units ({@link JobHandler#run}), on any number of workers. */
  WORK,
  /** Run the last step once every unit is done ({@link JobHandler#finish}). */
  FINISH;

  /**
   * Returns the name stored in the database.
   *
   * @return the lower-case name
   */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  static JobPhase parse(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
