package dev.portfolio.maintenance.jobs;

import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.NonRetriableException;
import dev.portfolio.core.error.RetriableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test handler: a job of {@code units} units of {@code steps} steps each; every step waits for a
 * permit of the gate (when gated), checks whether to stop, records itself and commits a checkpoint.
 * Parameters {@code failFirst=retriable|permanent} make the first attempt of each unit fail.
 */
class StepHandler implements JobHandler {
  record Step(long job, int unit, int step, int attempt) {}

  private final String kind;
  private final Semaphore gate;
  final Queue<Step> steps = new ConcurrentLinkedQueue<>();
  final Queue<Long> planned = new ConcurrentLinkedQueue<>();
  final Queue<Long> finished = new ConcurrentLinkedQueue<>();
  final ConcurrentHashMap<String, AtomicInteger> runs = new ConcurrentHashMap<>();
  final Queue<StopReason> stops = new ConcurrentLinkedQueue<>();

  StepHandler(String kind, boolean gated) {
    this.kind = kind;
    this.gate = gated ? new Semaphore(0) : null;
  }

  void allow(int permits) {
    gate.release(permits);
  }

  @Override
  public String kind() {
    return kind;
  }

  @Override
  public List<WorkUnit> plan(JobContext job) {
    planned.add(job.jobId());
    int units = job.params().intValue("units", 1);
    int total = job.params().intValue("steps", 3);
    List<WorkUnit> out = new ArrayList<>();
    for (int i = 0; i < units; i++) {
      out.add(new WorkUnit(JobParams.empty().with("unit", Integer.toString(i)), total));
    }
    return out;
  }

  @Override
  public UnitOutcome run(JobContext unit) {
    runs.computeIfAbsent(unit.jobId() + "/" + unit.unit(), k -> new AtomicInteger())
        .incrementAndGet();
    String fail = unit.params().string("failFirst", "");
    if (unit.attempt() == 1 && fail.equals("retriable")) {
      throw new RetriableException(ErrorCode.EMBEDDER_UNAVAILABLE, "rate limited, try later", null);
    }
    if (fail.equals("permanent")) {
      throw new NonRetriableException(
          ErrorCode.EMBEDDER_REJECTED, "bad API key for unit " + unit.unit());
    }
    int total = unit.params().intValue("steps", 3);
    for (int s = unit.checkpoint().intValue("step", 0); s < total; s++) {
      if (gate != null) {
        try {
          while (!gate.tryAcquire(20, TimeUnit.MILLISECONDS)) {
            if (unit.stopRequested()) {
              stops.add(unit.stopReason().orElseThrow());
              return UnitOutcome.STOPPED;
            }
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return UnitOutcome.STOPPED;
        }
      }
      if (unit.stopRequested()) {
        stops.add(unit.stopReason().orElseThrow());
        if (gate != null) {
          gate.release();
        }
        return UnitOutcome.STOPPED;
      }
      steps.add(new Step(unit.jobId(), unit.unit(), s, unit.attempt()));
      unit.checkpoint(JobParams.empty().with("step", Integer.toString(s + 1)), s + 1, total);
    }
    return UnitOutcome.DONE;
  }

  @Override
  public void finish(JobContext job) {
    finished.add(job.jobId());
  }

  List<Integer> stepsOf(long job, int unit) {
    return steps.stream().filter(s -> s.job() == job && s.unit() == unit).map(Step::step).toList();
  }
}
