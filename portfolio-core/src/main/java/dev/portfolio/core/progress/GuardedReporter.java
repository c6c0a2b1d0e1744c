package dev.portfolio.core.progress;

import dev.portfolio.core.spi.ProgressEvent;
import dev.portfolio.core.spi.ProgressReporter;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * Calls one reporter and swallows what it throws, so a broken reporter never breaks the operation.
 * The first failure is logged at WARN with its stack trace, later ones at DEBUG. A {@link
 * VirtualMachineError} (out of memory, stack overflow) is rethrown: the JVM is in no state to go
 * on.
 */
final class GuardedReporter implements ProgressReporter {
  private final ProgressReporter delegate;
  private final Logger log;
  private final AtomicBoolean warned = new AtomicBoolean();

  GuardedReporter(ProgressReporter delegate, Logger log) {
    this.delegate = delegate;
    this.log = log;
  }

  @Override
  public void started(ProgressEvent event) {
    call("started", event, delegate::started);
  }

  @Override
  public void progressed(ProgressEvent event) {
    call("progressed", event, delegate::progressed);
  }

  @Override
  public void finished(ProgressEvent event) {
    call("finished", event, delegate::finished);
  }

  private void call(String method, ProgressEvent event, Consumer<ProgressEvent> target) {
    try {
      target.accept(event);
    } catch (VirtualMachineError fatal) {
      throw fatal;
    } catch (RuntimeException | Error failure) {
      String reporter = delegate.getClass().getName();
      String operation = ProgressFormat.text(event.operation());
      if (warned.compareAndSet(false, true)) {
        log.warn(
            "Progress reporter {} threw from {}() for operation '{}'; ignoring it, the operation"
                + " continues. Later failures of this reporter are logged at DEBUG.",
            reporter,
            method,
            operation,
            failure);
      } else if (log.isDebugEnabled()) {
        log.debug(
            "Progress reporter {} threw again from {}() for operation '{}'; ignoring it.",
            reporter,
            method,
            operation,
            failure);
      }
    }
  }
}
