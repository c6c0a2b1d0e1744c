package dev.portfolio.examples.hostapp;

import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.model.CollectionInfo;
import dev.portfolio.core.model.EmbeddingSet;
import dev.portfolio.core.spi.Embedder;
import dev.portfolio.maintenance.Maintenance;
import dev.portfolio.maintenance.cleanup.DeletedCleanupOptions;
import dev.portfolio.maintenance.cleanup.OrphanCleanupOptions;
import dev.portfolio.maintenance.health.HealthCheckOptions;
import dev.portfolio.maintenance.health.HealthReport;
import dev.portfolio.maintenance.health.HealthStatus;
import dev.portfolio.maintenance.retry.RetryOptions;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A nightly maintenance job as a host application would write it: a list of named steps run one
 * after the other on a single-threaded {@link ScheduledExecutorService}, each logged through SLF4J
 * with its outcome and time. A step that fails is logged and the next one runs. {@link #close()}
 * (from a shutdown hook) asks a running step to stop at its next batch boundary and waits for it.
 *
 * <pre>{@code
 * NightlyMaintenance job = NightlyMaintenance.builder(maintenance)
 *     .steps(NightlyMaintenance.standardSteps(Duration.ofDays(7)))
 *     .step("reindex-nightly", (m, stopping) -> ...)   // a step of your own
 *     .build();
 * job.scheduleDaily(LocalTime.of(2, 0), ZoneId.systemDefault());
 * Runtime.getRuntime().addShutdownHook(new Thread(job::close));
 * }</pre>
 */
public final class NightlyMaintenance implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NightlyMaintenance.class);

  /**
   * What a step does.
   *
   * @since 0.1.0
   */
  @FunctionalInterface
  public interface Action {
    /**
     * Runs the step.
     *
     * @param maintenance the facade
     * @param stopping true once the job is asked to stop; pass it as a cancellation
     * @return a one-line summary for the log
     * @throws RuntimeException when the step fails; the job logs it and runs the next step
     */
    String run(Maintenance maintenance, BooleanSupplier stopping);
  }

  /**
   * A named step of the job.
   *
   * @param name the name in logs and reports
   * @param action what it does
   */
  public record Step(String name, Action action) {
    /** Validates the components. */
    public Step {
      if (name == null || name.isBlank()) {
        throw new InvalidInputException("step.name", "a step needs a name (was blank)");
      }
      Objects.requireNonNull(action, "action");
    }
  }

  /**
   * The outcome of one step in one run.
   *
   * @param name the step's name
   * @param ok false when it threw
   * @param summary its summary, or the error's message
   * @param elapsed its wall time
   */
  public record StepOutcome(String name, boolean ok, String summary, Duration elapsed) {}

  /**
   * The outcome of one run.
   *
   * @param started when the run started
   * @param steps each step's outcome, in order
   */
  public record RunReport(Instant started, List<StepOutcome> steps) {
    /** Copies the list. */
    public RunReport {
      steps = List.copyOf(steps);
    }

    /**
     * Tells whether every step succeeded.
     *
     * @return true when no step failed
     */
    public boolean ok() {
      return steps.stream().allMatch(StepOutcome::ok);
    }
  }

  private final Maintenance maintenance;
  private final List<Step> steps;
  private final ScheduledExecutorService scheduler;
  private final AtomicBoolean stopping = new AtomicBoolean();

  private NightlyMaintenance(Builder b) {
    this.maintenance = b.maintenance;
    this.steps = List.copyOf(b.steps);
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "portfolio-nightly-maintenance");
              t.setDaemon(false);
              return t;
            });
  }

  /**
   * Starts a builder.
   *
   * @param maintenance the facade the steps call, with an embedder for {@code retry-failed}
   * @return the builder
   */
  public static Builder builder(Maintenance maintenance) {
    return new Builder(Objects.requireNonNull(maintenance, "maintenance"));
  }

  /**
   * Returns the standard steps, each working on every collection: {@code statistics}, {@code
   * diagnostics}, {@code retry-failed} (collections whose active model is the facade's embedder's),
   * {@code cleanup-deleted}, {@code cleanup-orphans} and {@code health} (a health check without
   * repairs, after the others; a FAIL fails the step).
   *
   * @param purgeDeletedAfter how long a soft-deleted document is kept before it is purged; {@link
   *     Duration#ZERO} purges every one
   * @return the steps
   */
  public static List<Step> standardSteps(Duration purgeDeletedAfter) {
    Objects.requireNonNull(purgeDeletedAfter, "purgeDeletedAfter");
    return List.of(
        new Step("statistics", (m, stop) -> m.statistics(null).toString()),
        new Step("diagnostics", (m, stop) -> m.diagnostics().toString()),
        new Step("retry-failed", NightlyMaintenance::retryFailed),
        new Step(
            "cleanup-deleted",
            (m, stop) ->
                m.cleanupDeleted(
                        DeletedCleanupOptions.builder()
                            .olderThan(purgeDeletedAfter.isZero() ? null : purgeDeletedAfter)
                            .cancellation(stop)
                            .build())
                    .toString()),
        new Step(
            "cleanup-orphans",
            (m, stop) ->
                m.cleanupOrphans(OrphanCleanupOptions.builder().cancellation(stop).build())
                    .toString()),
        new Step("health", NightlyMaintenance::health));
  }

  /** The health check, last: a FAIL fails the step, so the run's report says so. */
  private static String health(Maintenance m, BooleanSupplier stopping) {
    HealthReport report = m.healthCheck(HealthCheckOptions.defaults());
    if (report.status() == HealthStatus.FAIL) {
      throw new IllegalStateException(
          report.summary()
              + "; failing checks: "
              + report.failures().stream()
                  .map(c -> c.kind().id() + " (" + c.detail() + ")")
                  .toList());
    }
    return report.summary();
  }

  private static String retryFailed(Maintenance m, BooleanSupplier stopping) {
    String model = m.embedder().map(Embedder::info).map(i -> i.modelRef()).orElse(null);
    List<String> done = new ArrayList<>();
    for (CollectionInfo c : m.store().listCollections()) {
      if (stopping.getAsBoolean()) {
        break;
      }
      String name = c.spec().name();
      EmbeddingSet active = m.store().activeSet(name);
      if (!active.model().equals(model)) {
        LOG.warn(
            "retry-failed skips collection {}: its model is {}, this job embeds with {}",
            name,
            active.model(),
            model);
        continue;
      }
      done.add(m.retryFailed(RetryOptions.builder(name).cancellation(stopping).build()).toString());
    }
    return done.isEmpty() ? "no collection to retry" : String.join("; ", done);
  }

  /**
   * Returns the steps, in order.
   *
   * @return the steps
   */
  public List<Step> steps() {
    return steps;
  }

  /**
   * Runs every step once, now, on the calling thread.
   *
   * @return each step's outcome
   */
  public RunReport runOnce() {
    Instant started = Instant.now();
    LOG.info("nightly maintenance: started, {} steps", steps.size());
    List<StepOutcome> outcomes = new ArrayList<>();
    for (Step step : steps) {
      if (stopping.get()) {
        LOG.info("nightly maintenance: stopping before step {}", step.name());
        break;
      }
      long t0 = System.nanoTime();
      try {
        String summary = step.action().run(maintenance, stopping::get);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - t0);
        LOG.info(
            "nightly maintenance: {} done in {} ms: {}", step.name(), elapsed.toMillis(), summary);
        outcomes.add(new StepOutcome(step.name(), true, summary, elapsed));
      } catch (RuntimeException e) {
        Duration elapsed = Duration.ofNanos(System.nanoTime() - t0);
        LOG.error("nightly maintenance: {} failed after {} ms", step.name(), elapsed.toMillis(), e);
        outcomes.add(new StepOutcome(step.name(), false, String.valueOf(e.getMessage()), elapsed));
      }
    }
    RunReport report = new RunReport(started, outcomes);
    LOG.info(
        "nightly maintenance: {} in {} ms",
        report.ok() ? "finished" : "finished with failures",
        Duration.between(started, Instant.now()).toMillis());
    return report;
  }

  /**
   * Schedules {@link #runOnce()} every day at a time of day, on the job's own thread.
   *
   * @param at the time of day
   * @param zone the time zone of {@code at}
   * @return the schedule; cancelled by {@link #close()}
   */
  public ScheduledFuture<?> scheduleDaily(LocalTime at, ZoneId zone) {
    Duration delay = untilNext(ZonedDateTime.now(zone), at);
    LOG.info(
        "nightly maintenance: scheduled daily at {} {} (first run in {} min)",
        at,
        zone,
        delay.toMinutes());
    return scheduler.scheduleAtFixedRate(
        this::runScheduled, delay.toMillis(), TimeUnit.DAYS.toMillis(1), TimeUnit.MILLISECONDS);
  }

  /**
   * Returns the wait until the next occurrence of a time of day.
   *
   * @param now the current time
   * @param at the time of day
   * @return the wait, more than 0 and at most one day
   */
  static Duration untilNext(ZonedDateTime now, LocalTime at) {
    ZonedDateTime next = now.with(at);
    if (!next.isAfter(now)) {
      next = now.plusDays(1).with(at);
    }
    return Duration.between(now, next);
  }

  private void runScheduled() {
    try {
      runOnce();
    } catch (RuntimeException e) {
      // Never let an exception cancel the schedule's next runs.
      LOG.error("nightly maintenance: run failed", e);
    }
  }

  /**
   * Stops the job: no new run starts, a running step is asked to stop at its next batch boundary,
   * and the call waits up to a minute for it. Safe to call twice and from a shutdown hook.
   */
  @Override
  public void close() {
    if (stopping.getAndSet(true)) {
      return;
    }
    LOG.info("nightly maintenance: shutting down");
    scheduler.shutdown();
    try {
      if (!scheduler.awaitTermination(1, TimeUnit.MINUTES)) {
        LOG.warn("nightly maintenance: a step still runs after 1 minute; interrupting it");
        scheduler.shutdownNow();
      }
    } catch (InterruptedException e) {
      scheduler.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /** Builds a {@link NightlyMaintenance}. */
  public static final class Builder {
    private final Maintenance maintenance;
    private final List<Step> steps = new ArrayList<>();

    private Builder(Maintenance maintenance) {
      this.maintenance = maintenance;
    }

    /**
     * Adds steps, after those added before.
     *
     * @param value the steps
     * @return this builder
     */
    public Builder steps(List<Step> value) {
      value.forEach(s -> steps.add(Objects.requireNonNull(s, "step")));
      return this;
    }

    /**
     * Adds a step after those added before.
     *
     * @param name its name
     * @param action what it does
     * @return this builder
     */
    public Builder step(String name, Action action) {
      steps.add(new Step(name, action));
      return this;
    }

    /**
     * Builds the job.
     *
     * @return the job
     * @throws InvalidInputException when there is no step or two steps share a name
     */
    public NightlyMaintenance build() {
      if (steps.isEmpty()) {
        throw new InvalidInputException(
            "steps", "nightly maintenance needs at least one step (was none)");
      }
      List<String> names = steps.stream().map(Step::name).toList();
      for (String n : names) {
        if (names.indexOf(n) != names.lastIndexOf(n)) {
          throw new InvalidInputException(
              "steps", "nightly maintenance step names must be unique ('" + n + "' is repeated)");
        }
      }
      return new NightlyMaintenance(this);
    }
  }
}
