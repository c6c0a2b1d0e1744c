package dev.portfolio.core.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LatencyRecorderTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000_000L);

  @Test
  void summariesCoverTheWindowWithMeanAndNearestRankP95() {
    LatencyRecorder r = new LatencyRecorder(1000, now::get);
    for (int i = 1; i <= 100; i++) {
      long start = now.get();
      now.addAndGet(i * 1_000_000L);
      r.record("search", start);
    }

    OperationLatency search = r.summaries(Duration.ofHours(1)).get(0);

    assertThat(search.operation()).isEqualTo("search");
    assertThat(search.count()).isEqualTo(100);
    assertThat(search.averageMillis()).isEqualTo(50.5);
    assertThat(search.p95Millis()).isEqualTo(95.0);
    assertThat(search.source()).isEqualTo(OperationLatency.IN_PROCESS);
  }

  @Test
  void operationsOutsideTheWindowAreLeftOutAndMemoryIsBounded() {
    LatencyRecorder r = new LatencyRecorder(10, now::get);
    long start = now.get();
    now.addAndGet(5_000_000L);
    r.record("upsert", start);
    now.addAndGet(Duration.ofMinutes(10).toNanos());
    for (int i = 0; i < 25; i++) {
      start = now.get();
      now.addAndGet(2_000_000L);
      r.record("search", start);
    }

    assertThat(r.summaries(Duration.ofMinutes(1)))
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.operation()).isEqualTo("search");
              assertThat(l.count()).as("the last 10 kept").isEqualTo(10);
              assertThat(l.averageMillis()).isEqualTo(2.0);
            });
    assertThat(r.summaries(Duration.ofHours(1)))
        .extracting(OperationLatency::operation)
        .containsExactly("search", "upsert");
  }
}
