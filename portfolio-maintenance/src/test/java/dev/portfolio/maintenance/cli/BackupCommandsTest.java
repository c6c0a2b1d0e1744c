package dev.portfolio.maintenance.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portfolio.core.memory.InMemoryVectorStore;
import dev.portfolio.core.spi.ProgressReporter;
import dev.portfolio.maintenance.Maintenance;
import dev.portfolio.maintenance.backup.BackupOptions;
import dev.portfolio.maintenance.backup.BackupResult;
import dev.portfolio.maintenance.backup.RestoreMode;
import dev.portfolio.maintenance.backup.RestoreOptions;
import dev.portfolio.maintenance.testing.BackupFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Option parsing and usage errors of {@code backup}, {@code verify-backup}, {@code restore} and
 * {@code prune-backups}; the archive commands run for real on files (no database needed).
 */
class BackupCommandsTest {
  private static final Map<String, String> DB =
      Map.of("PORTFOLIO_JDBC_URL", "jdbc:postgresql://127.0.0.1:1/none");

  @TempDir Path dir;

  @Test
  void backupParsesItsOptions() {
    BackupCommand c =
        InProcess.parse(
            "backup", "-o", "/backups", "-c", "docs", "-c", "code", "--all-sets", "--jobs", "1");
    BackupOptions o = c.options();
    assertThat(c.output).isEqualTo(Path.of("/backups"));
    assertThat(o.collections()).containsExactly("docs", "code");
    assertThat(o.includeBuildingSets()).isTrue();
    assertThat(o.jobs()).isEqualTo(1);

    BackupCommand all = InProcess.parse("backup", "--output", "/backups", "--all");
    assertThat(all.options().collections()).isEmpty();
    assertThat(all.options().includeBuildingSets()).isFalse();
    assertThat(all.options().jobs()).isEqualTo(BackupOptions.DEFAULT_JOBS);
  }

  @Test
  void backupRejectsBadOptionsAsUsageErrors() {
    InProcess both = InProcess.run(DB, "backup", "-o", "/tmp", "-c", "docs", "--all");
    assertThat(both.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(both.err()).contains("mutually exclusive");

    InProcess jobs = InProcess.run(DB, "backup", "-o", "/tmp", "--jobs", "3");
    assertThat(jobs.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(jobs.err())
        .contains("backup.jobs must be between 1 and 2 (was 3)")
        .contains("Try 'portfolio backup --help'");

    InProcess noOutput = InProcess.run(DB, "backup", "--all");
    assertThat(noOutput.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(noOutput.err()).contains("Missing required option: '--output=FILE|DIR'");

    InProcess badName = InProcess.run(DB, "backup", "-o", "/tmp", "-c", "Bad Name!");
    assertThat(badName.exitCode()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void restoreMapsItsModesOntoTheLibrarysOptions() {
    RestoreCommand empty = InProcess.parse("restore", "a.zip", "--yes");
    RestoreOptions o = empty.options(null);
    assertThat(o.mode()).isEqualTo(RestoreMode.INTO_EMPTY);
    assertThat(o.collections()).isEmpty();

    RestoreCommand replace =
        InProcess.parse(
            "restore", "a.zip", "--mode", "replace", "-c", "docs", "--safety-dir", "/s", "--yes");
    o = replace.options(null);
    assertThat(o.mode()).isEqualTo(RestoreMode.REPLACE);
    assertThat(o.collections()).containsExactly("docs");
    assertThat(o.safetyBackupDirectory()).isEqualTo(Path.of("/s"));

    RestoreCommand rename =
        InProcess.parse("restore", "a.zip", "--mode", "RENAME", "-c", "docs", "--as", "copy");
    o = rename.options(null);
    assertThat(o.mode()).isEqualTo(RestoreMode.INTO_EMPTY);
    assertThat(o.collections()).containsExactly("docs");
    assertThat(o.targetName("docs")).isEqualTo("copy");

    RestoreCommand inferred = InProcess.parse("restore", "a.zip", "--mode", "rename", "--as", "x");
    assertThat(inferred.options("only").targetName("only")).isEqualTo("x");
  }

  @Test
  void restoreRejectsBadCombinationsBeforeReadingAnything() throws Exception {
    Path file = Files.writeString(dir.resolve("a.zip"), "not read");
    InProcess noAs = InProcess.run(DB, "restore", file.toString(), "--mode", "rename", "--yes");
    assertThat(noAs.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(noAs.err()).contains("--mode rename needs the new name: --as NAME");

    InProcess asWithoutRename = InProcess.run(DB, "restore", file.toString(), "--as", "x", "--yes");
    assertThat(asWithoutRename.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(asWithoutRename.err()).contains("--as NAME goes with --mode rename");

    InProcess noYes = InProcess.run(DB, "restore", file.toString(), "--mode", "replace");
    assertThat(noYes.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(noYes.err())
        .contains("and replaces the ones that exist; add --yes to confirm")
        .contains("Try 'portfolio restore --help'");

    InProcess badMode = InProcess.run(DB, "restore", file.toString(), "--mode", "merge");
    assertThat(badMode.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(badMode.err()).contains("expected one of [EMPTY, REPLACE, RENAME]");

    InProcess missing = InProcess.run(DB, "restore", dir.resolve("none.zip").toString(), "--yes");
    assertThat(missing.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(missing.err()).contains("no archive at");
  }

  @Test
  void verifyBackupNeedsNoDatabaseAndExitsWithOneForADamagedArchive() throws Exception {
    InMemoryVectorStore store = new InMemoryVectorStore();
    BackupFixture.populate(store, "docs", 20);
    BackupResult b =
        Maintenance.builder()
            .store(store)
            .progress(ProgressReporter.SILENT)
            .build()
            .backup(dir, BackupOptions.of("docs"));

    InProcess ok = InProcess.run("verify-backup", b.archive().toString(), "--progress", "none");
    assertThat(ok.exitCode()).as(ok.err()).isZero();
    assertThat(ok.out()).contains(": VALID (format ", "COLLECTION", "docs", "60");

    JsonNode json =
        new ObjectMapper()
            .readTree(InProcess.run("verify-backup", b.archive().toString(), "--json").out());
    assertThat(json.get("valid").asBoolean()).isTrue();
    assertThat(json.get("collections").get(0).get("chunks").asLong()).isEqualTo(60);

    byte[] bytes = Files.readAllBytes(b.archive());
    bytes[bytes.length / 3] ^= 0x01;
    Path damaged = Files.write(dir.resolve("damaged.zip"), bytes);
    InProcess bad = InProcess.run("verify-backup", damaged.toString(), "--progress", "none");
    assertThat(bad.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(bad.out()).contains(": INVALID, ").contains("SHA-256");
    assertThat(bad.err()).contains("Do not restore this archive");
  }

  @Test
  void pruneBackupsDeletesOldArchivesAndRejectsAZeroAge() throws Exception {
    Path old = Files.writeString(dir.resolve("portfolio-backup-20200101T000000000Z.zip"), "x");
    Path newer = Files.writeString(dir.resolve("portfolio-backup-20210101T000000000Z.zip"), "x");
    Path other = Files.writeString(dir.resolve("notes.txt"), "x");
    java.time.Instant now = java.time.Instant.now();
    Files.setLastModifiedTime(
        old, java.nio.file.attribute.FileTime.from(now.minus(Duration.ofDays(90))));
    Files.setLastModifiedTime(
        newer, java.nio.file.attribute.FileTime.from(now.minus(Duration.ofDays(60))));
    Files.setLastModifiedTime(
        other, java.nio.file.attribute.FileTime.from(now.minus(Duration.ofDays(90))));

    InProcess zero = InProcess.run("prune-backups", dir.toString(), "--older-than", "0");
    assertThat(zero.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(zero.err()).contains("--older-than must be at least 1 day (was 0)");

    PruneBackupsCommand parsed =
        InProcess.parse("prune-backups", dir.toString(), "--older-than", "30");
    assertThat(parsed.olderThan()).isEqualTo(Duration.ofDays(30));

    InProcess r = InProcess.run("prune-backups", dir.toString(), "--older-than", "30", "--json");
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertThat(json.get("deleted")).hasSize(1);
    assertThat(json.get("deleted").get(0).asText()).isEqualTo(old.toString());
    assertThat(old).doesNotExist();
    assertThat(List.of(newer, other))
        .as("the newest archive and other files stay")
        .allMatch(Files::exists);
  }
}
