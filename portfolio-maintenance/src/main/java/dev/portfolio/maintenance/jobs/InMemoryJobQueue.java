package dev.portfolio.maintenance.jobs;

import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.validation.Inputs;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The job queue in memory, with the same API and the same semantics as {@link PgJobQueue} (leases,
 * pause, resume, cancel, attempts, checkpoints) for the workers of one JVM. <b>Not durable</b>: the
 * jobs are gone with the JVM, and other JVMs cannot see them; use it with the in-memory store, in
 * tests, or to run the job code inline. Thread-safe (one lock).
 *
 * @since 0.1.0
 */
public final class InMemoryJobQueue implements JobQueue, Coordination {
  private final Clock clock;
  private final TreeMap<Long, Row> jobs = new TreeMap<>();
  private long nextId = 1;

  /** Creates an empty queue on the system clock. */
  public InMemoryJobQueue() {
    this(Clock.systemUTC());
  }

  /**
   * Creates an empty queue on a clock (for tests of lease expiry and cleanup).
   *
   * @param clock the clock leases and timestamps are read from
   */
  public InMemoryJobQueue(Clock clock) {
    this.clock = Inputs.requireNonNull("clock", clock);
  }

  private static final class Row {
    long id;
    String kind;
    JobParams params;
    JobStatus status = JobStatus.QUEUED;
    JobPhase phase = JobPhase.PLAN;
    int priority;
    long progressCurrent;
    long progressTotal = -1;
    JobParams checkpoint = JobParams.empty();
    int attempts;
    int maxAttempts;
    String error;
    String leaseOwner;
    Instant leaseExpiresAt;
    Instant runAfter;
    Instant createdAt;
    Instant startedAt;
    Instant updatedAt;
    Instant finishedAt;
    final List<UnitRow> units = new ArrayList<>();
  }

  private static final class UnitRow {
    int unit;
    JobParams params;
    UnitStatus status = UnitStatus.QUEUED;
    long progressCurrent;
    long progressTotal;
    JobParams checkpoint = JobParams.empty();
    int attempts;
    String error;
    String leaseOwner;
    Instant leaseExpiresAt;
    Instant runAfter;
    Instant startedAt;
    Instant finishedAt;
  }

  // ------------------------------------------------------------------------------ the queue

  @Override
  public synchronized Job submit(JobRequest request) {
    Inputs.requireNonNull("request", request);
    Instant now = clock.instant();
    Row r = new Row();
    r.id = nextId++;
    r.kind = request.kind();
    r.params = request.params();
    r.priority = request.priority();
    r.maxAttempts = request.maxAttempts();
    r.runAfter = now;
    r.createdAt = now;
    r.updatedAt = now;
    jobs.put(r.id, r);
    return view(r);
  }

  @Override
  public synchronized Optional<Job> get(long id) {
    return Optional.ofNullable(jobs.get(id)).map(InMemoryJobQueue::view);
  }

  @Override
  public synchronized List<JobUnit> units(long id) {
    Row r = jobs.get(id);
    if (r == null) {
      return List.of();
    }
    return r.units.stream()
        .map(
            u ->
                new JobUnit(
                    id,
                    u.unit,
                    u.params,
                    u.status,
                    u.progressCurrent,
                    u.progressTotal,
                    u.checkpoint,
                    u.attempts,
                    u.error,
                    u.leaseOwner,
                    u.leaseExpiresAt,
                    u.startedAt,
                    u.finishedAt))
        .toList();
  }

  @Override
  public synchronized JobList list(JobQuery query) {
    Inputs.requireNonNull("query", query);
    Map<JobStatus, Long> counts = new EnumMap<>(JobStatus.class);
    for (Row r : jobs.values()) {
      counts.merge(r.status, 1L, Long::sum);
    }
    List<Job> page = new ArrayList<>();
    for (Row r : jobs.descendingMap().values()) {
      Job j = view(r);
      if (query.matches(j)) {
        page.add(j);
        if (page.size() == query.limit()) {
          break;
        }
      }
    }
    return new JobList(page, counts);
  }

  @Override
  public synchronized Job pause(long id) {
    Row r = require(jobs.get(id), id);
    if (r.status.finished()) {
      throw Jobs.finished(id, r.status, "paused");
    }
    if (r.status != JobStatus.PAUSED) {
      r.status = JobStatus.PAUSED;
      r.updatedAt = clock.instant();
    }
    return view(r);
  }

  @Override
  public synchronized Job resume(long id) {
    Row r = require(jobs.get(id), id);
    if (r.status.finished()) {
      throw Jobs.finished(id, r.status, "resumed");
    }
    if (r.status == JobStatus.PAUSED) {
      r.status = r.startedAt == null ? JobStatus.QUEUED : JobStatus.RUNNING;
      r.updatedAt = clock.instant();
    }
    return view(r);
  }

  @Override
  public synchronized Job cancel(long id) {
    Row r = require(jobs.get(id), id);
    if (r.status == JobStatus.COMPLETED || r.status == JobStatus.FAILED) {
      throw Jobs.finished(id, r.status, "cancelled");
    }
    if (r.status != JobStatus.CANCELLED) {
      end(r, JobStatus.CANCELLED, r.error);
    }
    return view(r);
  }

  @Override
  public synchronized int cleanup(Duration olderThan) {
    Inputs.requireNonNull("olderThan", olderThan);
    if (olderThan.isNegative()) {
      throw new InvalidInputException(
          "olderThan", "olderThan must be >= 0 (was " + olderThan + ")");
    }
    Instant limit = clock.instant().minus(olderThan);
    int before = jobs.size();
    jobs.values()
        .removeIf(r -> r.status.finished() && r.finishedAt != null && r.finishedAt.isBefore(limit));
    return before - jobs.size();
  }

  // ------------------------------------------------------------------------------ coordination

  @Override
  public synchronized Optional<Claim> claim(String owner, Set<String> kinds, Duration lease) {
    Instant now = clock.instant();
    Row best = null;
    for (Row r : jobs.values()) {
      if (!kinds.contains(r.kind) || r.runAfter.isAfter(now)) {
        continue;
      }
      boolean claimable =
          r.status == JobStatus.QUEUED
              || r.status == JobStatus.RUNNING
                  && r.phase != JobPhase.WORK
                  && (r.leaseOwner == null || r.leaseExpiresAt.isBefore(now))
              || r.status == JobStatus.RUNNING
                  && r.phase == JobPhase.WORK
                  && r.units.stream().allMatch(u -> u.status == UnitStatus.COMPLETED);
      if (claimable && (best == null || r.priority > best.priority)) {
        best = r;
      }
    }
    if (best != null) {
      Row r = best;
      r.attempts = r.phase == JobPhase.WORK ? 1 : r.attempts + 1;
      r.phase = r.phase == JobPhase.WORK ? JobPhase.FINISH : r.phase;
      r.status = JobStatus.RUNNING;
      r.leaseOwner = owner;
      r.leaseExpiresAt = now.plus(lease);
      r.startedAt = r.startedAt == null ? now : r.startedAt;
      r.updatedAt = now;
      return Optional.of(
          new Claim(
              new TaskKey(r.id, -1),
              r.phase,
              r.kind,
              r.params,
              JobParams.empty(),
              r.checkpoint,
              r.progressCurrent,
              r.progressTotal,
              r.attempts,
              r.maxAttempts));
    }
    Row bestJob = null;
    UnitRow bestUnit = null;
    for (Row r : jobs.values()) {
      if (r.status != JobStatus.RUNNING
          || r.phase != JobPhase.WORK
          || !kinds.contains(r.kind)
          || bestJob != null && r.priority <= bestJob.priority) {
        continue;
      }
      for (UnitRow u : r.units) {
        if (!u.runAfter.isAfter(now)
            && (u.status == UnitStatus.QUEUED
                || u.status == UnitStatus.RUNNING && u.leaseExpiresAt.isBefore(now))) {
          bestJob = r;
          bestUnit = u;
          break;
        }
      }
    }
    if (bestUnit == null) {
      return Optional.empty();
    }
    UnitRow u = bestUnit;
    u.status = UnitStatus.RUNNING;
    u.leaseOwner = owner;
    u.leaseExpiresAt = now.plus(lease);
    u.attempts++;
    u.startedAt = u.startedAt == null ? now : u.startedAt;
    bestJob.updatedAt = now;
    return Optional.of(
        new Claim(
            new TaskKey(bestJob.id, u.unit),
            JobPhase.WORK,
            bestJob.kind,
            bestJob.params,
            u.params,
            u.checkpoint,
            u.progressCurrent,
            u.progressTotal,
            u.attempts,
            bestJob.maxAttempts));
  }

  @Override
  public synchronized boolean commitPlan(long jobId, String owner, List<WorkUnit> plan) {
    Row r = jobs.get(jobId);
    if (r == null
        || !owner.equals(r.leaseOwner)
        || r.phase != JobPhase.PLAN
        || !(r.status == JobStatus.RUNNING || r.status == JobStatus.PAUSED)) {
      return false;
    }
    Instant now = clock.instant();
    long total = 0;
    for (int i = 0; i < plan.size(); i++) {
      WorkUnit w = plan.get(i);
      UnitRow u = new UnitRow();
      u.unit = i;
      u.params = w.params();
      u.progressTotal = w.total();
      u.runAfter = now;
      r.units.add(u);
      total = total < 0 || w.total() < 0 ? -1 : total + w.total();
    }
    r.phase = JobPhase.WORK;
    r.leaseOwner = null;
    r.leaseExpiresAt = null;
    r.progressCurrent = 0;
    r.progressTotal = total;
    r.updatedAt = now;
    return true;
  }

  @Override
  public synchronized Map<TaskKey, JobStatus> heartbeat(
      String owner, Collection<TaskKey> held, Duration lease) {
    Instant now = clock.instant();
    Map<TaskKey, JobStatus> out = new HashMap<>();
    for (TaskKey k : held) {
      Row r = jobs.get(k.jobId());
      if (r == null) {
        continue;
      }
      if (k.jobLevel()) {
        if (owner.equals(r.leaseOwner)) {
          r.leaseExpiresAt = now.plus(lease);
          out.put(k, r.status);
        }
      } else {
        UnitRow u = unit(r, k.unit());
        if (u != null && owner.equals(u.leaseOwner)) {
          u.leaseExpiresAt = now.plus(lease);
          out.put(k, u.status == UnitStatus.RUNNING ? r.status : JobStatus.CANCELLED);
        }
      }
    }
    return out;
  }

  @Override
  public synchronized Optional<JobStatus> checkpoint(
      TaskKey key, String owner, JobParams checkpoint, long current, long total) {
    Row r = jobs.get(key.jobId());
    if (r == null) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    if (key.jobLevel()) {
      if (!owner.equals(r.leaseOwner)) {
        return Optional.empty();
      }
      r.checkpoint = checkpoint;
    } else {
      UnitRow u = unit(r, key.unit());
      if (u == null || !owner.equals(u.leaseOwner)) {
        return Optional.empty();
      }
      u.checkpoint = checkpoint;
      u.progressCurrent = current;
      u.progressTotal = total;
      refresh(r);
    }
    r.updatedAt = now;
    return Optional.of(r.status);
  }

  @Override
  public synchronized boolean completeUnit(
      TaskKey key, String owner, JobParams checkpoint, long current, long total) {
    Row r = jobs.get(key.jobId());
    UnitRow u = r == null ? null : unit(r, key.unit());
    if (u == null) {
      return false;
    }
    if (!owner.equals(u.leaseOwner) || u.status != UnitStatus.RUNNING) {
      return u.status == UnitStatus.COMPLETED;
    }
    Instant now = clock.instant();
    u.status = UnitStatus.COMPLETED;
    u.checkpoint = checkpoint;
    u.progressCurrent = current;
    u.progressTotal = total;
    u.leaseOwner = null;
    u.leaseExpiresAt = null;
    u.error = null;
    u.finishedAt = now;
    refresh(r);
    r.updatedAt = now;
    return true;
  }

  @Override
  public synchronized void releaseUnit(
      TaskKey key, String owner, JobParams checkpoint, long current, long total) {
    Row r = jobs.get(key.jobId());
    UnitRow u = r == null ? null : unit(r, key.unit());
    if (u == null || !owner.equals(u.leaseOwner) || u.status != UnitStatus.RUNNING) {
      return;
    }
    u.status = UnitStatus.QUEUED;
    u.checkpoint = checkpoint;
    u.progressCurrent = current;
    u.progressTotal = total;
    u.leaseOwner = null;
    u.leaseExpiresAt = null;
    u.attempts = Math.max(0, u.attempts - 1);
    refresh(r);
    r.updatedAt = clock.instant();
  }

  @Override
  public synchronized void fail(
      TaskKey key, String owner, String error, boolean retriable, Duration retryDelay) {
    Row r = jobs.get(key.jobId());
    if (r == null) {
      return;
    }
    Instant now = clock.instant();
    boolean failed;
    if (key.jobLevel()) {
      if (!owner.equals(r.leaseOwner)
          || !(r.status == JobStatus.RUNNING || r.status == JobStatus.PAUSED)) {
        return;
      }
      failed = !retriable || r.attempts >= r.maxAttempts;
      r.error = error;
      r.leaseOwner = null;
      r.leaseExpiresAt = null;
      r.runAfter = now.plus(retryDelay);
    } else {
      UnitRow u = unit(r, key.unit());
      if (u == null || !owner.equals(u.leaseOwner) || u.status != UnitStatus.RUNNING) {
        return;
      }
      failed = !retriable || u.attempts >= r.maxAttempts;
      u.status = failed ? UnitStatus.FAILED : UnitStatus.QUEUED;
      u.error = error;
      u.leaseOwner = null;
      u.leaseExpiresAt = null;
      u.runAfter = now.plus(retryDelay);
      r.error = key + ": " + error;
    }
    r.updatedAt = now;
    if (failed) {
      end(r, JobStatus.FAILED, key + ": " + error);
    }
  }

  @Override
  public synchronized boolean completeJob(long jobId, String owner) {
    Row r = jobs.get(jobId);
    if (r == null) {
      return false;
    }
    if (!owner.equals(r.leaseOwner)
        || !(r.status == JobStatus.RUNNING || r.status == JobStatus.PAUSED)) {
      return r.status == JobStatus.COMPLETED;
    }
    refresh(r);
    r.error = null;
    end(r, JobStatus.COMPLETED, null);
    return true;
  }

  @Override
  public synchronized void releaseJob(long jobId, String owner) {
    Row r = jobs.get(jobId);
    if (r != null && owner.equals(r.leaseOwner)) {
      r.leaseOwner = null;
      r.leaseExpiresAt = null;
      r.attempts = Math.max(0, r.attempts - 1);
      r.updatedAt = clock.instant();
    }
  }

  @Override
  public synchronized int releaseUnknown(String owner, Collection<TaskKey> held) {
    int n = 0;
    for (Row r : jobs.values()) {
      if (owner.equals(r.leaseOwner) && !held.contains(new TaskKey(r.id, -1))) {
        r.leaseOwner = null;
        r.leaseExpiresAt = null;
        r.attempts = Math.max(0, r.attempts - 1);
        n++;
      }
      for (UnitRow u : r.units) {
        if (owner.equals(u.leaseOwner)
            && u.status == UnitStatus.RUNNING
            && !held.contains(new TaskKey(r.id, u.unit))) {
          u.status = UnitStatus.QUEUED;
          u.leaseOwner = null;
          u.leaseExpiresAt = null;
          u.attempts = Math.max(0, u.attempts - 1);
          n++;
        }
      }
    }
    return n;
  }

  @Override
  public String toString() {
    return "InMemoryJobQueue[" + jobs.size() + " jobs]";
  }

  // ------------------------------------------------------------------------------ helpers

  private void end(Row r, JobStatus status, String error) {
    Instant now = clock.instant();
    r.status = status;
    r.error = error;
    r.finishedAt = now;
    r.updatedAt = now;
    if (status != JobStatus.CANCELLED) {
      r.leaseOwner = null;
      r.leaseExpiresAt = null;
    }
    for (UnitRow u : r.units) {
      if (u.status == UnitStatus.QUEUED || u.status == UnitStatus.RUNNING) {
        u.status = UnitStatus.CANCELLED;
        u.finishedAt = now;
      }
    }
  }

  private static void refresh(Row r) {
    long sum = 0;
    for (UnitRow u : r.units) {
      sum += u.progressCurrent;
    }
    r.progressCurrent = sum;
  }

  private static UnitRow unit(Row r, int unit) {
    return unit >= 0 && unit < r.units.size() ? r.units.get(unit) : null;
  }

  private static Row require(Row r, long id) {
    if (r == null) {
      throw Jobs.notFound(id);
    }
    return r;
  }

  private static Job view(Row r) {
    int queued = 0;
    int running = 0;
    int completed = 0;
    int failed = 0;
    int cancelled = 0;
    for (UnitRow u : r.units) {
      switch (u.status) {
        case QUEUED -> queued++;
        case RUNNING -> running++;
        case COMPLETED -> completed++;
        case FAILED -> failed++;
        case CANCELLED -> cancelled++;
      }
    }
    return new Job(
        r.id,
        r.kind,
        r.params,
        r.status,
        r.phase,
        r.priority,
        r.progressCurrent,
        r.progressTotal,
        r.checkpoint,
        r.attempts,
        r.maxAttempts,
        r.error,
        r.leaseOwner,
        r.leaseExpiresAt,
        r.createdAt,
        r.startedAt,
        r.updatedAt,
        r.finishedAt,
        new UnitCounts(r.units.size(), queued, running, completed, failed, cancelled));
  }
}
