package dev.portfolio.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's first command tells its story end to end on the embedded default. */
class QuickstartTest {
  @Test
  void ingestsSearchesAndSwitchesToTheSecondLocalModel() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      Quickstart.run(out, List.of("database crash recovery with a write-ahead log"));
    }
    String story = bytes.toString(StandardCharsets.UTF_8);
    assertThat(story)
        .contains("embedder onnx:all-MiniLM-L6-v2-int8 (384 dimensions)")
        .containsPattern("Ingested \\d+ documents .*0 failed")
        .contains("Second pass over the same corpus: 34 documents skipped by fingerprint, 0 chunks")
        .contains("100.0% embedded")
        .contains("Model switch: onnx:all-MiniLM-L6-v2-int8 -> onnx:bge-small-en-v1.5-int8")
        .containsPattern("activated; \\d+ chunks embedded, 0 failed")
        .contains("0 missing at activation")
        .contains("Diagnostics before the switch:")
        .contains("Diagnostics after the switch:");
    String beforeDiagnostics =
        story.substring(
            story.indexOf("Diagnostics before the switch:"),
            story.indexOf("Diagnostics after the switch:"));
    assertThat(beforeDiagnostics).contains("onnx:all-MiniLM-L6-v2-int8");
    String afterDiagnostics = story.substring(story.indexOf("Diagnostics after the switch:"));
    assertThat(afterDiagnostics).contains("onnx:bge-small-en-v1.5-int8").contains("100.0");
    String after = story.substring(story.indexOf("After, onnx:bge-small-en-v1.5-int8"));
    assertThat(after.lines().skip(1).findFirst().orElseThrow())
        .as("the best hit after the switch")
        .contains("Write-Ahead Logging and Crash Recovery");
  }
}
