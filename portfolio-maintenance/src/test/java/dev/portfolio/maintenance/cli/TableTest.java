package dev.portfolio.maintenance.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TableTest {
  @Test
  void columnsArePaddedAndNumbersAlignRight() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new Table("NAME", "CHUNKS", "MODEL")
        .row("docs", 12_345L, "onnx:all-minilm-l6-v2")
        .row("code-base", 7L, null)
        .print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    assertThat(bytes.toString(StandardCharsets.UTF_8).lines())
        .containsExactly(
            "NAME       CHUNKS  MODEL",
            "docs       12,345  onnx:all-minilm-l6-v2",
            "code-base       7  -");
  }

  @Test
  void controlCharactersInCellsAreEscaped() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new Table("KEY").row("a\nb").print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    assertThat(bytes.toString(StandardCharsets.UTF_8).lines()).hasSize(2);
  }

  @Test
  void jsonKeepsKeyOrderAndWritesNulls() {
    Map<String, Object> m = Json.object();
    m.put("b", 1);
    m.put("a", List.of("x"));
    m.put("c", null);
    assertThat(Json.render(m))
        .isEqualTo("{\n  \"b\": 1,\n  \"a\": [\n    \"x\"\n  ],\n  \"c\": null\n}");
  }
}
