package dev.portfolio.core.progress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portfolio.core.error.InvalidInputException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

class Slf4jProgressReporterTest {
  private final RecordingLogger log = new RecordingLogger("progress");
  private final FakeNanoClock clock = new FakeNanoClock();

  @Test
  void logsStartEveryTenPercentAndFinishAtInfo() {
    Slf4jProgressReporter reporter = new Slf4jProgressReporter(log, Duration.ofMinutes(1));
    ProgressTracker tracker = ProgressTracker.start(reporter, "reembed docs", 400, clock);

    for (int i = 0; i < 40; i++) {
      clock.advanceMillis(25);
      tracker.advance(10);
    }
    tracker.succeed("400 chunks");

    assertThat(log.entries()).allSatisfy(e -> assertThat(e.level()).isEqualTo(Level.INFO));
    assertThat(log.messages())
        .hasSize(12)
        .startsWith(
            "reembed docs: started, 400 to do",
            "reembed docs: 10.0% (40/400)  400/s  ETA 0:00",
            "reembed docs: 20.0% (80/400)  400/s  ETA 0:00")
        .endsWith(
            "reembed docs: 100.0% (400/400)  400/s  ETA 0:00",
            "reembed docs: done in 0:01, 400/400 at 400/s  400 chunks");
  }

  @Test
  void logsProgressWhenTheIntervalPassesEvenWithoutATenPercentStep() {
    Slf4jProgressReporter reporter = new Slf4jProgressReporter(log, Duration.ofSeconds(30));
    ProgressTracker tracker = ProgressTracker.start(reporter, "scan", -1, clock);

    for (int i = 0; i < 7; i++) {
      clock.advance(Duration.ofSeconds(10));
      tracker.advance(5, "file " + i);
    }

    assertThat(log.messages())
        .containsExactly(
            "scan: started, total unknown",
            "scan: 15 done  0.5/s  elapsed 0:30  file 2",
            "scan: 30 done  0.5/s  elapsed 1:00  file 5");
  }

  @Test
  void failureIsLoggedAtWarnWithWhereItStopped() {
    Slf4jProgressReporter reporter = new Slf4jProgressReporter(log, Duration.ofMinutes(1));
    ProgressTracker tracker = ProgressTracker.start(reporter, "backup docs", 200, clock);
    clock.advance(Duration.ofSeconds(65));
    tracker.advance(50);

    tracker.fail("disk full");

    assertThat(log.at(Level.WARN))
        .singleElement()
        .extracting(RecordingLogger.Entry::message)
        .isEqualTo("backup docs: FAILED after 1:05 at 50/200 (25.0%): disk full");
  }

  @Test
  void placeholdersInUserTextAreNotInterpreted() {
    Slf4jProgressReporter reporter = new Slf4jProgressReporter(log, Duration.ofMinutes(1));

    ProgressTracker.start(reporter, "import {}", 1, clock).succeed("{} {}");

    assertThat(log.messages().get(1)).isEqualTo("import {}: done in 0:00, 0/1 at 0.0/s  {} {}");
  }

  @Test
  void defaultLoggerIsDevPortfolioProgressAndTheNameIsConfigurable() {
    assertThat(new Slf4jProgressReporter().loggerName()).isEqualTo("dev.portfolio.progress");
    assertThat(new Slf4jProgressReporter("com.example.jobs", Duration.ofSeconds(5)).loggerName())
        .isEqualTo("com.example.jobs");
  }

  @Test
  void constructorRejectsABlankLoggerNameAndANonPositiveInterval() {
    assertThatThrownBy(() -> new Slf4jProgressReporter(" ", Duration.ofSeconds(5)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("logger must not be blank (was \" \")");
    assertThatThrownBy(() -> new Slf4jProgressReporter(log, Duration.ofSeconds(-1)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("interval must be positive (was PT-1S)");
  }
}
