package dev.portfolio.maintenance.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Turns Ctrl-C (SIGINT, and SIGTERM) into a cancellation request for a long operation. The JVM runs
 * shutdown hooks on those signals; ours sets the flag that the operation's cancellation check reads
 * between batches, then holds the shutdown until the command has finished its batch and printed how
 * to resume. The process then exits with 130 (SIGINT) or 143 (SIGTERM).
 */
final class Interrupts implements AutoCloseable {
  /** How long the shutdown waits for the batches in flight. */
  static final long GRACE_MINUTES = 10;

  private final AtomicBoolean requested = new AtomicBoolean();
  private final CountDownLatch finished = new CountDownLatch(1);
  private final Thread hook;

  private Interrupts(CliIo io, String what, String inFlight) {
    this.hook =
        new Thread(
            () -> {
              requested.set(true);
              io.err()
                  .println(
                      System.lineSeparator()
                          + "portfolio: interrupted; "
                          + what
                          + " stops after "
                          + inFlight
                          + "...");
              io.err().flush();
              try {
                finished.await(GRACE_MINUTES, TimeUnit.MINUTES);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "portfolio-interrupt");
  }

  /**
   * Registers the hook for an operation that embeds in batches, described by {@code what}; close to
   * remove it.
   */
  static Interrupts install(CliIo io, String what) {
    return install(io, what, "the batches in flight (their vectors are kept)");
  }

  /**
   * Registers the hook for the operation described by {@code what}; standard error says that it
   * stops after {@code inFlight} (e.g. {@code the batch in flight (the batches done stay
   * removed)}). Close to remove it.
   */
  static Interrupts install(CliIo io, String what, String inFlight) {
    Interrupts i = new Interrupts(io, what, inFlight);
    Runtime.getRuntime().addShutdownHook(i.hook);
    return i;
  }

  /** The operation's cancellation check. */
  boolean requested() {
    return requested.get();
  }

  /** Asks the operation to stop, as Ctrl-C does (tests). */
  void request() {
    requested.set(true);
  }

  /** Lets a waiting shutdown go on, and removes the hook when no shutdown is under way. */
  @Override
  public void close() {
    finished.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is shutting down (we were interrupted): the hook has run or is finishing.
    }
  }
}
