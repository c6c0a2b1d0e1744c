package dev.portfolio.maintenance.jobs;

import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.error.NonRetriableException;
import dev.portfolio.core.error.PortfolioException;
import dev.portfolio.core.error.RetriableException;
import dev.portfolio.core.validation.Inputs;
import dev.portfolio.maintenance.jobs.Coordination.Claim;
import dev.portfolio.maintenance.jobs.Coordination.TaskKey;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes jobs from a {@link JobQueue} and runs them with the handlers of their kinds. Start one (or
 * several) in every application instance that should share the work:
 *
 * <pre>{@code
 * JobWorker worker = JobWorker.builder(PgJobQueue.on(store))
 *     .handlers(ReembedJobHandler.of(maintenance), SwitchJobHandler.of(maintenance))
 *     .concurrency(2)                       // units at once in this JVM
 *     .lease(Duration.ofSeconds(60))
 *     .build()
 *     .start();
 * ...
 * worker.close();                           // at shutdown: running units go back to the queue
 * }</pre>
 *
 * <p>Each of the {@code concurrency} slots claims a job to plan or finish, or else a work unit,
 * with {@code FOR UPDATE SKIP LOCKED} (on PostgreSQL), and runs it. A heartbeat renews the leases
 * of everything the worker holds every {@code heartbeat}, and tells running units when their job
 * was paused or cancelled. A worker that dies stops renewing; when its leases expire, any other
 * worker claims the units and resumes them from their last checkpoint. A worker that cannot renew a
 * lease for longer than the lease stops that unit by itself, since another worker may have taken it
 * over.
 *
 * <p>Claims are made one at a time per worker; when the answer to a claim is lost (the connection
 * broke after the commit), the worker gives back whatever the database says it holds and it does
 * not know of, so such a claim is neither lost nor run twice.
 *
 * @since 0.1.0
 */
public final class JobWorker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JobWorker.class);
  private static final AtomicLong WORKERS = new AtomicLong();

  private final Coordination coordination;
  private final Map<String, JobHandler> handlers;
  private final int concurrency;
  private final Duration lease;
  private final Duration heartbeat;
  private final Duration pollInterval;
  private final Duration checkpointInterval;
  private final Duration retryDelay;
  private final Duration shutdownTimeout;
  private final String id;
  private final Map<TaskKey, TaskContext> active = new ConcurrentHashMap<>();
  private final Object claimLock = new Object();
  private final Object lifecycle = new Object();
  private final CountDownLatch closed = new CountDownLatch(1);
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicLong completed = new AtomicLong();
  private volatile boolean closing;
  private volatile boolean started;

  private JobWorker(Builder b) {
    this.coordination = (Coordination) b.queue;
    this.handlers = Map.copyOf(b.handlers);
    this.concurrency = b.concurrency;
    this.lease = b.lease;
    this.heartbeat = b.heartbeat == null ? b.lease.dividedBy(3) : b.heartbeat;
    this.pollInterval = b.pollInterval;
    this.checkpointInterval = b.checkpointInterval;
    this.retryDelay = b.retryDelay;
    this.shutdownTimeout = b.shutdownTimeout;
    this.id = b.workerId == null ? defaultId() : b.workerId;
  }

  /**
   * Starts building a worker on a queue.
   *
   * @param queue a {@link PgJobQueue} or an {@link InMemoryJobQueue}
   * @return a builder
   */
  public static Builder builder(JobQueue queue) {
    return new Builder(queue);
  }

  /**
   * Starts the slots and the heartbeat. Returns at once; the work runs on daemon threads named
   * {@code portfolio-jobs-<n>-...}.
   *
   * @return this worker
   * @throws IllegalStateException when started before or closed
   */
  public JobWorker start() {
    synchronized (lifecycle) {
      if (started || closing) {
        throw new IllegalStateException("Worker " + id + " was already started or closed");
      }
      started = true;
      long n = WORKERS.incrementAndGet();
      for (int i = 1; i <= concurrency; i++) {
        threads.add(daemon("portfolio-jobs-" + n + "-slot-" + i, this::slot));
      }
      threads.add(daemon("portfolio-jobs-" + n + "-heartbeat", this::heartbeats));
      threads.forEach(Thread::start);
    }
    LOG.info(
        "Job worker {} started: kinds {}, {} slot(s), lease {} s, heartbeat {} ms",
        id,
        handlers.keySet(),
        concurrency,
        lease.toSeconds(),
        heartbeat.toMillis());
    return this;
  }

  /**
   * Returns this worker's id, the lease owner recorded in the queue.
   *
   * @return the id (default: {@code pid@host/random})
   */
  public String id() {
    return id;
  }

  /**
   * Returns how many units and job steps this worker completed.
   *
   * @return the count since start
   */
  public long completed() {
    return completed.get();
  }

  /**
   * Returns the tasks this worker holds now.
   *
   * @return descriptions such as {@code job 12 unit 3}
   */
  public List<String> holding() {
    return active.keySet().stream().map(TaskKey::toString).sorted().toList();
  }

  /**
   * Stops the worker: no new claims; running units stop at their next batch boundary, commit their
   * checkpoint and go back to the queue (without using up an attempt), so another worker takes them
   * over at once. Waits up to the shutdown timeout for that.
   */
  @Override
  public void close() {
    synchronized (lifecycle) {
      if (closing) {
        return;
      }
      closing = true;
    }
    closed.countDown();
    List<Thread> running;
    synchronized (lifecycle) {
      running = List.copyOf(threads);
    }
    long deadline = System.nanoTime() + shutdownTimeout.toNanos();
    for (Thread t : running) {
      long left = deadline - System.nanoTime();
      if (left > 0) {
        try {
          t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    for (Thread t : running) {
      if (t.isAlive()) {
        LOG.warn("Job worker {}: {} did not stop in time; its leases will expire", id, t.getName());
        t.interrupt();
      }
    }
    LOG.info("Job worker {} stopped after completing {} task(s)", id, completed.get());
  }

  @Override
  public String toString() {
    return "JobWorker[id="
        + id
        + ", kinds="
        + handlers.keySet()
        + ", concurrency="
        + concurrency
        + ", lease="
        + lease
        + "]";
  }

  // ------------------------------------------------------------------------------ for contexts

  Coordination coordination() {
    return coordination;
  }

  long checkpointIntervalNanos() {
    return checkpointInterval.toNanos();
  }

  long leaseNanos() {
    return lease.toNanos();
  }

  boolean closing() {
    return closing;
  }

  // ------------------------------------------------------------------------------ the slots

  private void slot() {
    int failures = 0;
    while (!closing) {
      TaskContext task;
      try {
        task = claim();
        failures = 0;
      } catch (RuntimeException e) {
        failures++;
        LOG.warn("Job worker {} could not claim work: {}", id, e.getMessage());
        reconcile();
        pause(backoff(failures, Duration.ofMillis(200), pollInterval.multipliedBy(5)));
        continue;
      }
      if (task == null) {
        pause(pollInterval);
        continue;
      }
      try {
        execute(task);
      } finally {
        active.remove(task.key());
      }
    }
  }

  private TaskContext claim() {
    synchronized (claimLock) {
      if (closing) {
        return null;
      }
      long before = System.nanoTime();
      Optional<Claim> claim = coordination.claim(id, handlers.keySet(), lease);
      if (claim.isEmpty()) {
        return null;
      }
      TaskContext task = new TaskContext(this, claim.get(), before);
      active.put(task.key(), task);
      return task;
    }
  }

  /** Gives back claims whose answers were lost; under the claim lock, so none is in flight. */
  private void reconcile() {
    synchronized (claimLock) {
      try {
        int n =
            retrying(
                "giving back unknown claims",
                () -> coordination.releaseUnknown(id, Set.copyOf(active.keySet())));
        if (n > 0) {
          LOG.info("Job worker {} gave back {} claim(s) whose answer it never received", id, n);
        }
      } catch (RuntimeException e) {
        LOG.debug("Job worker {}: releasing unknown claims failed: {}", id, e.toString());
      }
    }
  }

  private void execute(TaskContext task) {
    Claim c = task.claim();
    TaskKey key = c.key();
    JobHandler handler = handlers.get(c.kind());
    if (c.attempt() > c.maxAttempts()) {
      retrying(
          "failing " + key,
          () -> {
            coordination.fail(
                key,
                id,
                "gave up after "
                    + c.maxAttempts()
                    + " attempts: workers holding it stopped renewing their lease (crashed or cut"
                    + " off) every time",
                false,
                Duration.ZERO);
            return null;
          });
      return;
    }
    LOG.debug(
        "Job worker {} runs {} ({} {}, attempt {})", id, key, c.kind(), c.phase(), c.attempt());
    try {
      switch (c.phase()) {
        case PLAN -> plan(task, handler);
        case WORK -> work(task, handler);
        case FINISH -> finish(task, handler);
      }
    } catch (RuntimeException | Error e) {
      if (task.stopReason().orElse(null) == StopReason.LEASE_LOST) {
        LOG.warn("{} failed after its lease was lost: {}", key, e.toString());
      } else {
        boolean retriable = !(e instanceof NonRetriableException) && !(e instanceof Error);
        Duration delay = retryDelay(c.attempt(), e);
        LOG.warn(
            "{} ({}) failed on attempt {} of {}{}: {}",
            key,
            c.kind(),
            c.attempt(),
            c.maxAttempts(),
            retriable && c.attempt() < c.maxAttempts()
                ? "; retried in " + delay.toMillis() + " ms"
                : "; the job fails",
            e.toString());
        retrying(
            "failing " + key,
            () -> {
              coordination.fail(key, id, Jobs.describe(e), retriable, delay);
              return null;
            });
      }
      if (e instanceof Error err && !(e instanceof AssertionError)) {
        throw err;
      }
    }
  }

  private void plan(TaskContext task, JobHandler handler) {
    List<WorkUnit> units = handler.plan(task);
    if (units == null || units.isEmpty()) {
      throw new NonRetriableException(
          dev.portfolio.core.error.ErrorCode.INTERNAL,
          "The "
              + task.kind()
              + " handler planned no work unit for job "
              + task.jobId()
              + "; a plan needs at least one (WorkUnit.whole(total) for an undivided job)");
    }
    Optional<StopReason> reason = task.stopReason();
    if (reason.isPresent() && reason.get() != StopReason.SHUTDOWN) {
      return;
    }
    boolean committed =
        retrying(
            "committing the plan of job " + task.jobId(),
            () -> coordination.commitPlan(task.jobId(), id, units));
    if (committed) {
      completed.incrementAndGet();
      LOG.info("Job {} ({}) planned: {} unit(s)", task.jobId(), task.kind(), units.size());
    }
  }

  private void work(TaskContext task, JobHandler handler) {
    UnitOutcome outcome = handler.run(task);
    TaskKey key = task.key();
    if (outcome == UnitOutcome.DONE) {
      if (task.stopReason().orElse(null) == StopReason.LEASE_LOST) {
        LOG.warn(
            "{} finished after its lease was lost; the worker that took it over completes it", key);
        return;
      }
      boolean done =
          retrying(
              "completing " + key,
              () ->
                  coordination.completeUnit(
                      key, id, task.lastCheckpoint(), task.lastCurrent(), task.lastTotal()));
      if (done) {
        completed.incrementAndGet();
      }
      return;
    }
    StopReason reason = task.stopReason().orElse(StopReason.SHUTDOWN);
    switch (reason) {
      case PAUSED, SHUTDOWN -> {
        retrying(
            "releasing " + key,
            () -> {
              coordination.releaseUnit(
                  key, id, task.lastCheckpoint(), task.lastCurrent(), task.lastTotal());
              return null;
            });
        LOG.info("{} stopped ({}) and went back to the queue", key, reason);
      }
      case CANCELLED -> LOG.info("{} stopped: its job was cancelled or failed", key);
      case LEASE_LOST -> LOG.warn("{} stopped: worker {} lost its lease", key, id);
    }
  }

  private void finish(TaskContext task, JobHandler handler) {
    handler.finish(task);
    StopReason reason = task.stopReason().orElse(null);
    if (reason == StopReason.SHUTDOWN) {
      retrying(
          "releasing job " + task.jobId(),
          () -> {
            coordination.releaseJob(task.jobId(), id);
            return null;
          });
      return;
    }
    if (reason == StopReason.LEASE_LOST || reason == StopReason.CANCELLED) {
      return;
    }
    if (retrying(
        "completing job " + task.jobId(), () -> coordination.completeJob(task.jobId(), id))) {
      completed.incrementAndGet();
      LOG.info("Job {} ({}) completed", task.jobId(), task.kind());
    }
  }

  // ------------------------------------------------------------------------------ the heartbeat

  private void heartbeats() {
    while (!closing || !active.isEmpty()) {
      long started = System.nanoTime();
      Set<TaskKey> held = Set.copyOf(active.keySet());
      if (!held.isEmpty()) {
        try {
          Map<TaskKey, JobStatus> answer = coordination.heartbeat(id, held, lease);
          for (TaskKey k : held) {
            TaskContext task = active.get(k);
            if (task == null) {
              continue;
            }
            JobStatus status = answer.get(k);
            if (status == null) {
              task.lost();
            } else {
              task.confirm(status, started);
            }
          }
        } catch (RuntimeException e) {
          LOG.warn("Job worker {} could not renew its leases: {}", id, e.getMessage());
        }
      }
      long left = heartbeat.toNanos() - (System.nanoTime() - started);
      if (left > 0) {
        try {
          TimeUnit.NANOSECONDS.sleep(left);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  // ------------------------------------------------------------------------------ helpers

  /**
   * Retries a coordination call that failed transiently (a lost connection), for up to two leases:
   * every call is guarded by the lease owner, so retrying after another worker took the task over
   * changes nothing.
   */
  private <T> T retrying(String what, Supplier<T> call) {
    long deadline = System.nanoTime() + 2 * lease.toNanos();
    int attempt = 0;
    while (true) {
      attempt++;
      try {
        return call.get();
      } catch (RetriableException e) {
        if (System.nanoTime() > deadline) {
          LOG.error(
              "Job worker {}: {} failed for longer than two leases: {}", id, what, e.getMessage());
          throw e;
        }
        LOG.debug("Job worker {}: {} failed, retrying: {}", id, what, e.getMessage());
        sleep(backoff(attempt, Duration.ofMillis(20), Duration.ofMillis(500)));
      }
    }
  }

  private Duration retryDelay(int attempt, Throwable e) {
    Duration d = backoff(attempt, retryDelay, Duration.ofMinutes(15));
    if (e instanceof RetriableException r && r.retryAfter().isPresent()) {
      Duration after = r.retryAfter().get();
      if (after.compareTo(d) > 0) {
        d = after;
      }
    }
    return d;
  }

  private static Duration backoff(int attempt, Duration first, Duration max) {
    long nanos = first.toNanos();
    for (int i = 1; i < attempt && nanos < max.toNanos(); i++) {
      nanos *= 2;
    }
    return Duration.ofNanos(Math.min(nanos, max.toNanos()));
  }

  private void pause(Duration d) {
    try {
      closed.await(Math.max(1, d.toMillis()), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(Math.max(1, d.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PortfolioException(
          dev.portfolio.core.error.ErrorCode.CANCELLED, "Interrupted while retrying", e);
    }
  }

  private static Thread daemon(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  private static String defaultId() {
    byte[] b = new byte[3];
    ThreadLocalRandom.current().nextBytes(b);
    String name = ManagementFactory.getRuntimeMXBean().getName();
    return (name.length() > 100 ? name.substring(0, 100) : name)
        + "/"
        + HexFormat.of().formatHex(b);
  }

  /**
   * Builds a {@link JobWorker}. Not thread-safe. {@link #build()} validates every field and names
   * it in the message.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private final JobQueue queue;
    private final Map<String, JobHandler> handlers = new LinkedHashMap<>();
    private int concurrency = 1;
    private Duration lease = Duration.ofSeconds(60);
    private Duration heartbeat;
    private Duration pollInterval = Duration.ofSeconds(1);
    private Duration checkpointInterval = Duration.ofSeconds(1);
    private Duration retryDelay = Duration.ofSeconds(10);
    private Duration shutdownTimeout = Duration.ofSeconds(30);
    private String workerId;

    private Builder(JobQueue queue) {
      this.queue = queue;
    }

    /**
     * Adds handlers; the worker takes jobs of their kinds only.
     *
     * @param values handlers of distinct kinds
     * @return this builder
     */
    public Builder handlers(JobHandler... values) {
      for (JobHandler h : values) {
        handler(h);
      }
      return this;
    }

    /**
     * Adds handlers; the worker takes jobs of their kinds only.
     *
     * @param values handlers of distinct kinds
     * @return this builder
     */
    public Builder handlers(List<? extends JobHandler> values) {
      values.forEach(this::handler);
      return this;
    }

    /**
     * Adds a handler.
     *
     * @param value a handler of a kind not added yet
     * @return this builder
     */
    public Builder handler(JobHandler value) {
      Inputs.requireNonNull("worker.handler", value);
      String kind = JobRequest.requireKind(value.kind());
      if (handlers.putIfAbsent(kind, value) != null) {
        throw new InvalidInputException(
            "worker.handler", "Two handlers for kind '" + kind + "': keep one");
      }
      return this;
    }

    /**
     * Sets how many jobs or units this worker runs at once (each unit may itself run several
     * embedder calls at once, see {@code reembed.maxConcurrency}).
     *
     * @param value 1 to 64 (default: 1)
     * @return this builder
     */
    public Builder concurrency(int value) {
      concurrency = value;
      return this;
    }

    /**
     * Sets how long a claim holds without a heartbeat: after a crash, another worker resumes the
     * work this long after the last heartbeat.
     *
     * @param value 1 s to 1 h (default: 60 s)
     * @return this builder
     */
    public Builder lease(Duration value) {
      lease = value;
      return this;
    }

    /**
     * Sets how often the leases are renewed and the worker learns of pauses and cancellations.
     *
     * @param value at least 10 ms and less than half the lease (default: a third of the lease)
     * @return this builder
     */
    public Builder heartbeat(Duration value) {
      heartbeat = value;
      return this;
    }

    /**
     * Sets how long an idle slot waits before looking for work again.
     *
     * @param value 10 ms to 10 min (default: 1 s)
     * @return this builder
     */
    public Builder pollInterval(Duration value) {
      pollInterval = value;
      return this;
    }

    /**
     * Sets how often a unit's checkpoint is committed at most; a crash redoes the work since the
     * last one.
     *
     * @param value 0 (every checkpoint) to 10 min (default: 1 s)
     * @return this builder
     */
    public Builder checkpointInterval(Duration value) {
      checkpointInterval = value;
      return this;
    }

    /**
     * Sets the wait before a failed unit is tried again; it doubles with every attempt, up to 15
     * minutes, or follows the embedder's {@code Retry-After} when that is longer.
     *
     * @param value 0 to 1 h (default: 10 s)
     * @return this builder
     */
    public Builder retryDelay(Duration value) {
      retryDelay = value;
      return this;
    }

    /**
     * Sets how long {@link JobWorker#close()} waits for running units to stop.
     *
     * @param value 0 to 1 h (default: 30 s)
     * @return this builder
     */
    public Builder shutdownTimeout(Duration value) {
      shutdownTimeout = value;
      return this;
    }

    /**
     * Sets the id recorded as lease owner.
     *
     * @param value 1 to 200 characters, unique among workers (default: {@code pid@host/random})
     * @return this builder
     */
    public Builder workerId(String value) {
      workerId = value;
      return this;
    }

    /**
     * Validates every field and builds the worker (not started).
     *
     * @return the worker
     * @throws InvalidInputException naming the first invalid field
     */
    public JobWorker build() {
      Inputs.requireNonNull("worker.queue", queue);
      if (!(queue instanceof Coordination)) {
        throw new InvalidInputException(
            "worker.queue",
            "worker.queue must be a PgJobQueue or an InMemoryJobQueue (was "
                + queue.getClass().getName()
                + ")");
      }
      if (handlers.isEmpty()) {
        throw new InvalidInputException(
            "worker.handlers",
            "worker.handlers is empty: add the handlers of the kinds this worker runs, e.g."
                + " ReembedJobHandler.of(maintenance)");
      }
      Inputs.between("worker.concurrency", concurrency, 1, 64);
      between("worker.lease", lease, Duration.ofSeconds(1), Duration.ofHours(1));
      if (heartbeat != null) {
        between("worker.heartbeat", heartbeat, Duration.ofMillis(10), lease.dividedBy(2));
        if (heartbeat.compareTo(lease.dividedBy(2)) >= 0) {
          throw new InvalidInputException(
              "worker.heartbeat",
              "worker.heartbeat must be less than half the lease ("
                  + lease.dividedBy(2).toMillis()
                  + " ms) (was "
                  + heartbeat.toMillis()
                  + " ms)");
        }
      }
      between("worker.pollInterval", pollInterval, Duration.ofMillis(10), Duration.ofMinutes(10));
      between(
          "worker.checkpointInterval", checkpointInterval, Duration.ZERO, Duration.ofMinutes(10));
      between("worker.retryDelay", retryDelay, Duration.ZERO, Duration.ofHours(1));
      between("worker.shutdownTimeout", shutdownTimeout, Duration.ZERO, Duration.ofHours(1));
      if (workerId != null && (workerId.isBlank() || workerId.length() > 200)) {
        throw new InvalidInputException(
            "worker.workerId",
            "worker.workerId must have 1 to 200 characters (was '" + workerId + "')");
      }
      return new JobWorker(this);
    }

    private static void between(String field, Duration value, Duration min, Duration max) {
      Inputs.requireNonNull(field, value);
      if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
        throw new InvalidInputException(
            field,
            field
                + " must be between "
                + min.toMillis()
                + " ms and "
                + max.toMillis()
                + " ms (was "
                + value.toMillis()
                + " ms)");
      }
    }
  }
}
