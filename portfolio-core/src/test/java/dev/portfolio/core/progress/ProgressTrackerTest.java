package dev.portfolio.core.progress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.error.NonRetriableException;
import dev.portfolio.core.spi.ProgressEvent;
import dev.portfolio.core.spi.ProgressEvent.Outcome;
import dev.portfolio.core.spi.ProgressReporter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

class ProgressTrackerTest {
  private final FakeNanoClock clock = new FakeNanoClock();
  private final RecordingReporter reporter = new RecordingReporter();

  @Test
  void startSendsStartedWithZeroCountAndTheTotal() {
    ProgressTracker tracker = ProgressTracker.start(reporter, "reembed docs", 10_000, clock);

    assertThat(reporter.methods()).containsExactly("started");
    ProgressEvent started = reporter.last();
    assertThat(started.operation()).isEqualTo("reembed docs");
    assertThat(started.current()).isZero();
    assertThat(started.total()).isEqualTo(10_000);
    assertThat(started.ratePerSecond()).isZero();
    assertThat(started.elapsed()).isEqualTo(Duration.ZERO);
    assertThat(started.isFinished()).isFalse();
    assertThat(tracker.isFinished()).isFalse();
  }

  @Test
  void advanceReportsTheCountAndTheRateSinceTheStart() {
    ProgressTracker tracker = ProgressTracker.start(reporter, "reembed docs", 1_000, clock);

    clock.advance(Duration.ofSeconds(2));
    tracker.advance(300);
    tracker.advance(200);

    ProgressEvent last = reporter.last();
    assertThat(last.current()).isEqualTo(500);
    assertThat(last.elapsed()).isEqualTo(Duration.ofSeconds(2));
    assertThat(last.ratePerSecond()).isEqualTo(250.0);
    assertThat(last.percentage()).contains(50.0);
    assertThat(last.eta()).contains(Duration.ofSeconds(2));
    assertThat(tracker.current()).isEqualTo(500);
    assertThat(tracker.elapsed()).isEqualTo(Duration.ofSeconds(2));
    assertThat(reporter.methods()).containsExactly("started", "progressed", "progressed");
  }

  @Test
  void rateIsZeroWhenNoTimeHasPassed() {
    ProgressTracker tracker = ProgressTracker.start(reporter, "op", 10, clock);

    tracker.advance(5);

    assertThat(reporter.last().ratePerSecond()).isZero();
    assertThat(reporter.last().eta()).isEmpty();
  }

  @Test
  void messageIsKeptUntilReplaced() {
    ProgressTracker tracker = ProgressTracker.start(reporter, "op", 10, clock);

    tracker.advance(1, "page 1");
    tracker.advance(1);
    tracker.advance(1, "page 3");

    assertThat(reporter.events("progressed"))
        .extracting(ProgressEvent::message)
        .containsExactly("page 1", "page 1", "page 3");
  }

  @Test
  void setMovesTheCountToAnAbsolutePosition() {
    ProgressTracker tracker = ProgressTracker.start(reporter, "resume job", 100, clock);

    tracker.set(40);
    tracker.advance(5);

    assertThat(reporter.events("progressed"))
        .extracting(ProgressEvent::current)
        .containsExactly(40L, 45L);
  }

  @Test
  void unknownTotalReportsCountsWithoutPercentageOrEta() {
    ProgressTracker tracker =
        ProgressTracker.start(reporter, "scan", ProgressTracker.UNKNOWN_TOTAL, clock);
    clock.advanceMillis(500);

    tracker.advance(50);

    ProgressEvent last = reporter.last();
    assertThat(last.total()).isEqualTo(-1);
    assertThat(last.current()).isEqualTo(50);
    assertThat(last.ratePerSecond()).isEqualTo(100.0);
    assertThat(last.percentage()).isEmpty();
    assertThat(last.eta()).isEmpty();
  }

  @Test
  void succeedSendsFinishedExactlyOnceAndLaterCallsAreIgnored() {
    ProgressTracker tracker = ProgressTracker.start(reporter, "op", 10, clock);
    tracker.advance(10);
    clock.advance(Duration.ofSeconds(5));

    tracker.succeed("10 documents");
    tracker.succeed("again");
    tracker.fail("too late");
    tracker.fail(new IllegalStateException("too late"));
    tracker.advance(3);
    tracker.set(1);
    tracker.close();

    assertThat(reporter.methods()).containsExactly("started", "progressed", "finished");
    ProgressEvent finished = reporter.last();
    assertThat(finished.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(finished.message()).isEqualTo("10 documents");
    assertThat(finished.current()).isEqualTo(10);
    assertThat(finished.elapsed()).isEqualTo(Duration.ofSeconds(5));
    assertThat(finished.ratePerSecond()).isEqualTo(2.0);
    assertThat(tracker.isFinished()).isTrue();
  }

  @Test
  void finalMessageReplacesTheProgressMessage() {
    ProgressTracker tracker = ProgressTracker.start(reporter, "op", 10, clock);
    tracker.advance(1, "page 1");

    tracker.succeed(null);

    assertThat(reporter.last().message()).isEmpty();
  }

  @Test
  void failWithAnExceptionReportsItsMessage() {
    ProgressTracker tracker = ProgressTracker.start(reporter, "op", 10, clock);

    tracker.fail(new NonRetriableException(ErrorCode.STORE_FAILURE, "disk full"));

    assertThat(reporter.last().outcome()).isEqualTo(Outcome.FAILED);
    assertThat(reporter.last().message()).isEqualTo("disk full");
  }

  @Test
  void failWithAnExceptionWithoutMessageReportsItsClassName() {
    ProgressTracker tracker = ProgressTracker.start(reporter, "op", 10, clock);

    tracker.fail(new NullPointerException());

    assertThat(reporter.last().message()).isEqualTo("java.lang.NullPointerException");
  }

  @Test
  void closeWithoutAnOutcomeReportsFailure() {
    try (ProgressTracker tracker = ProgressTracker.start(reporter, "op", 10, clock)) {
      tracker.advance(4);
    }

    assertThat(reporter.methods()).containsExactly("started", "progressed", "finished");
    assertThat(reporter.last().outcome()).isEqualTo(Outcome.FAILED);
    assertThat(reporter.last().message()).isEqualTo("stopped before completion");
    assertThat(reporter.last().current()).isEqualTo(4);
  }

  @Test
  void closeAfterSucceedSendsNothingMore() {
    try (ProgressTracker tracker = ProgressTracker.start(reporter, "op", 10, clock)) {
      tracker.succeed("ok");
    }

    assertThat(reporter.events("finished"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.outcome()).isEqualTo(Outcome.SUCCEEDED);
              assertThat(e.message()).isEqualTo("ok");
            });
  }

  @Test
  void throwingReporterDoesNotBreakTheOperationAndIsLoggedAtWarnOnce() {
    RecordingLogger log = new RecordingLogger("test");
    ProgressReporter broken =
        new ProgressReporter() {
          @Override
          public void started(ProgressEvent event) {
            throw new IllegalStateException("reporter bug");
          }

          @Override
          public void progressed(ProgressEvent event) {
            throw new AssertionError("reporter assertion");
          }

          @Override
          public void finished(ProgressEvent event) {
            throw new UnsupportedOperationException("no finish");
          }
        };

    ProgressTracker tracker = ProgressTracker.start(broken, "reembed docs", 3, clock, log);
    tracker.advance(1);
    tracker.advance(2);
    tracker.succeed("done");

    assertThat(tracker.current()).isEqualTo(3);
    assertThat(tracker.isFinished()).isTrue();
    List<RecordingLogger.Entry> warnings = log.at(Level.WARN);
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0).message())
        .isEqualTo(
            "Progress reporter "
                + broken.getClass().getName()
                + " threw from started() for operation 'reembed docs'; ignoring it, the operation"
                + " continues. Later failures of this reporter are logged at DEBUG.");
    assertThat(warnings.get(0).throwable()).hasMessage("reporter bug");
    assertThat(log.at(Level.DEBUG))
        .extracting(e -> e.throwable().getMessage())
        .containsExactly("reporter assertion", "reporter assertion", "no finish");
  }

  @Test
  void virtualMachineErrorFromAReporterIsNotSwallowed() {
    RecordingLogger log = new RecordingLogger("test");
    ProgressReporter exhausted =
        new ProgressReporter() {
          @Override
          public void progressed(ProgressEvent event) {
            throw new OutOfMemoryError("simulated");
          }
        };
    ProgressTracker tracker = ProgressTracker.start(exhausted, "op", 3, clock, log);

    assertThatThrownBy(() -> tracker.advance(1))
        .isInstanceOf(OutOfMemoryError.class)
        .hasMessage("simulated");
    assertThat(log.entries()).isEmpty();
  }

  @Test
  void concurrentAdvancesAreAllCountedAndReporterCallsAreSerialized() throws Exception {
    AtomicInteger inFlight = new AtomicInteger();
    AtomicBoolean overlapped = new AtomicBoolean();
    AtomicBoolean wentBackwards = new AtomicBoolean();
    AtomicLong lastSeen = new AtomicLong();
    ProgressReporter checking =
        new ProgressReporter() {
          @Override
          public void progressed(ProgressEvent event) {
            if (inFlight.incrementAndGet() > 1) {
              overlapped.set(true);
            }
            if (event.current() < lastSeen.get()) {
              wentBackwards.set(true);
            }
            lastSeen.set(event.current());
            inFlight.decrementAndGet();
          }
        };
    int threads = 8;
    int perThread = 5_000;
    ProgressTracker tracker =
        ProgressTracker.start(checking, "parallel", (long) threads * perThread, clock);

    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < perThread; i++) {
                    tracker.advance(1);
                  }
                }));
      }
      for (Future<?> f : futures) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(tracker.current()).isEqualTo((long) threads * perThread);
    assertThat(lastSeen.get()).isEqualTo((long) threads * perThread);
    assertThat(overlapped).isFalse();
    assertThat(wentBackwards).isFalse();
  }

  @Test
  void startRejectsATotalBelowMinusOne() {
    assertThatThrownBy(() -> ProgressTracker.start(reporter, "op", -2, clock))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("total must be -1 (unknown) or a count of units >= 0 (was -2)");
  }

  @Test
  void startRejectsABlankOperationAndANullReporter() {
    assertThatThrownBy(() -> ProgressTracker.start(reporter, " ", 1, clock))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("operation must not be blank (was \" \")");
    assertThatThrownBy(() -> ProgressTracker.start(null, "op", 1, clock))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("reporter must not be null");
  }

  @Test
  void advanceRejectsANegativeDeltaAndSetANegativeCount() {
    ProgressTracker tracker = ProgressTracker.start(reporter, "op", 10, clock);

    assertThatThrownBy(() -> tracker.advance(-1))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("delta must be >= 0 (was -1); use set() to move the count back");
    assertThatThrownBy(() -> tracker.set(-5))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("current must be >= 0 (was -5)");
    assertThat(reporter.methods()).containsExactly("started");
  }

  @Test
  void advanceAndSetAfterTheFinishChangeNothing() {
    ProgressTracker tracker = ProgressTracker.start(ProgressReporter.SILENT, "op", 10);
    tracker.advance(3);
    tracker.succeed("done");
    tracker.advance(5);
    tracker.set(9);
    assertThat(tracker.current()).isEqualTo(3);
  }
}
