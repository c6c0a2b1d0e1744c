package dev.portfolio.maintenance.jobs;

import dev.portfolio.maintenance.jobs.Coordination.Claim;
import dev.portfolio.maintenance.jobs.Coordination.TaskKey;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link JobContext} of one claimed task: keeps the latest checkpoint, commits it at most once
 * per checkpoint interval, and turns what heartbeats and checkpoints learn about the job (paused,
 * cancelled, lease lost) into a stop reason.
 */
final class TaskContext implements JobContext {
  private static final Logger LOG = LoggerFactory.getLogger(TaskContext.class);

  private final JobWorker worker;
  private final Claim claim;
  private volatile StopReason reason;
  private volatile long confirmedNanos;
  private JobParams checkpoint;
  private long current;
  private long total;
  private long writtenNanos;
  private boolean dirty;

  TaskContext(JobWorker worker, Claim claim, long claimedNanos) {
    this.worker = worker;
    this.claim = claim;
    this.confirmedNanos = claimedNanos;
    this.writtenNanos = claimedNanos;
    this.checkpoint = claim.checkpoint();
    this.current = claim.progressCurrent();
    this.total = claim.progressTotal();
  }

  TaskKey key() {
    return claim.key();
  }

  Claim claim() {
    return claim;
  }

  @Override
  public long jobId() {
    return claim.key().jobId();
  }

  @Override
  public String kind() {
    return claim.kind();
  }

  @Override
  public JobParams params() {
    return claim.params();
  }

  @Override
  public int unit() {
    return claim.key().unit();
  }

  @Override
  public JobParams unitParams() {
    return claim.unitParams();
  }

  @Override
  public JobParams checkpoint() {
    return claim.checkpoint();
  }

  @Override
  public long progressAtStart() {
    return claim.progressCurrent();
  }

  @Override
  public int attempt() {
    return claim.attempt();
  }

  @Override
  public void checkpoint(JobParams value, long currentProgress, long totalProgress) {
    java.util.Objects.requireNonNull(value, "checkpoint");
    boolean write;
    synchronized (this) {
      checkpoint = value;
      current = currentProgress;
      total = totalProgress;
      dirty = true;
      write = System.nanoTime() - writtenNanos >= worker.checkpointIntervalNanos();
    }
    if (write) {
      flush();
    }
  }

  /** Commits the latest checkpoint if it was not yet. */
  void flush() {
    JobParams cp;
    long cur;
    long tot;
    long started = System.nanoTime();
    synchronized (this) {
      if (!dirty || reason == StopReason.LEASE_LOST) {
        return;
      }
      cp = checkpoint;
      cur = current;
      tot = total;
      dirty = false;
      writtenNanos = started;
    }
    try {
      Optional<JobStatus> status =
          worker.coordination().checkpoint(key(), worker.id(), cp, cur, tot);
      if (status.isEmpty()) {
        lost();
      } else {
        confirm(status.get(), started);
      }
    } catch (RuntimeException e) {
      synchronized (this) {
        dirty = true;
      }
      LOG.debug(
          "Committing a checkpoint of {} failed; the next one retries: {}", key(), e.toString());
    }
  }

  synchronized JobParams lastCheckpoint() {
    return checkpoint;
  }

  synchronized long lastCurrent() {
    return current;
  }

  synchronized long lastTotal() {
    return total;
  }

  /** What a heartbeat or checkpoint learnt: the lease holds and the job has this status. */
  void confirm(JobStatus status, long sinceNanos) {
    confirmedNanos = Math.max(confirmedNanos, sinceNanos);
    switch (status) {
      case PAUSED -> {
        if (!key().jobLevel()) {
          stop(StopReason.PAUSED);
        }
      }
      case CANCELLED, FAILED, COMPLETED -> stop(StopReason.CANCELLED);
      default -> {}
    }
  }

  /** The lease is gone: another worker may hold the task now. */
  void lost() {
    reason = StopReason.LEASE_LOST;
  }

  private synchronized void stop(StopReason r) {
    if (reason == null || r == StopReason.CANCELLED && reason == StopReason.PAUSED) {
      reason = r;
    }
  }

  @Override
  public boolean stopRequested() {
    return stopReason().isPresent();
  }

  @Override
  public Optional<StopReason> stopReason() {
    StopReason r = reason;
    if (r != null) {
      return Optional.of(r);
    }
    if (System.nanoTime() - confirmedNanos > worker.leaseNanos()) {
      LOG.warn(
          "Worker {} could not renew its lease on {} for longer than the lease ({} s); stopping it,"
              + " since another worker may have taken it over",
          worker.id(),
          key(),
          worker.leaseNanos() / 1_000_000_000L);
      lost();
      return Optional.of(StopReason.LEASE_LOST);
    }
    if (worker.closing()) {
      return Optional.of(StopReason.SHUTDOWN);
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return "JobContext[" + key() + ", kind=" + kind() + ", attempt=" + attempt() + "]";
  }
}
