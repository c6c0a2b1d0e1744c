package dev.portfolio.maintenance.testing;

import dev.portfolio.core.spi.ProgressEvent;
import dev.portfolio.core.spi.ProgressReporter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Keeps every progress event, and can act on each (for example to cancel a run). */
public final class RecordingReporter implements ProgressReporter {
  /**
   * One call.
   *
   * @param method started, progressed or finished
   * @param event the event
   */
  public record Call(String method, ProgressEvent event) {}

  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final Consumer<Call> hook;

  /** Records only. */
  public RecordingReporter() {
    this(c -> {});
  }

  /**
   * Records and runs a hook after each call.
   *
   * @param hook the hook
   */
  public RecordingReporter(Consumer<Call> hook) {
    this.hook = hook;
  }

  /**
   * Returns the calls so far.
   *
   * @return the calls in order
   */
  public List<Call> calls() {
    return List.copyOf(calls);
  }

  /**
   * Returns the events of one method for operations whose name contains a text.
   *
   * @param method started, progressed or finished
   * @param operation part of the operation name
   * @return the events
   */
  public List<ProgressEvent> events(String method, String operation) {
    return calls.stream()
        .filter(c -> c.method().equals(method) && c.event().operation().contains(operation))
        .map(Call::event)
        .toList();
  }

  @Override
  public void started(ProgressEvent event) {
    record("started", event);
  }

  @Override
  public void progressed(ProgressEvent event) {
    record("progressed", event);
  }

  @Override
  public void finished(ProgressEvent event) {
    record("finished", event);
  }

  private void record(String method, ProgressEvent event) {
    Call c = new Call(method, event);
    calls.add(c);
    hook.accept(c);
  }
}
