package dev.portfolio.maintenance.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Option parsing and usage errors of {@code collections migrate | verify | rollback}; the plan is
 * read before the database is opened, so nothing here needs one.
 */
class DomainCommandsTest {
  private static final Map<String, String> DB =
      Map.of("PORTFOLIO_JDBC_URL", "jdbc:postgresql://127.0.0.1:1/none");

  private static Path plan(Path dir, String sources) throws Exception {
    Path file = dir.resolve("plan.json");
    Files.writeString(
        file,
        "{\"sources\": ["
            + sources
            + "], \"types\": [{\"name\": \"docs\", \"model\": \"hashing:hashing-v1\","
            + " \"dimension\": 8}]}");
    return file;
  }

  @Test
  void migrateTakesThePlanDryRunAndJson() {
    DomainCommands.Migrate m =
        InProcess.parse("collections", "migrate", "--plan", "p.json", "--dry-run", "--json");
    assertThat(m.plan).isEqualTo(Path.of("p.json"));
    assertThat(m.dryRun).isTrue();
    assertThat(m.json).isTrue();

    DomainCommands.Migrate plain = InProcess.parse("collections", "migrate", "--plan", "p.json");
    assertThat(plain.dryRun).isFalse();
    assertThat(plain.json).isFalse();
  }

  @Test
  void verifyAndRollbackTakeTheirOptions() {
    DomainCommands.Verify v = InProcess.parse("collections", "verify", "--plan", "p.json");
    assertThat(v.plan).isEqualTo(Path.of("p.json"));

    DomainCommands.Rollback r =
        InProcess.parse(
            "collections", "rollback", "--plan", "p.json", "--created", "run.json", "--yes");
    assertThat(r.created).isEqualTo(Path.of("run.json"));
    assertThat(r.yes).isTrue();
    assertThat(r.dryRun).isFalse();

    DomainCommands.Rollback dry =
        InProcess.parse("collections", "rollback", "--plan", "p.json", "--dry-run");
    assertThat(dry.dryRun).isTrue();
    assertThat(dry.yes).isFalse();
    assertThat(dry.created).isNull();
  }

  @Test
  void everyCommandNeedsThePlan() {
    for (String command : new String[] {"migrate", "verify", "rollback"}) {
      InProcess r = InProcess.run(DB, "collections", command);
      assertThat(r.exitCode()).as(command).isEqualTo(ExitCodes.USAGE);
      assertThat(r.err())
          .as(command)
          .contains(
              "Missing required option: '--plan=FILE'",
              "Try 'portfolio collections " + command + " --help'");
    }
  }

  @Test
  void aMissingOrInvalidPlanIsAUsageErrorBeforeTheDatabaseIsOpened(@TempDir Path dir)
      throws Exception {
    Path missing = dir.resolve("nope.json");
    InProcess r = InProcess.run(DB, "collections", "migrate", "--plan", missing.toString());
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("Plan file " + missing + " does not exist");

    Path colliding =
        plan(
            dir,
            "{\"id\": \"a\", \"title\": \"Sales Team\"}, {\"id\": \"b\", \"title\": \"sales team\"}");
    InProcess c = InProcess.run(DB, "collections", "verify", "--plan", colliding.toString());
    assertThat(c.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(c.err())
        .contains("Collection name collision: \"sales_team_docs\"", "Nothing was created.")
        .doesNotContain("Exception");
  }

  @Test
  void rollbackNeedsYesOrDryRun(@TempDir Path dir) throws Exception {
    Path p = plan(dir, "{\"id\": \"a\", \"title\": \"Alpha\"}");
    InProcess r = InProcess.run(DB, "collections", "rollback", "--plan", p.toString());
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("add --yes to confirm, or --dry-run to see which");
  }

  @Test
  void aCreatedFileWithoutTheListIsAUsageError(@TempDir Path dir) throws Exception {
    Path p = plan(dir, "{\"id\": \"a\", \"title\": \"Alpha\"}");
    Path run = dir.resolve("run.json");
    Files.writeString(run, "{\"created\": 1}");
    InProcess r =
        InProcess.run(
            DB,
            "collections",
            "rollback",
            "--plan",
            p.toString(),
            "--created",
            run.toString(),
            "--yes");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("has no \"createdCollections\" list");

    Files.writeString(run, "{\"createdCollections\": [\"Not A Name\"]}");
    InProcess bad =
        InProcess.run(
            DB,
            "collections",
            "rollback",
            "--plan",
            p.toString(),
            "--created",
            run.toString(),
            "--yes");
    assertThat(bad.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(bad.err()).contains("Invalid collection name \"Not A Name\"");
  }
}
