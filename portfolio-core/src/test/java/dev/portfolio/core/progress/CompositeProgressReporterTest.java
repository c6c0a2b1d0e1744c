package dev.portfolio.core.progress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.spi.ProgressEvent;
import dev.portfolio.core.spi.ProgressReporter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

class CompositeProgressReporterTest {
  private final FakeNanoClock clock = new FakeNanoClock();

  @Test
  void sendsEveryEventToEveryReporterInOrder() {
    List<String> order = new ArrayList<>();
    ProgressReporter first = named("first", order);
    ProgressReporter second = named("second", order);

    ProgressTracker tracker =
        ProgressTracker.start(CompositeProgressReporter.of(first, second), "op", 2, clock);
    tracker.advance(1);
    tracker.succeed("ok");

    assertThat(order)
        .containsExactly(
            "first started", "second started",
            "first progressed", "second progressed",
            "first finished", "second finished");
  }

  @Test
  void aThrowingReporterDoesNotStopTheOthersAndIsLogged() {
    RecordingLogger log = new RecordingLogger("test");
    ProgressReporter broken =
        new ProgressReporter() {
          @Override
          public void progressed(ProgressEvent event) {
            throw new IllegalStateException("broken bar");
          }
        };
    RecordingReporter healthy = new RecordingReporter();
    CompositeProgressReporter composite =
        CompositeProgressReporter.of(List.of(broken, healthy), log);

    ProgressTracker tracker = ProgressTracker.start(composite, "op", 3, clock);
    tracker.advance(1);
    tracker.advance(1);
    tracker.succeed("ok");

    assertThat(healthy.methods())
        .containsExactly("started", "progressed", "progressed", "finished");
    assertThat(log.at(Level.WARN))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.message())
                  .startsWith("Progress reporter " + broken.getClass().getName() + " threw from");
              assertThat(e.throwable()).hasMessage("broken bar");
            });
    assertThat(log.at(Level.DEBUG)).hasSize(1);
  }

  @Test
  void eachReporterIsWarnedAboutOnItsOwn() {
    RecordingLogger log = new RecordingLogger("test");
    ProgressReporter a = throwingOnStart("a");
    ProgressReporter b = throwingOnStart("b");

    CompositeProgressReporter.of(List.of(a, b), log)
        .started(new ProgressEvent("op", 0, 1, 0, java.time.Duration.ZERO, "", null));

    assertThat(log.at(Level.WARN))
        .extracting(e -> e.throwable().getMessage())
        .containsExactly("a", "b");
  }

  @Test
  void rejectsANullReporterNamingItsPosition() {
    ProgressReporter ok = ProgressReporter.SILENT;

    assertThatThrownBy(() -> CompositeProgressReporter.of(ok, null))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("reporters must not contain null (element 1 is null)");
    assertThatThrownBy(() -> CompositeProgressReporter.of((ProgressReporter[]) null))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("reporters must not be null");
  }

  @Test
  void anEmptyCompositeReportsNothing() {
    CompositeProgressReporter none = CompositeProgressReporter.of();

    ProgressTracker tracker = ProgressTracker.start(none, "op", 1, clock);
    tracker.succeed("ok");

    assertThat(none.size()).isZero();
    assertThat(tracker.isFinished()).isTrue();
  }

  private static ProgressReporter named(String name, List<String> order) {
    return new ProgressReporter() {
      @Override
      public void started(ProgressEvent event) {
        order.add(name + " started");
      }

      @Override
      public void progressed(ProgressEvent event) {
        order.add(name + " progressed");
      }

      @Override
      public void finished(ProgressEvent event) {
        order.add(name + " finished");
      }
    };
  }

  private static ProgressReporter throwingOnStart(String message) {
    return new ProgressReporter() {
      @Override
      public void started(ProgressEvent event) {
        throw new IllegalArgumentException(message);
      }
    };
  }
}
