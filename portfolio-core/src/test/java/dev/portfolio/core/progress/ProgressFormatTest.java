package dev.portfolio.core.progress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portfolio.core.spi.ProgressEvent;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressFormatTest {
  @Test
  void durationsShowMinutesAndSecondsAndHoursOnlyWhenNeeded() {
    assertThat(ProgressFormat.duration(Duration.ZERO)).isEqualTo("0:00");
    assertThat(ProgressFormat.duration(Duration.ofMillis(4_999))).isEqualTo("0:04");
    assertThat(ProgressFormat.duration(Duration.ofSeconds(59))).isEqualTo("0:59");
    assertThat(ProgressFormat.duration(Duration.ofSeconds(60))).isEqualTo("1:00");
    assertThat(ProgressFormat.duration(Duration.ofSeconds(3_599))).isEqualTo("59:59");
    assertThat(ProgressFormat.duration(Duration.ofHours(1))).isEqualTo("1:00:00");
    assertThat(ProgressFormat.duration(Duration.ofSeconds(3_723))).isEqualTo("1:02:03");
    assertThat(ProgressFormat.duration(Duration.ofHours(100))).isEqualTo("100:00:00");
    assertThat(ProgressFormat.duration(Duration.ofSeconds(-5))).isEqualTo("0:00");
  }

  @Test
  void countsUseCommaThousandsSeparatorsOnEveryLocale() {
    assertThat(ProgressFormat.count(0)).isEqualTo("0");
    assertThat(ProgressFormat.count(999)).isEqualTo("999");
    assertThat(ProgressFormat.count(1_000)).isEqualTo("1,000");
    assertThat(ProgressFormat.count(1_234_567)).isEqualTo("1,234,567");
  }

  @Test
  void ratesKeepOneDecimalBelowAHundredPerSecond() {
    assertThat(ProgressFormat.rate(0)).isEqualTo("0.0/s");
    assertThat(ProgressFormat.rate(2.54)).isEqualTo("2.5/s");
    assertThat(ProgressFormat.rate(99.94)).isEqualTo("99.9/s");
    assertThat(ProgressFormat.rate(100)).isEqualTo("100/s");
    assertThat(ProgressFormat.rate(1_234.4)).isEqualTo("1,234/s");
    assertThat(ProgressFormat.rate(Double.NaN)).isEqualTo("0.0/s");
    assertThat(ProgressFormat.rate(Double.POSITIVE_INFINITY)).isEqualTo("0.0/s");
  }

  @Test
  void etaIsShownFromTheRateOrAsUnknown() {
    ProgressEvent running =
        new ProgressEvent("op", 4_500, 10_000, 1_234, Duration.ofSeconds(3), "", null);
    ProgressEvent stalled = new ProgressEvent("op", 0, 10_000, 0, Duration.ofSeconds(3), "", null);
    ProgressEvent slow = new ProgressEvent("op", 10, 10_000, 0.5, Duration.ofSeconds(20), "", null);

    assertThat(ProgressFormat.eta(running)).isEqualTo("ETA 0:04");
    assertThat(ProgressFormat.eta(stalled)).isEqualTo("ETA --:--");
    assertThat(ProgressFormat.eta(slow)).isEqualTo("ETA 5:33:00");
  }

  @Test
  void startLineSaysHowMuchIsToDo() {
    assertThat(
            ProgressFormat.startLine(
                new ProgressEvent("reembed docs", 0, 10_000, 0, Duration.ZERO, "", null)))
        .isEqualTo("reembed docs: started, 10,000 to do");
    assertThat(
            ProgressFormat.startLine(
                new ProgressEvent("scan", 0, -1, 0, Duration.ZERO, "from s3", null)))
        .isEqualTo("scan: started, total unknown  from s3");
  }
}
