package dev.portfolio.maintenance.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import dev.portfolio.index.pgvector.PgVectorStore;
import dev.portfolio.index.pgvector.TestStores;
import dev.portfolio.index.testing.PostgresSchemaExtension;
import dev.portfolio.index.testing.TestSchema;
import dev.portfolio.maintenance.cli.JarProcess.Result;
import dev.portfolio.maintenance.testing.BackupFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built {@code portfolio} jar backs up, verifies, refuses a damaged archive and restores under
 * a new name, as a separate process against PostgreSQL.
 */
@ExtendWith(PostgresSchemaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackupCliIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private TestSchema db;
  private Map<String, String> env;
  private HikariDataSource pool;
  private PgVectorStore store;

  @BeforeAll
  void open(TestSchema schema) {
    db = schema;
    TestStores.install(db);
    env = Map.of("PORTFOLIO_JDBC_URL", db.jdbcUrl(), "PORTFOLIO_SCHEMA", db.name());
    pool = TestStores.pool(db);
    store = PgVectorStore.builder(pool).schema(db.name()).build();
  }

  @AfterAll
  void close() {
    store.close();
    pool.close();
  }

  private Result run(String... args) throws Exception {
    return JarProcess.run(env, args);
  }

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
