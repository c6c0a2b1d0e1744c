package dev.portfolio.core.progress;

import dev.portfolio.core.spi.ProgressEvent;
import dev.portfolio.core.spi.ProgressReporter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A reporter that keeps every call it receives, in order. */
final class RecordingReporter implements ProgressReporter {
  /** One call: which method and with what event. */
  record Call(String method, ProgressEvent event) {}

  private final List<Call> calls = new CopyOnWriteArrayList<>();

  List<Call> calls() {
    return List.copyOf(calls);
  }

  List<String> methods() {
    return calls.stream().map(Call::method).toList();
  }

  ProgressEvent last() {
    return calls.get(calls.size() - 1).event();
  }

  List<ProgressEvent> events(String method) {
    return calls.stream().filter(c -> c.method().equals(method)).map(Call::event).toList();
  }

  @Override
  public void started(ProgressEvent event) {
    calls.add(new Call("started", event));
  }

  @Override
  public void progressed(ProgressEvent event) {
    calls.add(new Call("progressed", event));
  }

  @Override
  public void finished(ProgressEvent event) {
    calls.add(new Call("finished", event));
  }
}
