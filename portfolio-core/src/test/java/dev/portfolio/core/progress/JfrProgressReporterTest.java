package dev.portfolio.core.progress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portfolio.core.discovery.Providers;
import dev.portfolio.core.spi.ProgressReporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JfrProgressReporterTest {

  @Test
  void operationAndProgressSamplesAreRecordedAsFlightRecorderEvents(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("progress.jfr");
    try (Recording recording = new Recording()) {
      recording.enable(JfrProgressReporter.OPERATION_EVENT);
      recording.enable(JfrProgressReporter.SAMPLE_EVENT);
      recording.start();
      try (ProgressTracker tracker =
          ProgressTracker.start(new JfrProgressReporter(), "reembed docs", 10)) {
        tracker.advance(4, "first batch");
        tracker.advance(6, "second batch");
        tracker.succeed("all done");
      }
      recording.stop();
      recording.dump(file);
    }

    List<RecordedEvent> events = RecordingFile.readAllEvents(file);
    List<RecordedEvent> samples =
        events.stream()
            .filter(e -> e.getEventType().getName().equals(JfrProgressReporter.SAMPLE_EVENT))
            .toList();
    assertThat(samples).extracting(e -> e.getLong("current")).containsExactly(4L, 10L);
    assertThat(samples).extracting(e -> e.getString("message")).contains("second batch");

    List<RecordedEvent> operations =
        events.stream()
            .filter(e -> e.getEventType().getName().equals(JfrProgressReporter.OPERATION_EVENT))
            .toList();
    assertThat(operations).hasSize(1);
    RecordedEvent op = operations.get(0);
    assertThat(op.getString("operation")).isEqualTo("reembed docs");
    assertThat(op.getLong("current")).isEqualTo(10);
    assertThat(op.getLong("total")).isEqualTo(10);
    assertThat(op.getString("outcome")).isEqualTo("SUCCEEDED");
    assertThat(op.getDuration()).isPositive();
    assertThat(Files.size(file)).isPositive();
  }

  @Test
  void providerIdJfrCreatesTheReporterAndIsNeverTheDefault() {
    ProgressReporter reporter = Providers.progressReporter(Map.of("provider", "jfr"));
    assertThat(reporter).isInstanceOf(JfrProgressReporter.class);
    assertThat(Providers.progressReporter(Map.of())).isNotInstanceOf(JfrProgressReporter.class);
  }
}
