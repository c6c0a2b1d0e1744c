package dev.portfolio.examples.hostapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portfolio.core.memory.InMemoryVectorStore;
import dev.portfolio.maintenance.Maintenance;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.concurrent.ScheduledFuture;
import org.junit.jupiter.api.Test;

class NightlyMaintenanceTest {
  private static final ZoneId UTC = ZoneId.of("UTC");

  @Test
  void theNextRunIsTodayWhenTheTimeIsAheadElseTomorrow() {
    ZonedDateTime now = ZonedDateTime.of(2026, 11, 30, 1, 30, 0, 0, UTC);
    assertThat(NightlyMaintenance.untilNext(now, LocalTime.of(2, 0)))
        .isEqualTo(Duration.ofMinutes(30));
    assertThat(NightlyMaintenance.untilNext(now, LocalTime.of(1, 30)))
        .isEqualTo(Duration.ofDays(1));
    assertThat(NightlyMaintenance.untilNext(now, LocalTime.of(1, 0)))
        .isEqualTo(Duration.ofHours(23).plusMinutes(30));
  }

  @Test
  void stepsAreNamedUniquelyAndAtLeastOne() {
    try (InMemoryVectorStore store = new InMemoryVectorStore()) {
      Maintenance m = Maintenance.builder().store(store).build();
      assertThatThrownBy(() -> NightlyMaintenance.builder(m).build())
          .hasMessage("nightly maintenance needs at least one step (was none)");
      assertThatThrownBy(
              () ->
                  NightlyMaintenance.builder(m)
                      .step("statistics", (x, s) -> "")
                      .steps(NightlyMaintenance.standardSteps(Duration.ofDays(7)))
                      .build())
          .hasMessage("nightly maintenance step names must be unique ('statistics' is repeated)");
    }
  }

  @Test
  void closeCancelsTheScheduleAndARunAfterwardsRunsNoStep() {
    try (InMemoryVectorStore store = new InMemoryVectorStore()) {
      Maintenance m = Maintenance.builder().store(store).build();
      NightlyMaintenance job =
          NightlyMaintenance.builder(m)
              .steps(NightlyMaintenance.standardSteps(Duration.ofDays(7)))
              .build();
      assertThat(job.runOnce().steps()).hasSize(6);
      ScheduledFuture<?> schedule = job.scheduleDaily(LocalTime.of(2, 0), UTC);
      job.close();
      job.close();
      assertThat(schedule.isDone()).isTrue();
      assertThat(job.runOnce().steps()).isEmpty();
    }
  }
}
