package dev.portfolio.maintenance.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portfolio.maintenance.cli.JarProcess.Result;
import dev.portfolio.maintenance.testing.BackupFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built {@code portfolio} jar backs up, verifies, refuses a damaged archive and restores under
 * a new name, as a separate process against PostgreSQL.
 */
class BackupCliIT extends JarCliFixture {
  @TempDir Path dir;

  @Test
  void backupVerifyDetectADamagedArchiveAndRestoreUnderANewName() throws Exception {
    BackupFixture.populate(store, "cli-docs", 60);
    List<String> original = BackupFixture.picture(store, "cli-docs");

    Result backup = run("backup", "-o", dir.toString(), "-c", "cli-docs", "--all-sets", "--json");
    assertThat(backup.exitCode()).as(backup.toString()).isZero();
    JsonNode b = JSON.readTree(backup.out());
    Path archive = Path.of(b.get("archive").asText());
    assertThat(archive).exists().hasParent(dir);
    assertThat(b.get("chunks").asLong()).isEqualTo(180);
    assertThat(b.get("collections").get(0).get("sets")).hasSize(2);

    Result verify = run("verify-backup", archive.toString(), "--progress", "none");
    assertThat(verify.exitCode()).as(verify.toString()).isZero();
    assertThat(verify.out()).contains(": VALID (format ", "cli-docs", "180");

    byte[] bytes = Files.readAllBytes(archive);
    Path damaged = dir.resolve("damaged.zip");
    bytes[bytes.length / 2] ^= 0x04;
    Files.write(damaged, bytes);
    Result bad = run("verify-backup", damaged.toString(), "--json");
    assertThat(bad.exitCode()).as(bad.toString()).isEqualTo(ExitCodes.FAILURE);
    assertThat(JSON.readTree(bad.out()).get("valid").asBoolean()).isFalse();
    Result refused =
        run(
            "restore",
            damaged.toString(),
            "--mode",
            "rename",
            "-c",
            "cli-docs",
            "--as",
            "never",
            "--yes");
    assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCodes.FAILURE);
    assertThat(refused.err()).contains("cannot be restored; nothing was written");
    assertThat(store.findCollection("never")).isEmpty();

    Result noYes = run("restore", archive.toString(), "--mode", "rename", "--as", "cli-copy");
    assertThat(noYes.exitCode()).isEqualTo(ExitCodes.USAGE);

    Result restore =
        run(
            "restore",
            archive.toString(),
            "--mode",
            "rename",
            "--as",
            "cli-copy",
            "--yes",
            "--progress",
            "none");
    assertThat(restore.exitCode()).as(restore.toString()).isZero();
    assertThat(restore.out()).contains("Restored 1 collection from ", "cli-copy");
    assertThat(BackupFixture.picture(store, "cli-copy")).isEqualTo(original);

    Result exists = run("restore", archive.toString(), "--yes", "--progress", "none");
    assertThat(exists.exitCode()).as(exists.toString()).isEqualTo(ExitCodes.FAILURE);
    assertThat(exists.err()).contains("exist; nothing was restored");
  }
}
