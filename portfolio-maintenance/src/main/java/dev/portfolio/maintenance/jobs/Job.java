package dev.portfolio.maintenance.jobs;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * A job as the queue holds it. {@link #toString()} is a one-line summary:
 *
 * <pre>
 * job 12 reembed running (work): 41200 of 100000 (41.2%), units 8/50 done, 3 running; attempts 1/5
 * </pre>
 *
 * @param id the job's id
 * @param kind what it does
 * @param params its parameters
 * @param status where it stands
 * @param phase what a worker does with it next
 * @param priority higher runs first
 * @param progressCurrent units of work done (for a re-embed: chunks)
 * @param progressTotal units of work in all, or -1 when unknown
 * @param checkpoint the last checkpoint of the plan or finish step (units keep their own)
 * @param attempts how often the plan or finish step was started
 * @param maxAttempts how often a unit or step may be started before the job fails
 * @param error why it failed (or the last retried error), or null
 * @param leaseOwner the worker holding the plan or finish step, or null
 * @param leaseExpiresAt when that lease runs out, or null
 * @param createdAt when it was submitted
 * @param startedAt when a worker first took it, or null
 * @param updatedAt when it last changed
 * @param finishedAt when it completed, failed or was cancelled, or null
 * @param units how many of its units are in each state
 * @since 0.1.0
 */
public record Job(
    long id,
    String kind,
    JobParams params,
    JobStatus status,
    JobPhase phase,
    int priority,
    long progressCurrent,
    long progressTotal,
    JobParams checkpoint,
    int attempts,
    int maxAttempts,
    String error,
    String leaseOwner,
    Instant leaseExpiresAt,
    Instant createdAt,
    Instant startedAt,
    Instant updatedAt,
    Instant finishedAt,
    UnitCounts units) {
  /** Validates the components. */
  public Job {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(params, "params");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(checkpoint, "checkpoint");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    Objects.requireNonNull(units, "units");
  }

  /**
   * Returns the share done.
   *
   * @return 0 to 100, or -1 when the total is unknown
   */
  public double percent() {
    if (progressTotal < 0) {
      return -1;
    }
    if (progressTotal == 0) {
      return status == JobStatus.COMPLETED ? 100 : 0;
    }
    return Math.min(100.0, 100.0 * progressCurrent / progressTotal);
  }

  /**
   * Returns a one-line summary, as {@link #toString()} does.
   *
   * @return the summary
   */
  public String summary() {
    StringBuilder s =
        new StringBuilder("job ")
            .append(id)
            .append(' ')
            .append(kind)
            .append(' ')
            .append(status.label());
    if (!status.finished()) {
      s.append(" (").append(phase.label()).append(')');
    }
    s.append(": ").append(progressCurrent);
    if (progressTotal >= 0) {
      s.append(" of ")
          .append(progressTotal)
          .append(String.format(Locale.ROOT, " (%.1f%%)", percent()));
    }
    if (units.total() > 0) {
      s.append(", units ")
          .append(units.completed())
          .append('/')
          .append(units.total())
          .append(" done");
      if (units.running() > 0) {
        s.append(", ").append(units.running()).append(" running");
      }
    }
    s.append("; attempts ").append(attempts).append('/').append(maxAttempts);
    if (error != null) {
      s.append("; error: ").append(error);
    }
    return s.toString();
  }

  @Override
  public String toString() {
    return summary();
  }
}
