package dev.portfolio.maintenance.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import dev.portfolio.core.model.SetState;
import dev.portfolio.index.pgvector.PgVectorStore;
import dev.portfolio.index.pgvector.TestStores;
import dev.portfolio.index.schema.PortfolioSchema;
import dev.portfolio.index.testing.PostgresSchemaExtension;
import dev.portfolio.index.testing.TestSchema;
import dev.portfolio.maintenance.cli.JarProcess.Result;
import dev.portfolio.maintenance.testing.Fixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built {@code portfolio} jar run as a separate process against PostgreSQL: every command's
 * output and exit code. Each test works on collections of its own in the class's schema; the schema
 * is installed by the first test, through the command line.
 */
@ExtendWith(PostgresSchemaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PortfolioCliIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TestSchema db;
  private Map<String, String> env;
  private HikariDataSource pool;
  private PgVectorStore store;

  @BeforeAll
  void open(TestSchema schema) {
    this.db = schema;
    this.env = Map.of("PORTFOLIO_JDBC_URL", db.jdbcUrl(), "PORTFOLIO_SCHEMA", db.name());
    this.pool = TestStores.pool(db);
  }

  @AfterAll
  void close() {
    if (store != null) {
      store.close();
    }
    pool.close();
  }

  private Result run(String... args) throws Exception {
    return JarProcess.run(env, args);
  }

  private PgVectorStore store() {
    if (store == null) {
      store = PgVectorStore.builder(pool).schema(db.name()).build();
    }
    return store;
  }

  private static JsonNode json(Result r) throws Exception {
    assertThat(r.exitCode()).as(r.toString()).isZero();
    return JSON.readTree(r.out());
  }

  @Test
  @Order(0)
  void theLauncherFindsAJdk21AndTheBuiltJar() throws Exception {
    Path launcher =
        JarProcess.jar()
            .toAbsolutePath()
            .getParent()
            .getParent()
            .getParent()
            .resolve("bin/portfolio");
    assertThat(launcher).isExecutable();
    Map<String, String> withOldJava = new java.util.HashMap<>(env);
    // An older JDK in JAVA_HOME is passed over (scripts/java-home.sh looks further).
    withOldJava.put("JAVA_HOME", "/usr/lib/jvm/java-17-openjdk-amd64");
    Result r = JarProcess.start(withOldJava, List.of(launcher.toString(), "--version")).await();
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).startsWith("portfolio ").containsPattern("Java (2[1-9]|[3-9][0-9])");
    Result help =
        JarProcess.start(env, List.of(launcher.toString(), "collections", "--help")).await();
    assertThat(help.out()).contains("Usage: portfolio collections");
  }

  @Test
  @Order(1)
  void installAppliesTheSchemaThenFindsNothingToDo() throws Exception {
    int latest = PortfolioSchema.latestVersion();
    Result first = run("install");
    assertThat(first.exitCode()).as(first.toString()).isZero();
    assertThat(first.out())
        .startsWith(
            "Installed schema \""
                + db.name()
                + "\" at version "
                + latest
                + " (was 0): applied migrations "
                + PortfolioSchema.migrations().stream()
                    .map(m -> String.valueOf(m.version()))
                    .collect(java.util.stream.Collectors.joining(", "))
                + " in ");
    assertThat(first.err()).as("no log noise").isEmpty();

    JsonNode again = json(run("install", "--json"));
    assertThat(again.get("schema").asText()).isEqualTo(db.name());
    assertThat(again.get("fromVersion").asInt()).isEqualTo(latest);
    assertThat(again.get("toVersion").asInt()).isEqualTo(latest);
    assertThat(again.get("changed").asBoolean()).isFalse();
    assertThat(again.get("applied")).isEmpty();

    Result human = run("install");
    assertThat(human.out())
        .isEqualTo(
            "Schema \"" + db.name() + "\" is already at version " + latest + "; nothing to do.\n");
  }

  @Test
  @Order(2)
  void collectionsAreCreatedListedAndDropped() throws Exception {
    Result created =
        run(
            "collections",
            "create",
            "cli-a",
            "--embedder",
            "hashing",
            "--embedder-opt",
            "dimension=24");
    assertThat(created.exitCode()).as(created.toString()).isZero();
    assertThat(created.out())
        .matches(
            "Created collection cli-a \\(id \\d+\\): hashing:hashing-v1, 24 dimensions, cosine distance\n");
    JsonNode b =
        json(
            run(
                "collections",
                "create",
                "cli-b",
                "--model",
                "m:x",
                "--dimension",
                "8",
                "--distance",
                "l2",
                "--json"));
    assertThat(b.get("name").asText()).isEqualTo("cli-b");
    assertThat(b.get("distance").asText()).isEqualTo("l2");
    assertThat(b.get("activeSetId").asLong()).isPositive();
    assertThat(b.get("buildingSetId").isNull()).isTrue();

    Result dup = run("collections", "create", "cli-b", "--model", "m:x", "--dimension", "8");
    assertThat(dup.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(dup.err())
        .contains("portfolio collections create: ")
        .contains("cli-b")
        .doesNotContain("\tat ");

    Result list = run("collections", "list");
    assertThat(list.exitCode()).isZero();
    List<String> lines = list.out().lines().toList();
    assertThat(lines.get(0))
        .startsWith("NAME")
        .contains("MODEL", "DIMENSION", "DISTANCE", "ACTIVE SET");
    assertThat(lines)
        .anySatisfy(
            l -> assertThat(l).startsWith("cli-a").contains("hashing:hashing-v1", "24", "cosine"));
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("cli-b").contains("m:x", "l2"));
    int modelColumn = lines.get(0).indexOf("MODEL");
    assertThat(lines.stream().skip(1).filter(l -> l.startsWith("cli-")))
        .allSatisfy(l -> assertThat(l.charAt(modelColumn - 1)).isEqualTo(' '));

    JsonNode listed = json(run("collections", "list", "--json"));
    assertThat(listed.get("collections").findValuesAsText("name")).contains("cli-a", "cli-b");

    Result noYes = run("collections", "drop", "cli-b");
    assertThat(noYes.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(store().findCollection("cli-b")).isPresent();
    Result dropped = run("collections", "drop", "cli-b", "--yes");
    assertThat(dropped.out()).isEqualTo("Dropped collection cli-b.\n");
    assertThat(store().findCollection("cli-b")).isEmpty();
    Result gone = run("collections", "drop", "cli-b", "--yes");
    assertThat(gone.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(gone.err()).contains("no collection 'cli-b'");
  }

  @Test
  @Order(3)
  void reembedEmbedsWhatIsMissingAndReportsIt() throws Exception {
    Fixture.load(store(), "cli-re", 16, 30, 4);
    Result dry =
        run(
            "reembed",
            "-c",
            "cli-re",
            "--embedder",
            "hashing",
            "--embedder-opt",
            "dimension=16",
            "--dry-run");
    assertThat(dry.exitCode()).as(dry.toString()).isZero();
    assertThat(dry.out())
        .contains("[dry run]: would embed 120 chunks")
        .contains("nothing was changed");
    assertThat(dry.out()).doesNotContain("cost");
    Result priced =
        run(
            "reembed",
            "-c",
            "cli-re",
            "--embedder",
            "hashing",
            "--embedder-opt",
            "dimension=16",
            "--embedder-opt",
            "pricePer1kTokens=0.25",
            "--dry-run",
            "--json");
    assertThat(priced.exitCode()).as(priced.toString()).isZero();
    JsonNode estimate = JSON.readTree(priced.out()).get("estimates").get(0);
    assertThat(estimate.get("pricePer1kTokens").asDouble()).isEqualTo(0.25);
    assertThat(estimate.get("estimatedCost").asDouble())
        .isEqualTo(estimate.get("estimatedTokens").asLong() / 1000.0 * 0.25);
    assertThat(store().stats("cli-re").missingChunks()).isEqualTo(120);

    Result r =
        run(
            "reembed",
            "-c",
            "cli-re",
            "--embedder",
            "hashing",
            "--embedder-opt",
            "dimension=16",
            "--batch-size",
            "25",
            "--source",
            "src-0");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out())
        .startsWith("reembed cli-re into set ")
        .contains("(hashing:hashing-v1, missing): 40 of 40 chunks embedded, 0 skipped, 0 failed");
    assertThat(r.err())
        .as("piped: plain progress lines")
        .contains(": started, total unknown")
        .contains("done in");
    assertThat(r.err()).doesNotContain("\r");

    JsonNode rest =
        json(
            run(
                "reembed",
                "-c",
                "cli-re",
                "--embedder",
                "hashing",
                "--embedder-opt",
                "dimension=16",
                "--json",
                "--progress",
                "none"));
    assertThat(rest.get("collection").asText()).isEqualTo("cli-re");
    assertThat(rest.get("mode").asText()).isEqualTo("missing");
    assertThat(rest.get("total").asLong()).isEqualTo(80);
    assertThat(rest.get("processed").asLong()).isEqualTo(80);
    assertThat(rest.get("failed").asLong()).isZero();
    assertThat(rest.get("complete").asBoolean()).isTrue();
    assertThat(rest.get("usage").get("requests").asLong()).isPositive();
    assertThat(store().stats("cli-re").missingChunks()).isZero();
  }

  @Test
  @Order(4)
  void reembedWithAnotherModelFailsNamingTheSwitchCommand() throws Exception {
    Fixture.load(store(), "cli-mismatch", 16, 2, 2);
    Result r =
        run(
            "reembed",
            "-c",
            "cli-mismatch",
            "--embedder",
            "hashing",
            "--embedder-opt",
            "dimension=32");
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.FAILURE);
    assertThat(r.err())
        .contains("portfolio reembed: ")
        .contains("32")
        .contains("16")
        .contains(
            "run 'portfolio switch-model start -c cli-mismatch --embedder hashing --embedder-opt"
                + " dimension=32'")
        .doesNotContain("\tat ");
    assertThat(r.err().lines()).hasSize(1);
    Result unknown = run("reembed", "-c", "nope", "--embedder", "hashing");
    assertThat(unknown.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(unknown.err()).contains("nope");
  }

  @Test
  @Order(5)
  void aSwitchIsStartedInspectedActivatedRolledBackAndCleanedUp() throws Exception {
    Fixture.load(store(), "cli-sw", 16, 10, 3);
    run("reembed", "-c", "cli-sw", "--embedder", "hashing", "--embedder-opt", "dimension=16");

    Result built =
        run(
            "switch-model",
            "start",
            "-c",
            "cli-sw",
            "--embedder",
            "hashing",
            "--embedder-opt",
            "dimension=32",
            "--no-activate");
    assertThat(built.exitCode()).as(built.toString()).isZero();
    assertThat(built.out())
        .contains("switch cli-sw from set")
        .contains("built; 30 chunks embedded, 0 failed");
    assertThat(built.err())
        .contains("is filled; searches still read set")
        .contains("portfolio switch-model activate -c cli-sw");

    JsonNode status = json(run("switch-model", "status", "-c", "cli-sw", "--json"));
    assertThat(status.get("active").get("set").get("dimension").asInt()).isEqualTo(16);
    assertThat(status.get("building").get("set").get("dimension").asInt()).isEqualTo(32);
    assertThat(status.get("building").get("missing").asLong()).isZero();
    assertThat(status.get("readyToActivate").asBoolean()).isTrue();
    Result human = run("switch-model", "status", "-c", "cli-sw");
    assertThat(human.out())
        .contains("Collection cli-sw", "SET", "COVERAGE", "active", "building", "100.0%");

    Result activated = run("switch-model", "activate", "-c", "cli-sw");
    assertThat(activated.exitCode()).as(activated.toString()).isZero();
    assertThat(activated.out())
        .contains("Activated set")
        .contains("32 dimensions")
        .contains("is retired");
    assertThat(store().activeSet("cli-sw").dimension()).isEqualTo(32);

    JsonNode rolledBack = json(run("switch-model", "rollback", "-c", "cli-sw", "--json"));
    assertThat(rolledBack.get("active").get("dimension").asInt()).isEqualTo(16);
    assertThat(store().activeSet("cli-sw").dimension()).isEqualTo(16);

    Result again = run("switch-model", "activate", "-c", "cli-sw");
    assertThat(again.exitCode()).as(again.toString()).isEqualTo(ExitCodes.FAILURE);
    assertThat(again.err()).contains("portfolio switch-model activate: ");

    Result dropped = run("switch-model", "drop-retired", "-c", "cli-sw", "--yes");
    assertThat(dropped.exitCode()).as(dropped.toString()).isZero();
    assertThat(dropped.out()).startsWith("Dropped retired set");
    assertThat(store().embeddingSets("cli-sw")).noneMatch(s -> s.state() == SetState.RETIRED);

    Result nothing = run("switch-model", "abandon", "-c", "cli-sw", "--yes");
    assertThat(nothing.out()).isEqualTo("No switch under way in cli-sw.\n");

    Result full =
        run(
            "switch-model",
            "start",
            "-c",
            "cli-sw",
            "--embedder",
            "hashing",
            "--embedder-opt",
            "dimension=48",
            "--drop-retired");
    assertThat(full.exitCode()).as(full.toString()).isZero();
    assertThat(full.out()).contains("activated; 30 chunks embedded");
    assertThat(store().activeSet("cli-sw").dimension()).isEqualTo(48);
  }

  @Test
  @Order(6)
  void migrateEmbeddingsWritesReviewableSqlAndAppliesIt(@TempDir Path dir) throws Exception {
    Fixture.load(store(), "cli-mig", 16, 3, 2);
    Result files =
        run(
            "migrate-embeddings",
            "-c",
            "cli-mig",
            "--model",
            "next:model",
            "--dimension",
            "12",
            "-o",
            dir.toString());
    assertThat(files.exitCode()).as(files.toString()).isZero();
    assertThat(files.out())
        .startsWith("Wrote ")
        .contains("to next:model (12 dimensions, building set");
    try (var listing = Files.list(dir)) {
      List<Path> written = listing.sorted().toList();
      assertThat(written).hasSize(2);
      assertThat(written.get(0).getFileName().toString()).matches("cli-mig-set\\d+-down\\.sql");
      assertThat(Files.readString(written.get(0))).contains("DROP TABLE");
      assertThat(Files.readString(written.get(1))).contains("BEGIN;", "'next:model'", "COMMIT;");
    }
    assertThat(store().buildingSet("cli-mig")).as("writing files changes nothing").isEmpty();

    Result print =
        run(
            "migrate-embeddings",
            "-c",
            "cli-mig",
            "--embedder",
            "hashing",
            "--embedder-opt",
            "dimension=20",
            "--print");
    assertThat(print.out()).contains("'hashing:hashing-v1'", "20", "$portfolio_down$");

    JsonNode applied =
        json(
            run(
                "migrate-embeddings",
                "-c",
                "cli-mig",
                "--model",
                "next:model",
                "--dimension",
                "12",
                "--apply",
                "--json"));
    assertThat(applied.get("applied").asBoolean()).isTrue();
    assertThat(store().buildingSet("cli-mig"))
        .hasValueSatisfying(
            s -> {
              assertThat(s.id()).isEqualTo(applied.get("setId").asLong());
              assertThat(s.dimension()).isEqualTo(12);
            });
    Result abandoned = run("switch-model", "abandon", "-c", "cli-mig", "--yes");
    assertThat(abandoned.out()).startsWith("Dropped building set " + applied.get("setId").asLong());
    assertThat(store().buildingSet("cli-mig")).isEmpty();
  }

  @Test
  @Order(7)
  void onATerminalProgressIsABarWithRateAndEta() throws Exception {
    Fixture.load(store(), "cli-pty", 16, 400, 5);
    List<String> reembed =
        List.of(
            "reembed",
            "-c",
            "cli-pty",
            "--embedder",
            "hashing",
            "--embedder-opt",
            "dimension=16",
            "--batch-size",
            "10",
            "--concurrency",
            "1");
    Result r = JarProcess.runInTerminal(env, reembed.toArray(String[]::new));
    assertThat(r.exitCode()).as(r.toString()).isZero();
    String shown = r.out();
    assertThat(shown)
        .as("a bar redrawn in place")
        .contains("\r[....................]   0.0%  0/2,000")
        .contains("ETA --:--")
        .contains("[####################] 100.0%  2,000/2,000")
        .containsPattern("2,000/2,000  [0-9,.]+/s  done  reembed cli-pty")
        .contains("2000 of 2000 chunks embedded");
    assertThat(shown)
        .as("redraws on the way, each with a rate and an ETA")
        .containsPattern(
            "\r\\[#{1,19}\\.{1,19}\\] +[0-9.]+%  [0-9,]+/2,000  [0-9,.]+/s  ETA \\d+:\\d\\d  reembed"
                + " cli-pty");
    long redraws = shown.split("\r\\[", -1).length - 1;
    assertThat(redraws).as("bars drawn").isGreaterThan(2);
    assertThat(shown)
        .as("the last line of progress ends before the summary is printed")
        .containsPattern(
            "cli-pty into set \\d+: done in \\d+:\\d\\d, 2,000/2,000 at [0-9,.]+/s\r?\n"
                + "reembed cli-pty into set \\d+ \\(hashing");
    assertThat(shown).doesNotContain(": started, 2,000 to do");

    List<String> again = new java.util.ArrayList<>(reembed);
    again.add("--all");
    Result piped = run(again.toArray(String[]::new));
    assertThat(piped.exitCode()).as(piped.toString()).isZero();
    assertThat(piped.err())
        .as("piped: plain lines, no redraws")
        .startsWith("reembed cli-pty into set ")
        .contains(": started, 2,000 to do\n")
        .containsPattern(": 10\\.\\d% \\([0-9,]+/2,000\\)  [0-9,.]+/s  ETA \\d+:\\d\\d\n")
        .containsPattern(": done in \\d+:\\d\\d, 2,000/2,000 at [0-9,.]+/s\n$")
        .doesNotContain("\r", "chunks embedded");
    assertThat(piped.out()).contains("2000 of 2000 chunks embedded");
  }

  @Test
  @Order(8)
  void ctrlCStopsAtABatchBoundaryAndTheNextRunResumes() throws Exception {
    Fixture.load(store(), "cli-int", 16, 2000, 10);
    JarProcess p =
        JarProcess.start(
            env,
            JarProcess.command(
                "reembed",
                "-c",
                "cli-int",
                "--embedder",
                "hashing",
                "--embedder-opt",
                "dimension=16",
                "--batch-size",
                "5",
                "--concurrency",
                "1",
                "--progress",
                "lines"));
    p.awaitStderr(err -> err.contains(": started, 20,000 to do"));
    Process kill = new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start();
    assertThat(kill.waitFor()).isZero();
    Result r = p.await();

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.INTERRUPTED);
    assertThat(r.err())
        .contains("portfolio: interrupted; reembed cli-int stops after the batches in flight")
        .contains("Run the same command again to resume where it stopped.");
    assertThat(r.out()).contains("; cancelled, run again to resume");
    long missing = store().stats("cli-int").missingChunks();
    assertThat(missing).as("stopped early").isPositive().isLessThan(20_000);

    JsonNode resumed =
        json(
            run(
                "reembed",
                "-c",
                "cli-int",
                "--embedder",
                "hashing",
                "--embedder-opt",
                "dimension=16",
                "--batch-size",
                "500",
                "--json"));
    assertThat(resumed.get("total").asLong()).as("only what was left").isEqualTo(missing);
    assertThat(resumed.get("processed").asLong()).isEqualTo(missing);
    assertThat(store().stats("cli-int").missingChunks()).isZero();
  }

  @Test
  @Order(9)
  void reembedModelEmbedsWithTheSetsModelAndRefusesAnotherWithTheSwitchCommand() throws Exception {
    store()
        .createCollection(
            dev.portfolio.core.model.CollectionSpec.of("cli-model", "openai:small-8", 8));
    assertThat(
            store()
                .upsert("cli-model", dev.portfolio.maintenance.testing.Corpus.documents("d-", 6, 2))
                .failures())
        .isEmpty();
    try (EmbeddingsStub server = EmbeddingsStub.start(8)) {
      String[] openai = {
        "reembed",
        "-c",
        "cli-model",
        "--embedder",
        "openai",
        "--embedder-opt",
        "baseUrl=" + server.baseUrl(),
        "--embedder-opt",
        "dimension=8",
        "--progress",
        "none"
      };
      Result other = run(with(openai, "--model", "large-8"));
      assertThat(other.exitCode()).as(other.toString()).isEqualTo(ExitCodes.FAILURE);
      assertThat(other.err().lines())
          .as("one line")
          .containsExactly(
              "portfolio reembed: --model large-8 gives openai:large-8 (8 dimensions) but set "
                  + store().activeSet("cli-model").id()
                  + " of collection 'cli-model' holds openai:small-8 (8 dimensions); reembed only"
                  + " refreshes the vectors of the set's own model. Nothing was embedded. To move"
                  + " the collection to openai:large-8, run 'portfolio switch-model start -c"
                  + " cli-model --embedder openai --embedder-opt baseUrl="
                  + server.baseUrl()
                  + " --embedder-opt dimension=8 --embedder-opt model=large-8'; to re-embed set "
                  + store().activeSet("cli-model").id()
                  + ", use an embedder of openai:small-8 with 8 dimensions.");
      assertThat(server.requests()).as("no embedder call").isZero();
      assertThat(store().stats("cli-model").missingChunks()).isEqualTo(12);

      Result same = run(with(openai, "--model", "small-8"));
      assertThat(same.exitCode()).as(same.toString()).isZero();
      assertThat(same.out())
          .contains("(openai:small-8, missing): 12 of 12 chunks embedded, 0 skipped, 0 failed");
      assertThat(server.models()).containsOnly("small-8");
      assertThat(store().stats("cli-model").missingChunks()).isZero();

      Result conflict = run(with(openai, "--model", "small-8", "--embedder-opt", "model=large-8"));
      assertThat(conflict.exitCode()).as(conflict.toString()).isEqualTo(ExitCodes.USAGE);
      assertThat(conflict.err())
          .startsWith(
              "portfolio reembed: --model small-8 and --embedder-opt model=large-8 name different"
                  + " models; give the model once\n");
    }
  }

  private static String[] with(String[] args, String... more) {
    List<String> all = new java.util.ArrayList<>(List.of(args));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }
}
