package dev.portfolio.maintenance.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.PortfolioException;
import dev.portfolio.maintenance.jobs.Coordination.Claim;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link JobQueue} must do, with workers: the states, pause, resume, cancel, leases,
 * attempts, checkpoints. Extended once per implementation.
 */
abstract class JobQueueContract {
  private static final AtomicInteger KINDS = new AtomicInteger();
  static final Duration WAIT = Duration.ofSeconds(30);

  private final List<JobWorker> workers = new ArrayList<>();
  protected JobQueue queue;
  private String kind;

  /** Returns an empty queue (for PostgreSQL: the same tables, emptied). */
  protected abstract JobQueue emptyQueue();

  @BeforeEach
  void open() {
    queue = emptyQueue();
    kind = "step" + KINDS.incrementAndGet();
  }

  @AfterEach
  void closeWorkers() {
    workers.forEach(JobWorker::close);
  }

  private JobWorker worker(StepHandler handler) {
    return worker(handler, 2);
  }

  private JobWorker worker(StepHandler handler, int concurrency) {
    JobWorker w =
        JobWorker.builder(queue)
            .handler(handler)
            .lease(Duration.ofSeconds(2))
            .heartbeat(Duration.ofMillis(100))
            .pollInterval(Duration.ofMillis(20))
            .checkpointInterval(Duration.ZERO)
            .retryDelay(Duration.ofMillis(10))
            .shutdownTimeout(Duration.ofSeconds(10))
            .concurrency(concurrency)
            .build();
    workers.add(w);
    return w.start();
  }

  private Job submit(int units, int steps) {
    return queue.submit(
        JobRequest.builder(kind)
            .param("units", Integer.toString(units))
            .param("steps", Integer.toString(steps))
            .build());
  }

  private Job await(long id, JobStatus status) {
    return Await.value(
        WAIT, "job " + id + " " + status, () -> queue.require(id), j -> j.status() == status);
  }

  private JobUnit unit(long id, int n) {
    return queue.units(id).get(n);
  }

  private Coordination coordination() {
    return (Coordination) queue;
  }

  @Test
  void aSubmittedJobIsQueuedAndListedWithCountsByState() {
    Job a = submit(1, 1);
    Job b = submit(1, 1);
    assertThat(a.status()).isEqualTo(JobStatus.QUEUED);
    assertThat(a.phase()).isEqualTo(JobPhase.PLAN);
    assertThat(a.params().intValue("units", 0)).isEqualTo(1);
    assertThat(a.progressTotal()).isEqualTo(-1);
    assertThat(a.units()).isEqualTo(UnitCounts.NONE);
    queue.cancel(b.id());

    JobList all = queue.list(JobQuery.all());
    assertThat(all.jobs()).extracting(Job::id).containsExactly(b.id(), a.id());
    assertThat(all.counts().get(JobStatus.QUEUED)).isEqualTo(1);
    assertThat(all.counts().get(JobStatus.CANCELLED)).isEqualTo(1);
    assertThat(all.counts().get(JobStatus.RUNNING)).isZero();
    assertThat(queue.list(JobQuery.all().withStatus(JobStatus.QUEUED)).jobs())
        .extracting(Job::id)
        .containsExactly(a.id());
    assertThat(queue.list(JobQuery.all().withLimit(1)).nextBefore()).isEqualTo(b.id());
    assertThat(queue.list(JobQuery.all().before(b.id())).jobs())
        .extracting(Job::id)
        .containsExactly(a.id());
    assertThat(queue.list(JobQuery.all().withKind("other")).jobs()).isEmpty();
    assertThat(queue.get(a.id() + 1000)).isEmpty();
    assertThat(queue.counts().get(JobStatus.QUEUED)).isEqualTo(1);
  }

  @Test
  void aWorkerPlansRunsAndFinishesAJobAcrossItsUnits() {
    StepHandler h = new StepHandler(kind, false);
    Job job = submit(3, 4);
    worker(h);

    Job done = await(job.id(), JobStatus.COMPLETED);

    assertThat(h.planned).containsExactly(job.id());
    assertThat(h.finished).containsExactly(job.id());
    for (int u = 0; u < 3; u++) {
      assertThat(h.stepsOf(job.id(), u)).containsExactly(0, 1, 2, 3);
      assertThat(unit(job.id(), u).status()).isEqualTo(UnitStatus.COMPLETED);
      assertThat(unit(job.id(), u).checkpoint().intValue("step", 0)).isEqualTo(4);
    }
    assertThat(done.progressCurrent()).isEqualTo(12);
    assertThat(done.progressTotal()).isEqualTo(12);
    assertThat(done.units()).isEqualTo(new UnitCounts(3, 0, 0, 3, 0, 0));
    assertThat(done.finishedAt()).isNotNull();
    assertThat(done.leaseOwner()).isNull();
    assertThat(done.summary())
        .startsWith(
            "job " + job.id() + " " + kind + " completed: 12 of 12 (100.0%), units 3/3 done");
  }

  @Test
  void aPlanThatTakesLongerThanTheLeaseKeepsItThroughHeartbeats() {
    StepHandler slow =
        new StepHandler(kind, false) {
          @Override
          public List<WorkUnit> plan(JobContext job) {
            long end = System.nanoTime() + Duration.ofMillis(3500).toNanos();
            while (System.nanoTime() < end) {
              assertThat(job.stopRequested()).as("stop requested while planning").isFalse();
              try {
                Thread.sleep(20);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
              }
            }
            return super.plan(job);
          }
        };
    Job job = submit(1, 1);
    worker(slow);
    await(job.id(), JobStatus.COMPLETED);
    assertThat(slow.planned).containsExactly(job.id());
    assertThat(queue.require(job.id()).attempts()).isEqualTo(1);
  }

  @Test
  void higherPriorityRunsFirst() {
    StepHandler h = new StepHandler(kind, false);
    Job low = submit(1, 1);
    Job high =
        queue.submit(
            JobRequest.builder(kind).param("units", "1").param("steps", "1").priority(5).build());
    // One slot: with two, both jobs are claimed at once and their plans race.
    worker(h, 1);
    await(low.id(), JobStatus.COMPLETED);
    await(high.id(), JobStatus.COMPLETED);
    assertThat(h.planned).containsExactly(high.id(), low.id());
  }

  @Test
  void pauseFinishesTheCurrentBatchThenWaitsAndResumeContinuesFromTheCheckpoint() {
    StepHandler h = new StepHandler(kind, true);
    Job job = submit(1, 5);
    worker(h);
    h.allow(2);
    Await.until(WAIT, "two steps", () -> h.stepsOf(job.id(), 0).size() == 2);

    Job paused = queue.pause(job.id());
    assertThat(paused.status()).isEqualTo(JobStatus.PAUSED);
    JobUnit released =
        Await.value(
            WAIT,
            "the unit back in the queue",
            () -> unit(job.id(), 0),
            u -> u.status() == UnitStatus.QUEUED);
    assertThat(released.checkpoint().intValue("step", 0)).isEqualTo(2);
    assertThat(released.progressCurrent()).isEqualTo(2);
    assertThat(released.leaseOwner()).isNull();
    assertThat(released.attempts()).as("a pause uses up no attempt").isZero();
    assertThat(h.stops).containsExactly(StopReason.PAUSED);
    assertThat(queue.pause(job.id()).status())
        .as("pausing again changes nothing")
        .isEqualTo(JobStatus.PAUSED);

    h.allow(10);
    Await.holds(
        Duration.ofMillis(300),
        "nothing runs while paused",
        () ->
            h.stepsOf(job.id(), 0).size() == 2 && unit(job.id(), 0).status() == UnitStatus.QUEUED);

    assertThat(queue.resume(job.id()).status()).isEqualTo(JobStatus.RUNNING);
    await(job.id(), JobStatus.COMPLETED);
    assertThat(h.stepsOf(job.id(), 0)).containsExactly(0, 1, 2, 3, 4);
    assertThat(h.runs.get(job.id() + "/0").get()).isEqualTo(2);
  }

  @Test
  void aCancelledQueuedJobNeverStarts() {
    StepHandler h = new StepHandler(kind, false);
    Job cancelled = submit(1, 1);
    assertThat(queue.cancel(cancelled.id()).status()).isEqualTo(JobStatus.CANCELLED);
    Job marker = submit(1, 1);
    worker(h);

    await(marker.id(), JobStatus.COMPLETED);

    assertThat(h.planned).containsExactly(marker.id());
    Job c = queue.require(cancelled.id());
    assertThat(c.status()).isEqualTo(JobStatus.CANCELLED);
    assertThat(c.startedAt()).isNull();
    assertThat(c.finishedAt()).isNotNull();
    assertThat(queue.cancel(cancelled.id()).status())
        .as("cancelling again changes nothing")
        .isEqualTo(JobStatus.CANCELLED);
  }

  @Test
  void aCancelledRunningJobStopsAtTheNextBatchBoundary() {
    StepHandler h = new StepHandler(kind, true);
    Job job = submit(2, 5);
    worker(h);
    Await.until(WAIT, "both units running", () -> queue.require(job.id()).units().running() == 2);
    h.allow(1);
    Await.until(WAIT, "a step", () -> h.steps.size() == 1);

    queue.cancel(job.id());

    Await.until(WAIT, "both units to stop", () -> h.stops.size() == 2);
    assertThat(h.stops).containsOnly(StopReason.CANCELLED);
    h.allow(10);
    Job c = queue.require(job.id());
    assertThat(c.status()).isEqualTo(JobStatus.CANCELLED);
    assertThat(c.units().cancelled()).isEqualTo(2);
    assertThat(h.steps).hasSize(1);
    assertThat(h.finished).isEmpty();
  }

  @Test
  void aPausedJobCanBeCancelled() {
    StepHandler h = new StepHandler(kind, true);
    Job job = submit(1, 5);
    worker(h);
    h.allow(1);
    Await.until(WAIT, "a step", () -> h.steps.size() == 1);
    queue.pause(job.id());
    Await.value(
        WAIT, "the unit released", () -> unit(job.id(), 0), u -> u.status() == UnitStatus.QUEUED);

    Job c = queue.cancel(job.id());

    assertThat(c.status()).isEqualTo(JobStatus.CANCELLED);
    assertThat(unit(job.id(), 0).status()).isEqualTo(UnitStatus.CANCELLED);
    assertThatThrownBy(() -> queue.resume(job.id()))
        .isInstanceOf(PortfolioException.class)
        .hasMessageContaining("Job " + job.id() + " is cancelled and cannot be resumed")
        .satisfies(e -> assertThat(((PortfolioException) e).code()).isEqualTo(ErrorCode.CONFLICT));
    h.allow(10);
    Await.holds(Duration.ofMillis(200), "nothing runs", () -> h.steps.size() == 1);
  }

  @Test
  void finishedJobsRefuseControlWithAClearMessage() {
    StepHandler h = new StepHandler(kind, false);
    Job job = submit(1, 1);
    worker(h);
    await(job.id(), JobStatus.COMPLETED);

    assertThatThrownBy(() -> queue.pause(job.id()))
        .hasMessage("Job " + job.id() + " is completed and cannot be paused.");
    assertThatThrownBy(() -> queue.cancel(job.id()))
        .hasMessage("Job " + job.id() + " is completed and cannot be cancelled.");
    assertThatThrownBy(() -> queue.resume(424242))
        .isInstanceOf(PortfolioException.class)
        .hasMessageContaining("There is no job 424242")
        .satisfies(e -> assertThat(((PortfolioException) e).code()).isEqualTo(ErrorCode.NOT_FOUND));
  }

  @Test
  void aUnitWhoseWorkerDiedIsResumedFromItsCheckpointAfterTheLeaseExpires() {
    StepHandler h = new StepHandler(kind, false);
    Job job = submit(1, 5);
    Claim ghost = plannedAndClaimedByAGhost(job, Duration.ofMillis(300));
    coordination().checkpoint(ghost.key(), "ghost", JobParams.empty().with("step", "2"), 2, 5);
    // the ghost dies: no heartbeat, no release
    worker(h);

    await(job.id(), JobStatus.COMPLETED);

    assertThat(h.stepsOf(job.id(), 0)).containsExactly(2, 3, 4);
    assertThat(unit(job.id(), 0).attempts()).isEqualTo(2);
  }

  @Test
  void aJobWhoseWorkerDiedWhilePausedCanBeCancelledOrResumed() {
    StepHandler h = new StepHandler(kind, false);
    Job cancelled = submit(1, 5);
    Claim c1 = plannedAndClaimedByAGhost(cancelled, Duration.ofSeconds(1));
    Job resumed = submit(1, 5);
    Claim c2 = plannedAndClaimedByAGhost(resumed, Duration.ofSeconds(1));
    coordination().checkpoint(c1.key(), "ghost", JobParams.empty().with("step", "1"), 1, 5);
    coordination().checkpoint(c2.key(), "ghost", JobParams.empty().with("step", "3"), 3, 5);
    queue.pause(cancelled.id());
    queue.pause(resumed.id());
    // the ghost dies while both are paused
    worker(h);

    assertThat(queue.cancel(cancelled.id()).status()).isEqualTo(JobStatus.CANCELLED);
    assertThat(unit(cancelled.id(), 0).status()).isEqualTo(UnitStatus.CANCELLED);
    assertThat(queue.resume(resumed.id()).status()).isEqualTo(JobStatus.RUNNING);

    await(resumed.id(), JobStatus.COMPLETED);
    assertThat(h.stepsOf(resumed.id(), 0)).containsExactly(3, 4);
    assertThat(h.stepsOf(cancelled.id(), 0)).isEmpty();
    assertThat(queue.require(cancelled.id()).status()).isEqualTo(JobStatus.CANCELLED);
  }

  @Test
  void aUnitWhoseWorkersKeepDyingFailsTheJobAfterMaxAttempts() {
    StepHandler h = new StepHandler(kind, false);
    Job job =
        queue.submit(
            JobRequest.builder(kind)
                .param("units", "1")
                .param("steps", "1")
                .maxAttempts(2)
                .build());
    plannedAndClaimedByAGhost(job, Duration.ofMillis(100));
    Await.value(
        WAIT,
        "a second claim after the lease expired",
        () -> coordination().claim("ghost2", Set.of(kind), Duration.ofMillis(100)),
        java.util.Optional::isPresent);
    worker(h);

    Job failed = await(job.id(), JobStatus.FAILED);

    assertThat(failed.error()).contains("unit 0").contains("gave up after 2 attempts");
    assertThat(h.steps).isEmpty();
  }

  @Test
  void aTransientFailureIsRetriedAndAPermanentOneFailsTheJob() {
    StepHandler h = new StepHandler(kind, false);
    Job flaky =
        queue.submit(
            JobRequest.builder(kind).param("steps", "2").param("failFirst", "retriable").build());
    Job broken =
        queue.submit(
            JobRequest.builder(kind).param("steps", "2").param("failFirst", "permanent").build());
    worker(h);

    await(flaky.id(), JobStatus.COMPLETED);
    assertThat(unit(flaky.id(), 0).attempts()).isEqualTo(2);
    assertThat(h.stepsOf(flaky.id(), 0)).containsExactly(0, 1);

    Job failed = await(broken.id(), JobStatus.FAILED);
    assertThat(failed.error()).isEqualTo("job " + broken.id() + " unit 0: bad API key for unit 0");
    assertThat(unit(broken.id(), 0).status()).isEqualTo(UnitStatus.FAILED);
    assertThat(h.finished).containsExactly(flaky.id());
  }

  @Test
  void aClaimWhoseAnswerWasLostIsGivenBack() {
    Job job = submit(1, 1);
    plannedAndClaimedByAGhost(job, Duration.ofMinutes(5));
    assertThat(unit(job.id(), 0).status()).isEqualTo(UnitStatus.RUNNING);

    assertThat(coordination().releaseUnknown("ghost", Set.of())).isEqualTo(1);

    JobUnit u = unit(job.id(), 0);
    assertThat(u.status()).isEqualTo(UnitStatus.QUEUED);
    assertThat(u.leaseOwner()).isNull();
    assertThat(u.attempts()).isZero();
  }

  @Test
  void aWorkerShuttingDownGivesItsUnitsBackForAnotherWorker() {
    StepHandler h = new StepHandler(kind, true);
    Job job = submit(1, 3);
    JobWorker first = worker(h);
    h.allow(1);
    Await.until(WAIT, "a step", () -> h.steps.size() == 1);

    first.close();

    JobUnit u = unit(job.id(), 0);
    assertThat(u.status()).isEqualTo(UnitStatus.QUEUED);
    assertThat(u.attempts()).isZero();
    assertThat(h.stops).containsExactly(StopReason.SHUTDOWN);
    worker(h);
    h.allow(10);
    await(job.id(), JobStatus.COMPLETED);
    assertThat(h.stepsOf(job.id(), 0)).containsExactly(0, 1, 2);
  }

  @Test
  void cleanupDeletesFinishedJobsOlderThanTheCutoff() {
    StepHandler h = new StepHandler(kind, false);
    Job done = submit(2, 1);
    Job waiting = submit(1, 1);
    queue.pause(waiting.id());
    worker(h);
    await(done.id(), JobStatus.COMPLETED);

    assertThat(queue.cleanup(Duration.ofDays(30))).isZero();
    Await.until(WAIT, "a cleanup", () -> queue.cleanup(Duration.ZERO) == 1);

    assertThat(queue.get(done.id())).isEmpty();
    assertThat(queue.units(done.id())).isEmpty();
    assertThat(queue.get(waiting.id())).isPresent();
  }

  @Test
  void requestsAreValidatedFieldByField() {
    assertThatThrownBy(() -> JobRequest.builder("Reembed").build())
        .hasMessageContaining("job.kind must match");
    assertThatThrownBy(() -> JobRequest.builder("x").maxAttempts(0).build())
        .hasMessageContaining("job.maxAttempts");
    assertThatThrownBy(() -> JobWorker.builder(queue).build())
        .hasMessageContaining("worker.handlers is empty");
    assertThatThrownBy(
            () ->
                JobWorker.builder(queue)
                    .handler(new StepHandler(kind, false))
                    .lease(Duration.ofSeconds(2))
                    .heartbeat(Duration.ofSeconds(1))
                    .build())
        .hasMessageContaining("worker.heartbeat must");
  }

  /** Plans a job and claims its first unit as a worker named ghost that then dies. */
  private Claim plannedAndClaimedByAGhost(Job job, Duration lease) {
    Claim plan = coordination().claim("ghost", Set.of(kind), lease).orElseThrow();
    assertThat(plan.key().jobId()).isEqualTo(job.id());
    assertThat(plan.phase()).isEqualTo(JobPhase.PLAN);
    int units = job.params().intValue("units", 1);
    List<WorkUnit> plannedUnits = new ArrayList<>();
    for (int i = 0; i < units; i++) {
      plannedUnits.add(new WorkUnit(JobParams.empty(), job.params().intValue("steps", 1)));
    }
    assertThat(coordination().commitPlan(job.id(), "ghost", plannedUnits)).isTrue();
    Claim unit = coordination().claim("ghost", Set.of(kind), lease).orElseThrow();
    assertThat(unit.key()).isEqualTo(new Coordination.TaskKey(job.id(), 0));
    return unit;
  }
}
