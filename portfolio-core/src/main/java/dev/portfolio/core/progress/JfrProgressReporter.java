package dev.portfolio.core.progress;

import dev.portfolio.core.spi.ProgressEvent;
import dev.portfolio.core.spi.ProgressReporter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * Reports progress as Java Flight Recorder events, so operations show up in JDK Mission Control and
 * in any JFR-based telemetry (for example {@code jcmd <pid> JFR.start}) with no dependency.
 *
 * <ul>
 *   <li>{@value #OPERATION_EVENT}: one duration event per operation, from start to finish, with the
 *       units done, the total, the rate and the outcome;
 *   <li>{@value #SAMPLE_EVENT}: an instant event for each progress update.
 * </ul>
 *
 * <p>Events cost next to nothing while no recording is running. Thread-safe.
 *
 * @since 0.1.0
 */
public final class JfrProgressReporter implements ProgressReporter {
  /** The name of the per-operation duration event. */
  public static final String OPERATION_EVENT = "dev.portfolio.Operation";

  /** The name of the per-update instant event. */
  public static final String SAMPLE_EVENT = "dev.portfolio.ProgressSample";

  private final Map<String, OperationEvent> running = new ConcurrentHashMap<>();

  /** Creates a reporter. */
  public JfrProgressReporter() {}

  @Override
  public void started(ProgressEvent event) {
    OperationEvent e = new OperationEvent();
    e.operation = event.operation();
    e.total = event.total();
    e.begin();
    running.put(event.operation(), e);
  }

  @Override
  public void progressed(ProgressEvent event) {
    SampleEvent e = new SampleEvent();
    if (e.shouldCommit()) {
      e.operation = event.operation();
      e.current = event.current();
      e.total = event.total();
      e.ratePerSecond = event.ratePerSecond();
      e.message = event.message();
      e.commit();
    }
  }

  @Override
  public void finished(ProgressEvent event) {
    OperationEvent e = running.remove(event.operation());
    if (e == null) {
      e = new OperationEvent();
      e.operation = event.operation();
      e.total = event.total();
      e.begin();
    }
    e.end();
    if (e.shouldCommit()) {
      e.current = event.current();
      e.ratePerSecond = event.ratePerSecond();
      e.outcome = event.outcome() == null ? "" : event.outcome().name();
      e.message = event.message();
      e.commit();
    }
  }

  @Name(OPERATION_EVENT)
  @Label("Portfolio Operation")
  @Category({"Portfolio"})
  @Description("A long Portfolio operation (ingest, re-embed, backup, ...) from start to finish")
  @StackTrace(false)
  static final class OperationEvent extends Event {
    @Label("Operation")
    String operation;

    @Label("Units Done")
    long current;

    @Label("Total Units")
    @Description("-1 when unknown")
    long total;

    @Label("Rate (units/s)")
    double ratePerSecond;

    @Label("Outcome")
    String outcome;

    @Label("Message")
    String message;
  }

  @Name(SAMPLE_EVENT)
  @Label("Portfolio Progress")
  @Category({"Portfolio"})
  @Description("One progress update of a long Portfolio operation")
  @StackTrace(false)
  static final class SampleEvent extends Event {
    @Label("Operation")
    String operation;

    @Label("Units Done")
    long current;

    @Label("Total Units")
    long total;

    @Label("Rate (units/s)")
    double ratePerSecond;

    @Label("Message")
    String message;
  }
}
