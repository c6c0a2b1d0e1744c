package dev.portfolio.maintenance.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portfolio.core.model.Distance;
import dev.portfolio.index.schema.PortfolioSchema;
import dev.portfolio.maintenance.modelswitch.SwitchOptions;
import dev.portfolio.maintenance.reembed.ReembedMode;
import dev.portfolio.maintenance.reembed.ReembedOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Option parsing and usage errors of every command; nothing here needs a database. */
class PortfolioCliTest {
  private static final Map<String, String> DB =
      Map.of("PORTFOLIO_JDBC_URL", "jdbc:postgresql://127.0.0.1:1/none");

  // ------------------------------------------------------------------------- framework

  @Test
  void everyCommandHasHelpWithExamplesAndTheExitCodes() {
    List<String> commands = new ArrayList<>();
    collect(PortfolioCli.commandLine(new CliIo(System.out, System.err, Map.of(), false)), commands);
    assertThat(commands)
        .contains(
            "install",
            "migrate-embeddings",
            "collections list",
            "collections create",
            "collections drop",
            "reembed",
            "switch-model start",
            "switch-model status",
            "switch-model activate",
            "switch-model rollback",
            "switch-model drop-retired",
            "switch-model abandon");
    for (String command : commands) {
      List<String> args = new ArrayList<>(List.of(command.split(" ")));
      args.add("--help");
      InProcess r = InProcess.run(args.toArray(String[]::new));
      assertThat(r.exitCode()).as(command).isZero();
      assertThat(r.out()).as(command).contains("Usage: portfolio " + command, "Exit codes:", "130");
      assertThat(r.out()).as(command).contains("Examples:");
    }
  }

  @Test
  void everyCommandsHelpHasExamplesThatRunThatCommand() {
    List<CommandLine> all = new ArrayList<>();
    walk(PortfolioCli.commandLine(new CliIo(System.out, System.err, Map.of(), false)), all);
    assertThat(all).as("the root, the commands and their subcommands").hasSizeGreaterThan(30);
    for (CommandLine cmd : all) {
      String name = cmd.getCommandSpec().qualifiedName();
      String usage = cmd.getUsageMessage(CommandLine.Help.Ansi.OFF);
      int heading = usage.indexOf("Examples:" + System.lineSeparator());
      assertThat(heading).as("%s --help has an Examples: section", name).isNotNegative();
      List<String> examples =
          usage
              .substring(heading)
              .lines()
              .skip(1)
              .takeWhile(l -> !l.isBlank())
              .filter(l -> l.startsWith("  "))
              .map(String::strip)
              .toList();
      assertThat(examples)
          .as("%s --help: the examples show the command itself", name)
          .anySatisfy(l -> assertThat(l + " ").startsWith(name + " "));
    }
  }

  private static void walk(CommandLine cmd, List<CommandLine> out) {
    out.add(cmd);
    cmd.getSubcommands().values().forEach(sub -> walk(sub, out));
  }

  private static void collect(CommandLine cmd, List<String> out) {
    for (CommandLine sub : cmd.getSubcommands().values()) {
      String name = sub.getCommandSpec().qualifiedName().substring("portfolio ".length());
      if (sub.getSubcommands().isEmpty()) {
        out.add(name);
      } else {
        out.add(name);
        collect(sub, out);
      }
    }
  }

  @Test
  void noCommandPrintsTheUsageAndExitsWithTwo() {
    InProcess r = InProcess.run();
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("a command is required", "Usage: portfolio");
  }

  @Test
  void anUnknownOptionIsOneLineAndAHintWithoutAStackTrace() {
    InProcess r = InProcess.run("reembed", "-c", "docs", "--batchsize=10");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err())
        .contains(
            "portfolio reembed: Unknown option: '--batchsize=10'",
            "Possible solutions: --batch-size")
        .contains("Try 'portfolio reembed --help' for more information.")
        .doesNotContain("at dev.portfolio", "Exception");
  }

  @Test
  void anUnknownCommandSuggestsTheNearestOne() {
    InProcess r = InProcess.run("reembd");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("Unmatched argument", "reembed");
  }

  @Test
  void aValueOfTheWrongTypeIsAUsageError() {
    InProcess r = InProcess.run(DB, "reembed", "-c", "docs", "--batch-size", "many");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("Invalid value for option '--batch-size': 'many' is not an int");
  }

  @Test
  void aValueTheLibraryRejectsIsAUsageErrorNamingTheField() {
    InProcess r =
        InProcess.run(DB, "reembed", "-c", "docs", "--embedder", "hashing", "--batch-size", "0");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err())
        .contains("reembed.batchSize must be between 1 and 10000 (was 0)")
        .contains("Try 'portfolio reembed --help'");
  }

  @Test
  void aCommandThatNeedsTheDatabaseSaysHowToGiveIt() {
    InProcess r = InProcess.run("collections", "list");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err())
        .contains("no database given: pass --jdbc-url, set PORTFOLIO_JDBC_URL, or put jdbc-url");
  }

  @Test
  void aConnectionFailureIsExitOneAndNeverShowsThePassword() {
    InProcess r =
        InProcess.run(
            Map.of("PORTFOLIO_PASSWORD", "hunter2-secret"),
            "collections",
            "list",
            "--jdbc-url",
            "jdbc:postgresql://127.0.0.1:1/db?password=url-secret-9&connectTimeout=2",
            "--user",
            "ops",
            "--verbose");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(r.err()).contains("portfolio collections list: cannot connect as ops: ");
    assertThat(r.out() + r.err()).doesNotContain("hunter2-secret", "url-secret-9");
  }

  @Test
  void aNonPostgresUrlIsAUsageErrorWithoutItsPassword() {
    InProcess r =
        InProcess.run("collections", "list", "--jdbc-url", "jdbc:mysql://db/x?password=abc123");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err())
        .contains("jdbcUrl must start with jdbc:postgresql:")
        .doesNotContain("abc123");
  }

  // ------------------------------------------------------------------------- connection

  @Test
  void theCommandLineWinsOverTheEnvironmentWhichWinsOverTheConfigFile(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("portfolio.properties");
    Files.writeString(
        file,
        "jdbc-url=jdbc:postgresql://file/db\nuser=file-user\npassword=file-pass\nschema=file_schema\n");
    Map<String, String> env =
        Map.of("PORTFOLIO_USER", "env-user", "PORTFOLIO_CONFIG", file.toString());
    CliIo io = new CliIo(System.out, System.err, env, false);

    ReembedCommand fromFile = InProcess.parse(env, "reembed", "-c", "docs");
    ConnectionOptions.Resolved r = fromFile.connection.resolve(io);
    assertThat(r.jdbcUrl()).isEqualTo("jdbc:postgresql://file/db");
    assertThat(r.user()).isEqualTo("env-user");
    assertThat(r.password()).isEqualTo("file-pass");
    assertThat(r.schema()).isEqualTo("file_schema");
    assertThat(r.toString()).doesNotContain("file-pass");
    assertThat(io.redact("auth failed for file-pass")).isEqualTo("auth failed for ***");

    ReembedCommand fromOptions =
        InProcess.parse(
            env,
            "reembed",
            "-c",
            "docs",
            "--jdbc-url",
            "jdbc:postgresql://cli/db",
            "-U",
            "cli-user",
            "--schema",
            "cli_schema",
            "--password=cli-pass");
    ConnectionOptions.Resolved c = fromOptions.connection.resolve(io);
    assertThat(c)
        .isEqualTo(
            new ConnectionOptions.Resolved(
                "jdbc:postgresql://cli/db", "cli-user", "cli-pass", "cli_schema"));
  }

  @Test
  void anUnknownKeyInTheConfigFileIsRejected(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bad.properties");
    Files.writeString(file, "jdbc_url=jdbc:postgresql://x/y\n");
    InProcess r = InProcess.run("collections", "list", "--config", file.toString());
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("unknown key [jdbc_url]; known keys: jdbc-url");
  }

  @Test
  void aMissingConfigFileIsAUsageError() {
    InProcess r = InProcess.run("collections", "list", "--config", "/nonexistent/portfolio.conf");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("--config /nonexistent/portfolio.conf: no such file");
  }

  // ------------------------------------------------------------------------- embedder

  @Test
  void anUnknownEmbedderIsAUsageErrorListingTheAvailableOnes() {
    InProcess r = InProcess.run(DB, "reembed", "-c", "docs", "--embedder", "nope");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("No embedder provider with id 'nope'", "hashing");
  }

  @Test
  void aBadEmbedderOptionIsAUsageErrorNamingIt() {
    InProcess r =
        InProcess.run(
            DB, "reembed", "-c", "docs", "--embedder", "hashing", "--embedder-opt", "dimensions=8");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("Unknown hashing option [dimensions]");
  }

  @Test
  void anApiKeyOnTheCommandLineIsWarnedAboutAndNeverEchoed() {
    InProcess r =
        InProcess.run(
            DB,
            "reembed",
            "-c",
            "docs",
            "--embedder",
            "openai",
            "--embedder-opt",
            "apiKey=sk-very-secret-123",
            "--embedder-opt",
            "model=nomic");
    assertThat(r.err()).contains("--embedder-opt apiKey puts a secret on the command line");
    assertThat(r.out() + r.err()).doesNotContain("sk-very-secret-123");
  }

  @Test
  void reembedWithoutAnEmbedderSaysHowToNameOne() {
    InProcess r = InProcess.run(DB, "reembed", "-c", "docs");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("reembed needs an embedder: pass --embedder <id>");
  }

  // ------------------------------------------------------------------------- install

  @Test
  void installParsesItsOptions() {
    InstallCommand c =
        InProcess.parse(
            "install",
            "--print",
            "out.sql",
            "--from-version",
            "1",
            "--no-transaction",
            "--schema",
            "rag",
            "--runtime-role",
            "app_rw");
    assertThat(c.printTo).isEqualTo("out.sql");
    assertThat(c.fromVersion).isEqualTo(1);
    assertThat(c.noTransaction).isTrue();
    assertThat(c.connection.schema).isEqualTo("rag");
    assertThat(c.runtimeRole).isEqualTo("app_rw");
    InstallCommand bare = InProcess.parse("install", "--print");
    assertThat(bare.printTo).isEqualTo("-");
  }

  @Test
  void installPrintWritesTheSqlWithoutADatabase() {
    InProcess r = InProcess.run("install", "--print", "--schema", "rag", "--runtime-role", "app");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out())
        .startsWith("-- Portfolio schema \"rag\"")
        .contains("CREATE SCHEMA IF NOT EXISTS \"rag\"", "BEGIN;", "COMMIT;", "GRANT USAGE");
  }

  @Test
  void installPrintToAFileSaysWhereItWrote(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("V1__portfolio.sql");
    InProcess r =
        InProcess.run(
            "install", "--print", file.toString(), "--no-transaction", "--from-version", "1");
    assertThat(r.exitCode()).isZero();
    assertThat(r.err())
        .contains("(migrations 2 to " + PortfolioSchema.latestVersion() + ") to " + file);
    assertThat(Files.readString(file)).doesNotContain("BEGIN;").contains("Version 2");
  }

  @Test
  void installRejectsPrintOnlyOptionsWithoutPrint() {
    InProcess r = InProcess.run(DB, "install", "--from-version", "1");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("--from-version and --no-transaction only apply with --print");
    assertThat(InProcess.run("install", "--print", "--json").err())
        .contains("cannot be combined with --json");
  }

  // ------------------------------------------------------------------------- migrate-embeddings

  @Test
  void migrateEmbeddingsParsesItsOptions() {
    MigrateEmbeddingsCommand c =
        InProcess.parse(
            "migrate-embeddings",
            "-c",
            "docs",
            "--model",
            "m:x",
            "--dimension",
            "768",
            "--apply",
            "--build-index");
    assertThat(c.collection).isEqualTo("docs");
    assertThat(c.model).isEqualTo("m:x");
    assertThat(c.dimension).isEqualTo(768);
    assertThat(c.target.apply).isTrue();
    assertThat(c.buildIndex).isTrue();
    MigrateEmbeddingsCommand o =
        InProcess.parse("migrate-embeddings", "-c", "docs", "--embedder", "onnx", "-o", "sql");
    assertThat(o.target.output).isEqualTo(Path.of("sql"));
    assertThat(o.embedder.id).isEqualTo("onnx");
  }

  @Test
  void migrateEmbeddingsNeedsExactlyOneTarget() {
    InProcess none =
        InProcess.run(DB, "migrate-embeddings", "-c", "docs", "--model", "m", "--dimension", "8");
    assertThat(none.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(none.err()).contains("Missing required argument", "--print", "--apply");
    InProcess two =
        InProcess.run(
            DB,
            "migrate-embeddings",
            "-c",
            "docs",
            "--model",
            "m",
            "--dimension",
            "8",
            "--print",
            "--apply");
    assertThat(two.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(two.err()).contains("mutually exclusive");
    InProcess index =
        InProcess.run(
            DB,
            "migrate-embeddings",
            "-c",
            "docs",
            "--model",
            "m",
            "--dimension",
            "8",
            "--print",
            "--build-index");
    assertThat(index.err()).contains("--build-index only applies with --apply");
    InProcess noModel = InProcess.run(DB, "migrate-embeddings", "-c", "docs", "--print");
    assertThat(noModel.err()).contains("give the new --model and --dimension, or an --embedder");
  }

  // ------------------------------------------------------------------------- collections

  @Test
  void collectionsCreateParsesItsOptionsAndEveryDistanceSpelling() {
    CollectionsCommand.Create c =
        InProcess.parse(
            "collections",
            "create",
            "docs",
            "--model",
            "m:x",
            "--dimension",
            "384",
            "--distance",
            "l2");
    assertThat(c.collection).isEqualTo("docs");
    assertThat(c.model).isEqualTo("m:x");
    assertThat(c.dimension).isEqualTo(384);
    assertThat(c.distance).isEqualTo(Distance.L2);
    CollectionsCommand.Create d =
        InProcess.parse("collections", "create", "docs", "--embedder", "hashing");
    assertThat(d.distance).isEqualTo(Distance.COSINE);
    for (String s : List.of("inner-product", "INNER_PRODUCT", "ip")) {
      CollectionsCommand.Create ip =
          InProcess.parse("collections", "create", "x", "--metric", s, "--embedder", "hashing");
      assertThat(ip.distance).as(s).isEqualTo(Distance.INNER_PRODUCT);
    }
    InProcess bad =
        InProcess.run(
            DB,
            "collections",
            "create",
            "x",
            "--distance",
            "manhattan",
            "--model",
            "m",
            "--dimension",
            "3");
    assertThat(bad.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(bad.err())
        .contains("'manhattan' is not a distance; use cosine, l2 or inner-product");
  }

  @Test
  void collectionsCreateNeedsAModelAndDimensionOrAnEmbedder() {
    InProcess r = InProcess.run(DB, "collections", "create", "docs", "--model", "m");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("give the collection's --model and --dimension, or an --embedder");
    InProcess badName =
        InProcess.run(DB, "collections", "create", "Bad Name", "--model", "m", "--dimension", "3");
    assertThat(badName.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(badName.err()).contains("Bad Name");
  }

  @Test
  void collectionsDropNeedsYes() {
    InProcess r = InProcess.run(DB, "collections", "drop", "docs");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err())
        .contains("deletes all its documents, chunks and vectors; add --yes to confirm");
    CollectionsCommand.Drop d = InProcess.parse("collections", "drop", "docs", "--yes");
    assertThat(d.yes).isTrue();
  }

  @Test
  void collectionsWithoutASubcommandIsAUsageError() {
    InProcess r = InProcess.run("collections");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("Missing required subcommand");
  }

  // ------------------------------------------------------------------------- reembed

  @Test
  void reembedMapsEveryOptionOntoReembedOptions() {
    ReembedCommand c =
        InProcess.parse(
            "reembed",
            "-c",
            "docs",
            "--only-stale",
            "--document",
            "a",
            "--document",
            "b",
            "--source",
            "s3://x",
            "--workspace",
            "ws",
            "--set",
            "7",
            "--batch-size",
            "250",
            "--concurrency",
            "8",
            "--dry-run",
            "--verbose",
            "--json",
            "--embedder",
            "hashing",
            "--embedder-opt",
            "dimension=8",
            "--progress",
            "lines");
    ReembedOptions o = c.options(null);
    assertThat(o.collection()).isEqualTo("docs");
    assertThat(o.mode()).isEqualTo(ReembedMode.STALE);
    assertThat(o.documentKeys()).containsExactlyInAnyOrder("a", "b");
    assertThat(o.sourceIds()).containsExactly("s3://x");
    assertThat(o.workspace()).isEqualTo("ws");
    assertThat(o.targetSetId()).isEqualTo(7);
    assertThat(o.batchSize()).isEqualTo(250);
    assertThat(o.maxConcurrency()).isEqualTo(8);
    assertThat(o.dryRun()).isTrue();
    assertThat(c.verbose).isTrue();
    assertThat(c.json).isTrue();
    assertThat(c.embedder.options).containsEntry("dimension", "8");
    assertThat(c.run.progress).isEqualTo(ProgressMode.LINES);

    ReembedOptions defaults =
        InProcess.<ReembedCommand>parse("reembed", "-c", "docs").options(null);
    assertThat(defaults.mode()).isEqualTo(ReembedMode.MISSING);
    assertThat(defaults.batchSize()).isEqualTo(ReembedOptions.DEFAULT_BATCH_SIZE);
    assertThat(defaults.maxConcurrency()).isEqualTo(ReembedOptions.DEFAULT_MAX_CONCURRENCY);
    assertThat(InProcess.<ReembedCommand>parse("reembed", "-c", "d", "--all").options(null).mode())
        .isEqualTo(ReembedMode.ALL);
  }

  @Test
  void embedderOptionsThatCountOrPriceTokensAreNotSecrets() {
    assertThat(EmbedderOptions.isSecret("apiKey")).isTrue();
    assertThat(EmbedderOptions.isSecret("token")).isTrue();
    assertThat(EmbedderOptions.isSecret("apiKeyEnv")).isFalse();
    assertThat(EmbedderOptions.isSecret("pricePer1kTokens")).isFalse();
    assertThat(EmbedderOptions.isSecret("maxInputTokens")).isFalse();
  }

  @Test
  void reembedModelIsTheEmbeddersModelOption() {
    ReembedCommand c =
        InProcess.parse(
            "reembed", "-c", "docs", "--embedder", "openai", "--model", "text-embedding-3-large");
    assertThat(c.model).isEqualTo("text-embedding-3-large");
    c.embedder.model(c.model);
    assertThat(c.embedder.options).containsEntry("model", "text-embedding-3-large");

    ReembedCommand same =
        InProcess.parse(
            "reembed",
            "-c",
            "docs",
            "--embedder-opt",
            "model=m-1",
            "--embedder-opt",
            "baseUrl=http://127.0.0.1:9/v1",
            "--model",
            "m-1");
    same.embedder.model(same.model);
    assertThat(same.embedder.options).containsEntry("model", "m-1");
    same.embedder.id = "openai";
    CliIo io = new CliIo(System.out, System.err, Map.of(), false);
    assertThat(same.embedder.arguments(io, ConfigFile.EMPTY))
        .as("what a switch-model start needs to use the same embedder")
        .isEqualTo(
            "--embedder openai --embedder-opt model=m-1 --embedder-opt baseUrl=http://127.0.0.1:9/v1");
    assertThat(InProcess.<ReembedCommand>parse("reembed", "-c", "docs").model).isNull();
  }

  @Test
  void reembedModelAndAnotherEmbedderOptModelAreAUsageError() {
    InProcess r =
        InProcess.run(
            DB,
            "reembed",
            "-c",
            "docs",
            "--embedder",
            "hashing",
            "--embedder-opt",
            "model=a",
            "--model",
            "b");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err())
        .startsWith(
            "portfolio reembed: --model b and --embedder-opt model=a name different models; give"
                + " the model once\n")
        .contains("Try 'portfolio reembed --help'")
        .doesNotContain("connect");

    InProcess blank =
        InProcess.run(DB, "reembed", "-c", "docs", "--embedder", "openai", "--model", " ");
    assertThat(blank.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(blank.err()).contains("--model needs a model name");

    InProcess asJob = InProcess.run(DB, "reembed", "-c", "docs", "--as-job", "--model", "m");
    assertThat(asJob.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(asJob.err()).contains("--model goes with a run here; with --as-job the workers'");

    InProcess noModelOption =
        InProcess.run(DB, "reembed", "-c", "docs", "--embedder", "hashing", "--model", "x");
    assertThat(noModelOption.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(noModelOption.err())
        .startsWith("portfolio reembed: embedder hashing: Unknown hashing option [model].")
        .contains("--model sets the option model, which embedder hashing does not take.");

    InProcess noValue = InProcess.run(DB, "reembed", "-c", "docs", "--model");
    assertThat(noValue.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(noValue.err()).contains("Missing required parameter for option '--model'");
  }

  @Test
  void reembedSelectionsAreMutuallyExclusive() {
    InProcess r = InProcess.run(DB, "reembed", "-c", "docs", "--only-missing", "--only-stale");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("mutually exclusive");
  }

  @Test
  void reembedCancellationIsWiredToTheInterruptHandler() {
    ReembedCommand c = InProcess.parse("reembed", "-c", "docs");
    CliIo io = new CliIo(System.out, System.err, Map.of(), false);
    try (Interrupts interrupts = Interrupts.install(io, "test")) {
      ReembedOptions o = c.options(interrupts);
      assertThat(o.cancellation().getAsBoolean()).isFalse();
      interrupts.request();
      assertThat(o.cancellation().getAsBoolean()).isTrue();
    }
  }

  // ------------------------------------------------------------------------- switch-model

  @Test
  void switchModelStartMapsEveryOptionOntoSwitchOptions() {
    SwitchModelCommand.Start c =
        InProcess.parse(
            "switch-model",
            "start",
            "-c",
            "docs",
            "--embedder",
            "hashing",
            "--no-activate",
            "--force",
            "--drop-retired",
            "--catch-up-rounds",
            "0",
            "--batch-size",
            "50",
            "--concurrency",
            "2",
            "--dry-run");
    SwitchOptions o = c.options(null);
    assertThat(c.collection.name).isEqualTo("docs");
    assertThat(o.activate()).isFalse();
    assertThat(o.force()).isTrue();
    assertThat(o.dropRetired()).isTrue();
    assertThat(o.catchUpRounds()).isZero();
    assertThat(o.batchSize()).isEqualTo(50);
    assertThat(o.maxConcurrency()).isEqualTo(2);
    assertThat(o.dryRun()).isTrue();
    SwitchOptions d =
        InProcess.<SwitchModelCommand.Start>parse("switch-model", "start", "-c", "x").options(null);
    assertThat(d.activate()).isTrue();
    assertThat(d.catchUpRounds()).isEqualTo(SwitchOptions.DEFAULT_CATCH_UP_ROUNDS);
  }

  @Test
  void switchModelStepsParseTheirOptions() {
    SwitchModelCommand.Activate a =
        InProcess.parse("switch-model", "activate", "-c", "docs", "--force");
    assertThat(a.collection.name).isEqualTo("docs");
    assertThat(a.force).isTrue();
    SwitchModelCommand.Status s =
        InProcess.parse("switch-model", "status", "--collection", "docs", "--json");
    assertThat(s.json).isTrue();
    SwitchModelCommand.Rollback r = InProcess.parse("switch-model", "rollback", "-c", "docs");
    assertThat(r.collection.name).isEqualTo("docs");
  }

  @Test
  void irreversibleSwitchStepsNeedYes() {
    InProcess drop = InProcess.run(DB, "switch-model", "drop-retired", "-c", "docs");
    assertThat(drop.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(drop.err()).contains("makes a rollback impossible; add --yes to confirm");
    InProcess abandon = InProcess.run(DB, "switch-model", "abandon", "-c", "docs");
    assertThat(abandon.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(abandon.err()).contains("add --yes to confirm");
  }

  @Test
  void aMissingCollectionOptionIsAUsageError() {
    InProcess r = InProcess.run(DB, "switch-model", "status");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("Missing required option: '--collection=NAME'");
  }
}
