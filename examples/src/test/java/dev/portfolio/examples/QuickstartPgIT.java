package dev.portfolio.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portfolio.core.spi.ProgressReporter;
import dev.portfolio.index.testing.PostgresSchemaExtension;
import dev.portfolio.index.testing.TestSchema;
import dev.portfolio.maintenance.backup.BackupVerification;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PostgreSQL quickstart's whole story against the test database, with the hashing embedder (the
 * ONNX models would make the switch take ~20 s on this corpus; {@link QuickstartTest} runs them).
 */
@ExtendWith(PostgresSchemaExtension.class)
class QuickstartPgIT {
  @Test
  void installsIngestsSwitchesAndBacksUpOnPostgres(TestSchema db, @TempDir Path backups) {
    String first = run(db, backups);

    assertThat(first)
        .contains("Installed schema \"" + db.name() + "\" at version ")
        .contains("embedder hashing:hashing-v1 (64 dimensions)")
        .containsPattern(
            "First pass: {2}34 documents read: 34 added, 0 updated, 0 unchanged, 0 failed")
        .containsPattern(
            "Second pass: 34 documents read: 0 added, 0 updated, 34 unchanged, 0 failed;"
                + " 0 chunks embedded in 0 embedder calls")
        .contains("34 documents ready")
        .contains("100.0% embedded")
        .contains("Model switch: hashing:hashing-v1 -> hashing:hashing-v1 (128 dimensions)")
        .containsPattern("activated; \\d+ chunks embedded, 0 failed")
        .contains("0 missing at activation")
        .contains("Diagnostics before the switch:")
        .contains("Diagnostics after the switch:")
        .contains("Verify: archive ")
        .contains(": VALID");
    String after = first.substring(first.indexOf("After, hashing:hashing-v1"));
    assertThat(after.lines().skip(1).limit(3).toList())
        .as("the new model's hits (lexical hashing: the page is among the first 3)")
        .hasSize(3)
        .anySatisfy(hit -> assertThat(hit).contains("Write-Ahead Logging and Crash Recovery"));

    String again = run(db, backups);
    assertThat(again)
        .as("a second run finds the schema installed and starts the story over")
        .contains("Schema \"" + db.name() + "\" is at version ")
        .contains("Dropped collection 'quickstart' of an earlier run.")
        .containsPattern("First pass: {2}34 documents read: 34 added");
  }

  private static String run(TestSchema db, Path backups) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    BackupVerification verified;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      verified =
          QuickstartPg.run(
              out,
              ProgressReporter.SILENT,
              db.dataSource(),
              db.name(),
              Map.of("provider", "hashing", "dimension", "64"),
              backups,
              List.of("database crash recovery with a write-ahead log"));
    }
    assertThat(verified.valid()).as(verified.toString()).isTrue();
    assertThat(verified.collections())
        .singleElement()
        .satisfies(c -> assertThat(c.toString()).contains("quickstart"));
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
