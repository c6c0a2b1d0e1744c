package dev.portfolio.core.progress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.spi.ProgressEvent;
import dev.portfolio.core.spi.ProgressEvent.Outcome;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsoleProgressReporterTest {
  private static final String NL = System.lineSeparator();

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
  private final FakeNanoClock clock = new FakeNanoClock();

  private ConsoleProgressReporter terminal(int width) {
    return new ConsoleProgressReporter(out, true, Duration.ofSeconds(10), width);
  }

  private ConsoleProgressReporter plain(Duration interval) {
    return new ConsoleProgressReporter(out, false, interval, 100);
  }

  private String output() {
    return bytes.toString(StandardCharsets.UTF_8).replace(NL, "\n");
  }

  /** The bar states drawn on the terminal, in order (each redraw starts with '\r'). */
  private List<String> draws() {
    String all = output();
    return Arrays.stream(all.split("\r", -1)).skip(1).map(s -> s.split("\n", -1)[0]).toList();
  }

  private static ProgressEvent event(
      long current, long total, double rate, long elapsedMillis, String message) {
    return new ProgressEvent(
        "reembed docs", current, total, rate, Duration.ofMillis(elapsedMillis), message, null);
  }

  @Test
  void barShowsPercentageCountsRateEtaOperationAndMessage() {
    ConsoleProgressReporter console = terminal(200);

    console.progressed(event(4_500, 10_000, 1_234, 3_647, "page 45"));

    assertThat(output())
        .isEqualTo(
            "\r[#########...........]  45.0%  4,500/10,000  1,234/s  ETA 0:04  reembed docs"
                + "  page 45");
  }

  @Test
  void barIsEmptyAtTheStartAndFullAtTheEnd() {
    ConsoleProgressReporter console = terminal(200);
    ProgressTracker tracker = ProgressTracker.start(console, "copy", 200, clock);
    clock.advance(Duration.ofSeconds(4));

    tracker.advance(200);

    assertThat(draws())
        .containsExactly(
            "[....................]   0.0%  0/200  0.0/s  ETA --:--  copy",
            "[####################] 100.0%  200/200  50.0/s  ETA 0:00  copy");
  }

  @Test
  void redrawsAtMostEvery100MillisecondsButAlwaysDrawsTheFinalState() {
    ConsoleProgressReporter console = terminal(200);
    ProgressTracker tracker = ProgressTracker.start(console, "copy", 1_000, clock);

    for (int i = 1; i <= 10; i++) {
      clock.advanceMillis(30);
      tracker.advance(10);
    }
    tracker.succeed("all copied");

    // drawn at 0 ms (start), at 120 and 240 ms (first events 100 ms after the last draw), at the
    // end
    assertThat(draws())
        .extracting(s -> s.substring(0, 30))
        .containsExactly(
            "[....................]   0.0% ",
            "[....................]   4.0% ",
            "[#...................]   8.0% ",
            "[##..................]  10.0% ");
    assertThat(draws().get(3))
        .isEqualTo("[##..................]  10.0%  100/1,000  333/s  done  copy  all copied");
    assertThat(output())
        .endsWith("all copied\ncopy: done in 0:00, 100/1,000 at 333/s  all copied\n");
  }

  @Test
  void linesAreCutToTheTerminalWidth() {
    ConsoleProgressReporter console = terminal(40);

    console.progressed(event(4_500, 10_000, 1_234, 3_647, "a long message that cannot fit"));

    assertThat(draws()).singleElement().isEqualTo("[#########...........]  45.0%  4,500/10");
    assertThat(draws().get(0)).hasSize(39);
  }

  @Test
  void aShorterRedrawIsPaddedToEraseThePreviousOne() {
    ConsoleProgressReporter console = terminal(200);

    console.progressed(event(1, 10, 1, 1_000, "a fairly long message"));
    console.progressed(event(2, 10, 1, 2_000, ""));

    List<String> draws = draws();
    assertThat(draws.get(1)).hasSameSizeAs(draws.get(0));
    assertThat(draws.get(1))
        .endsWith("reembed docs" + " ".repeat("  a fairly long message".length()));
  }

  @Test
  void unknownTotalShowsASpinnerTheCountAndTheRateWithoutPercentage() {
    ConsoleProgressReporter console = terminal(200);
    ProgressTracker tracker =
        ProgressTracker.start(console, "scan", ProgressTracker.UNKNOWN_TOTAL, clock);

    for (int i = 0; i < 4; i++) {
      clock.advanceMillis(250);
      tracker.advance(1_000);
    }
    tracker.succeed(null);

    assertThat(draws())
        .containsExactly(
            "|  elapsed 0:00  scan",
            "/  1,000  4,000/s  elapsed 0:00  scan",
            "-  2,000  4,000/s  elapsed 0:00  scan",
            "\\  3,000  4,000/s  elapsed 0:00  scan",
            "|  4,000  4,000/s  elapsed 0:01  scan",
            "*  4,000  4,000/s  elapsed 0:01  done  scan");
    assertThat(output()).doesNotContain("%");
    assertThat(output()).endsWith("\nscan: done in 0:01, 4,000 at 4,000/s\n");
  }

  @Test
  void failureLeavesTheBarAndSaysWhereItStopped() {
    ConsoleProgressReporter console = terminal(200);
    ProgressTracker tracker = ProgressTracker.start(console, "reembed docs", 10_000, clock);
    clock.advance(Duration.ofSeconds(4));
    tracker.advance(4_500);

    tracker.fail(new IllegalStateException("connection refused"));

    assertThat(draws().get(draws().size() - 1))
        .isEqualTo(
            "[#########...........]  45.0%  4,500/10,000  1,125/s  FAILED  reembed docs"
                + "  connection refused");
    assertThat(output())
        .endsWith(
            "connection refused\n"
                + "reembed docs: FAILED after 0:04 at 4,500/10,000 (45.0%): connection refused\n");
  }

  @Test
  void controlCharactersInMessagesCannotBreakTheLine() {
    ConsoleProgressReporter console = terminal(200);

    console.progressed(event(1, 10, 1, 1_000, "evil\nline\rreturn"));

    assertThat(output()).doesNotContain("\n").containsOnlyOnce("\r");
    assertThat(draws().get(0)).endsWith("reembed docs  evil\\u000aline\\u000dreturn");
  }

  @Test
  void plainModeWritesStartEveryTenPercentAndFinish() {
    ConsoleProgressReporter console = plain(Duration.ofSeconds(10));
    ProgressTracker tracker = ProgressTracker.start(console, "reembed docs", 1_000, clock);

    for (int i = 0; i < 100; i++) {
      clock.advanceMillis(10);
      tracker.advance(10);
    }
    tracker.succeed("1,000 chunks");

    List<String> lines = output().lines().toList();
    assertThat(lines).hasSize(12);
    assertThat(lines.get(0)).isEqualTo("reembed docs: started, 1,000 to do");
    assertThat(lines.get(1)).isEqualTo("reembed docs: 10.0% (100/1,000)  1,000/s  ETA 0:00");
    assertThat(lines.get(5)).isEqualTo("reembed docs: 50.0% (500/1,000)  1,000/s  ETA 0:00");
    assertThat(lines.get(10)).isEqualTo("reembed docs: 100.0% (1,000/1,000)  1,000/s  ETA 0:00");
    assertThat(lines.get(11))
        .isEqualTo("reembed docs: done in 0:01, 1,000/1,000 at 1,000/s  1,000 chunks");
    assertThat(output()).doesNotContain("\r");
  }

  @Test
  void plainModeWritesALineWhenTheIntervalPassesWithoutATenPercentStep() {
    ConsoleProgressReporter console = plain(Duration.ofSeconds(5));
    ProgressTracker tracker = ProgressTracker.start(console, "slow", 1_000, clock);

    for (int second = 1; second <= 12; second++) {
      clock.advance(Duration.ofSeconds(1));
      tracker.advance(1, "doc " + second);
    }

    assertThat(output().lines())
        .containsExactly(
            "slow: started, 1,000 to do",
            "slow: 0.5% (5/1,000)  1.0/s  ETA 16:35  doc 5",
            "slow: 1.0% (10/1,000)  1.0/s  ETA 16:30  doc 10");
  }

  @Test
  void plainModeWithAnUnknownTotalReportsByInterval() {
    ConsoleProgressReporter console = plain(Duration.ofSeconds(2));
    ProgressTracker tracker =
        ProgressTracker.start(console, "scan", ProgressTracker.UNKNOWN_TOTAL, clock);

    for (int i = 0; i < 5; i++) {
      clock.advance(Duration.ofSeconds(1));
      tracker.advance(100);
    }
    tracker.fail("interrupted");

    assertThat(output().lines())
        .containsExactly(
            "scan: started, total unknown",
            "scan: 200 done  100/s  elapsed 0:02",
            "scan: 400 done  100/s  elapsed 0:04",
            "scan: FAILED after 0:05 at 500: interrupted");
  }

  @Test
  void oneReporterKeepsSeparateThrottlesForInterleavedOperations() {
    ConsoleProgressReporter console = plain(Duration.ofMinutes(1));
    ProgressTracker a = ProgressTracker.start(console, "a", 10, clock);
    ProgressTracker b = ProgressTracker.start(console, "b", 10, clock);

    a.advance(5);
    b.advance(1);
    b.advance(1);

    assertThat(output().lines())
        .containsExactly(
            "a: started, 10 to do",
            "b: started, 10 to do",
            "a: 50.0% (5/10)  0.0/s  ETA --:--",
            "b: 10.0% (1/10)  0.0/s  ETA --:--",
            "b: 20.0% (2/10)  0.0/s  ETA --:--");
  }

  @Test
  void aBarOfAnotherOperationStartsOnANewLine() {
    ConsoleProgressReporter console = terminal(200);

    console.progressed(event(1, 10, 0, 0, ""));
    console.progressed(new ProgressEvent("other", 1, 10, 0, Duration.ZERO, "", null));

    assertThat(output()).contains("reembed docs\n\r[##");
  }

  @Test
  void widthComesFromColumnsClampedWithADefault() {
    assertThat(ConsoleProgressReporter.widthFrom("80")).isEqualTo(80);
    assertThat(ConsoleProgressReporter.widthFrom(" 132 ")).isEqualTo(132);
    assertThat(ConsoleProgressReporter.widthFrom(null)).isEqualTo(100);
    assertThat(ConsoleProgressReporter.widthFrom("")).isEqualTo(100);
    assertThat(ConsoleProgressReporter.widthFrom("wide")).isEqualTo(100);
    assertThat(ConsoleProgressReporter.widthFrom("5")).isEqualTo(20);
    assertThat(ConsoleProgressReporter.widthFrom("99999999999")).isEqualTo(1000);
  }

  @Test
  void redirectedOutputIsNotATerminal() {
    // Surefire runs tests with stdin and stdout connected to pipes.
    assertThat(ConsoleProgressReporter.detectTerminal()).isFalse();
  }

  @Test
  void constructorRejectsABadWidthAndInterval() {
    assertThatThrownBy(() -> new ConsoleProgressReporter(out, true, Duration.ofSeconds(1), 10))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("width must be between 20 and 1000 (was 10)");
    assertThatThrownBy(() -> new ConsoleProgressReporter(out, true, Duration.ZERO, 80))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("interval must be positive (was PT0S)");
    assertThatThrownBy(() -> new ConsoleProgressReporter(null, true))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("out must not be null");
  }

  @Test
  void finishedWithoutStartStillPrintsTheSummary() {
    ConsoleProgressReporter console = plain(Duration.ofSeconds(10));

    console.finished(
        new ProgressEvent("late", 3, 3, 1.5, Duration.ofSeconds(2), "", Outcome.SUCCEEDED));

    assertThat(output()).isEqualTo("late: done in 0:02, 3/3 at 1.5/s\n");
  }

  @Test
  void aLongOperationNameIsShortenedAfterTheFiguresAndTheMessageGoesFirst() {
    ConsoleProgressReporter console = terminal(80);

    console.progressed(
        new ProgressEvent(
            "reembed a-very-long-collection-name into set 12",
            4_500,
            10_000,
            1_234,
            Duration.ofMillis(3_647),
            "page 45",
            null));

    assertThat(draws())
        .singleElement()
        .isEqualTo(
            "[#########...........]  45.0%  4,500/10,000  1,234/s  ETA 0:04  reembed a-ve...");
    assertThat(draws().get(0)).hasSize(79);
  }

  @Test
  void theMessageIsShownInTheRoomTheNameLeaves() {
    ConsoleProgressReporter console = terminal(100);

    console.progressed(event(4_500, 10_000, 1_234, 3_647, "a message far too long to be shown"));

    assertThat(draws())
        .singleElement()
        .isEqualTo(
            "[#########...........]  45.0%  4,500/10,000  1,234/s  ETA 0:04  reembed docs"
                + "  a message far too...");
  }

  @Test
  void anUnknownTotalWithNothingCountedEndsWithoutZeroCountsOrRate() {
    ConsoleProgressReporter console = plain(Duration.ofSeconds(10));
    ProgressTracker tracker =
        ProgressTracker.start(console, "diagnostics", ProgressTracker.UNKNOWN_TOTAL, clock);
    clock.advanceMillis(300);

    tracker.succeed("3 collections read");

    assertThat(output())
        .isEqualTo(
            "diagnostics: started, total unknown\n"
                + "diagnostics: done in 0:00  3 collections read\n");
  }

  @Test
  void anUnknownTotalWithNothingCountedDrawsNoZeroCountsOnTheBar() {
    ConsoleProgressReporter console = terminal(100);
    ProgressTracker tracker =
        ProgressTracker.start(console, "statistics", ProgressTracker.UNKNOWN_TOTAL, clock);

    tracker.succeed(null);

    assertThat(draws())
        .containsExactly("|  elapsed 0:00  statistics", "*  elapsed 0:00  done  statistics");
    assertThat(output()).endsWith("\nstatistics: done in 0:00\n").doesNotContain("0.0/s");
  }

  @Test
  void aTotalOfZeroSaysThereWasNothingToDo() {
    ConsoleProgressReporter console = plain(Duration.ofSeconds(10));
    ProgressTracker tracker = ProgressTracker.start(console, "cleanup-orphans", 0, clock);
    tracker.advance(0);

    tracker.succeed(null);

    assertThat(output().lines().toList())
        .containsExactly(
            "cleanup-orphans: started, 0 to do", "cleanup-orphans: done in 0:00, nothing to do");
  }

  @Test
  void plainLinesKeepASummaryLongerThanAnErrorMessageWhole() {
    ConsoleProgressReporter console = plain(Duration.ofSeconds(10));
    String summary =
        "reembed docs into set 1 (hashing:hashing-v1, missing): 3330 of 3330 chunks embedded, 0"
            + " skipped, 0 failed; 146520 tokens in 167 requests (0 retries) in 28.0 s";
    ProgressTracker tracker =
        ProgressTracker.start(console, "reembed docs into set 1", 3_330, clock);
    clock.advance(Duration.ofSeconds(27));
    tracker.advance(3_330);

    tracker.succeed(summary);

    assertThat(output())
        .endsWith("reembed docs into set 1: done in 0:27, 3,330/3,330 at 123/s  " + summary + "\n")
        .doesNotContain("...");
  }

  @Test
  void everyPlainLineIsTerminatedSoWhatFollowsStartsOnItsOwnLine() {
    ConsoleProgressReporter console = plain(Duration.ofSeconds(10));
    ProgressTracker tracker = ProgressTracker.start(console, "reembed docs", 10, clock);
    clock.advanceMillis(500);
    tracker.advance(10);
    tracker.succeed(null);

    out.print("summary");

    assertThat(output())
        .endsWith("reembed docs: done in 0:00, 10/10 at 20.0/s\nsummary")
        .doesNotContain("\r");
  }
}
