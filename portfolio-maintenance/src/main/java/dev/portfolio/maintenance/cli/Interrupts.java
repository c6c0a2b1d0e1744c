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

  private Interrupts(CliIo io, String what, String rollbackHint) {
    this.hook =
        new Thread(
            () -> {
              if (rollbackHint != null) {
                // The operation cannot stop between batches: let the JVM end now. The
                // transaction in flight is rolled back when its connection closes.
                io.err()
                    .println(
                        System.lineSeparator()
                            + "portfolio: interrupted; "
                            + what
                            + " stops now: "
                            + rollbackHint);
                io.err().flush();
                return;
              }
              requested.set(true);
              io.err()
                  .println(
                      System.lineSeparator()
                          + "portfolio: interrupted; "
                          + what
                          + " stops after the batches in flight (their vectors are kept)...");
              io.err().flush();
              try {
                finished.await(GRACE_MINUTES, TimeUnit.MINUTES);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "portfolio-interrupt");
  }

  /** Registers the hook for the operation described by {@code what}; close to remove it. */
  static Interrupts install(CliIo io, String what) {
    Interrupts i = new Interrupts(io, what, null);
    Runtime.getRuntime().addShutdownHook(i.hook);
    return i;
  }

  /**
   * Registers the hook for an operation that cannot stop between its batches (each batch is one
   * transaction): Ctrl-C ends the process at once, PostgreSQL rolls back the transaction in flight,
   * and standard error says what that means and how to go on ({@code consequence}). Close to remove
   * it.
   */
  static Interrupts installRollback(CliIo io, String what, String consequence) {
    Interrupts i = new Interrupts(io, what, consequence);
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
