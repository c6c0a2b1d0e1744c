package dev.portfolio.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressEventTest {
  private static ProgressEvent event(long current, long total, double rate) {
    return new ProgressEvent("op", current, total, rate, Duration.ofSeconds(1), "", null);
  }

  @Test
  void percentageIsTheShareOfTheTotalDone() {
    assertThat(event(0, 10_000, 0).percentage()).contains(0.0);
    assertThat(event(4_500, 10_000, 0).percentage()).contains(45.0);
    assertThat(event(10_000, 10_000, 0).percentage()).contains(100.0);
  }

  @Test
  void percentageIsCappedAtAHundred() {
    assertThat(event(12, 10, 0).percentage()).contains(100.0);
  }

  @Test
  void percentageOfAnEmptyOperationIsAHundred() {
    assertThat(event(0, 0, 0).percentage()).contains(100.0);
  }

  @Test
  void percentageIsUnknownWithoutATotal() {
    assertThat(event(500, -1, 10).percentage()).isEmpty();
  }

  @Test
  void etaIsTheRemainingUnitsAtTheCurrentRate() {
    assertThat(event(4_500, 10_000, 1_000).eta()).contains(Duration.ofMillis(5_500));
    assertThat(event(4_500, 10_000, 1_234).eta()).contains(Duration.ofMillis(4_457));
  }

  @Test
  void etaIsZeroWhenTheCountPassedTheTotal() {
    assertThat(event(12, 10, 5).eta()).contains(Duration.ZERO);
  }

  @Test
  void etaIsUnknownWithoutARateOrATotal() {
    assertThat(event(0, 10, 0).eta()).isEmpty();
    assertThat(event(5, -1, 10).eta()).isEmpty();
  }

  @Test
  void nullMessageBecomesEmptyAndAnOutcomeMarksTheEnd() {
    ProgressEvent running = new ProgressEvent("op", 0, 1, 0, Duration.ZERO, null, null);
    ProgressEvent done =
        new ProgressEvent("op", 1, 1, 1, Duration.ZERO, "ok", ProgressEvent.Outcome.SUCCEEDED);

    assertThat(running.message()).isEmpty();
    assertThat(running.isFinished()).isFalse();
    assertThat(done.isFinished()).isTrue();
  }

  @Test
  void operationAndElapsedAreRequired() {
    assertThatThrownBy(() -> new ProgressEvent(null, 0, 1, 0, Duration.ZERO, "", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("operation");
    assertThatThrownBy(() -> new ProgressEvent("op", 0, 1, 0, null, "", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("elapsed");
  }
}
