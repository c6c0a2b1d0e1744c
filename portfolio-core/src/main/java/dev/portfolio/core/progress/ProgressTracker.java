package dev.portfolio.core.progress;

import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.spi.ProgressEvent;
import dev.portfolio.core.spi.ProgressReporter;
import dev.portfolio.core.validation.Inputs;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a long operation calls to report its progress. It turns counts into {@link ProgressEvent}s
 * (with the rate since the start and therefore an ETA) and sends them to a {@link
 * ProgressReporter}:
 *
 * <pre>{@code
 * try (ProgressTracker progress = ProgressTracker.start(reporter, "reembed docs", total)) {
 *   for (List<Chunk> page : pages) {
 *     embedAndWrite(page);
 *     progress.advance(page.size());
 *   }
 *   progress.succeed(total + " chunks re-embedded");
 * }
 * }</pre>
 *
 * <p>Guarantees:
 *
 * <ul>
 *   <li>{@code started} is sent by {@link #start}; {@code finished} is sent exactly once, by the
 *       first of {@link #succeed}, {@link #fail(String)}, {@link #fail(Throwable)} or {@link
 *       #close()}; calls after that are ignored.
 *   <li>A reporter that throws a {@link RuntimeException} or an {@link Error} (other than a {@link
 *       VirtualMachineError}) never breaks the operation: the first failure is logged at WARN,
 *       later ones at DEBUG, and the operation goes on.
 *   <li>{@link #advance} and {@link #set} may be called from several worker threads at once. The
 *       count is kept in an {@link AtomicLong}; reporter calls are serialized, so a reporter sees
 *       one call at a time and a non-decreasing count as long as only {@code advance} is used.
 * </ul>
 *
 * <p>Reporter calls happen on the caller's thread while holding the tracker's lock, so reporters
 * must be quick; the reporters that ship with Portfolio throttle their output themselves.
 *
 * @since 0.1.0
 */
public final class ProgressTracker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProgressTracker.class);

  /** Value of {@code total} meaning the total is not known. */
  public static final long UNKNOWN_TOTAL = -1;

  private final ProgressReporter reporter;
  private final String operation;
  private final long total;
  private final LongSupplier nanoClock;
  private final long startNanos;
  private final AtomicLong current = new AtomicLong();
  private final Object lock = new Object();

  /** Guarded by {@link #lock}. */
  private String message = "";

  /** Written under {@link #lock}; volatile so {@link #isFinished()} can read it without it. */
  private volatile boolean finished;

  private ProgressTracker(
      ProgressReporter reporter, String operation, long total, LongSupplier nanoClock, Logger log) {
    this.reporter = new GuardedReporter(reporter, log);
    this.operation = operation;
    this.total = total;
    this.nanoClock = nanoClock;
    this.startNanos = nanoClock.getAsLong();
  }

  /**
   * Starts tracking an operation and sends {@link ProgressReporter#started} to the reporter.
   *
   * @param reporter where events go, not null (use {@link ProgressReporter#SILENT} for none)
   * @param operation what is running, for example {@code "reembed docs"}; not blank
   * @param total units in all, or {@link #UNKNOWN_TOTAL} (-1) when unknown
   * @return the running tracker
   * @throws InvalidInputException when an argument is null, blank or below -1
   */
  public static ProgressTracker start(ProgressReporter reporter, String operation, long total) {
    return start(reporter, operation, total, System::nanoTime);
  }

  /**
   * Starts tracking an operation with a given clock, for tests and for hosts that measure time
   * themselves.
   *
   * @param reporter where events go, not null
   * @param operation what is running; not blank
   * @param total units in all, or {@link #UNKNOWN_TOTAL} (-1) when unknown
   * @param nanoClock a monotonic clock in nanoseconds, like {@link System#nanoTime()}; not null
   * @return the running tracker
   * @throws InvalidInputException when an argument is null, blank or below -1
   */
  public static ProgressTracker start(
      ProgressReporter reporter, String operation, long total, LongSupplier nanoClock) {
    return start(reporter, operation, total, nanoClock, LOG);
  }

  static ProgressTracker start(
      ProgressReporter reporter, String operation, long total, LongSupplier nanoClock, Logger log) {
    Inputs.requireNonNull("reporter", reporter);
    Inputs.requireKey("operation", operation);
    Inputs.requireNonNull("nanoClock", nanoClock);
    if (total < UNKNOWN_TOTAL) {
      throw new InvalidInputException(
          "total", "total must be -1 (unknown) or a count of units >= 0 (was " + total + ")");
    }
    ProgressTracker tracker = new ProgressTracker(reporter, operation, total, nanoClock, log);
    synchronized (tracker.lock) {
      tracker.reporter.started(tracker.event(null));
    }
    return tracker;
  }

  /**
   * Adds to the count and sends {@link ProgressReporter#progressed}. Ignored after the operation
   * finished. Safe to call from several threads.
   *
   * @param delta units just completed, at least 0
   * @throws InvalidInputException when {@code delta} is negative
   */
  public void advance(long delta) {
    advance(delta, null);
  }

  /**
   * Adds to the count, replaces the latest detail message and sends {@link
   * ProgressReporter#progressed}. Ignored after the operation finished. Safe to call from several
   * threads.
   *
   * @param delta units just completed, at least 0
   * @param message the new detail, shown until replaced; null keeps the previous one
   * @throws InvalidInputException when {@code delta} is negative
   */
  public void advance(long delta, String message) {
    if (delta < 0) {
      throw new InvalidInputException(
          "delta", "delta must be >= 0 (was " + delta + "); use set() to move the count back");
    }
    if (finished) {
      return;
    }
    current.addAndGet(delta);
    progressed(message);
  }

  /**
   * Sets the count (for operations that know their absolute position, such as a resumed job) and
   * sends {@link ProgressReporter#progressed}. Ignored after the operation finished.
   *
   * @param value units completed so far, at least 0
   * @throws InvalidInputException when {@code value} is negative
   */
  public void set(long value) {
    if (value < 0) {
      throw new InvalidInputException("current", "current must be >= 0 (was " + value + ")");
    }
    if (finished) {
      return;
    }
    current.set(value);
    progressed(null);
  }

  /**
   * Ends the operation successfully and sends {@link ProgressReporter#finished} with {@link
   * ProgressEvent.Outcome#SUCCEEDED}. Only the first ending call counts; later ones are ignored.
   *
   * @param message a summary, or null for none
   */
  public void succeed(String message) {
    finish(ProgressEvent.Outcome.SUCCEEDED, message);
  }

  /**
   * Ends the operation as failed and sends {@link ProgressReporter#finished} with {@link
   * ProgressEvent.Outcome#FAILED}. Only the first ending call counts; later ones are ignored.
   *
   * @param message what went wrong, or null for none
   */
  public void fail(String message) {
    finish(ProgressEvent.Outcome.FAILED, message);
  }

  /**
   * Ends the operation as failed because of an exception; the event's message is the exception's
   * message (or its class name when it has none). Only the first ending call counts.
   *
   * @param cause what went wrong, may be null
   */
  public void fail(Throwable cause) {
    String text;
    if (cause == null) {
      text = null;
    } else if (cause.getMessage() == null || cause.getMessage().isBlank()) {
      text = cause.getClass().getName();
    } else {
      text = cause.getMessage();
    }
    finish(ProgressEvent.Outcome.FAILED, text);
  }

  /**
   * Ends the operation as failed with the message {@code "stopped before completion"} unless {@link
   * #succeed} or {@link #fail} was called first, so that a try-with-resources block always sends
   * {@code finished}, also when its body throws.
   */
  @Override
  public void close() {
    finish(ProgressEvent.Outcome.FAILED, "stopped before completion");
  }

  /**
   * Returns the operation's name.
   *
   * @return the name given to {@link #start}
   */
  public String operation() {
    return operation;
  }

  /**
   * Returns the total.
   *
   * @return units in all, or -1 when unknown
   */
  public long total() {
    return total;
  }

  /**
   * Returns the count so far.
   *
   * @return units completed
   */
  public long current() {
    return current.get();
  }

  /**
   * Returns the time since the start, by the tracker's clock.
   *
   * @return the elapsed time
   */
  public Duration elapsed() {
    return Duration.ofNanos(Math.max(0, nanoClock.getAsLong() - startNanos));
  }

  /**
   * Tells whether the operation has finished.
   *
   * @return true after the first of succeed, fail or close
   */
  public boolean isFinished() {
    return finished;
  }

  private void progressed(String newMessage) {
    synchronized (lock) {
      if (finished) {
        return;
      }
      if (newMessage != null) {
        message = newMessage;
      }
      reporter.progressed(event(null));
    }
  }

  private void finish(ProgressEvent.Outcome outcome, String finalMessage) {
    synchronized (lock) {
      if (finished) {
        return;
      }
      finished = true;
      message = finalMessage == null ? "" : finalMessage;
      reporter.finished(event(outcome));
    }
  }

  /** Builds the event for the current state; called under {@link #lock}. */
  private ProgressEvent event(ProgressEvent.Outcome outcome) {
    Duration elapsed = elapsed();
    long done = current.get();
    long nanos = elapsed.toNanos();
    double rate = nanos > 0 ? done * 1_000_000_000.0 / nanos : 0.0;
    return new ProgressEvent(operation, done, total, rate, elapsed, message, outcome);
  }
}
