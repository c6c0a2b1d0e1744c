package dev.portfolio.maintenance.cli;

import dev.portfolio.core.error.PortfolioException;
import dev.portfolio.core.progress.ConsoleProgressReporter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code portfolio} command line: operators install the schema, manage collections, re-embed
 * and switch models without writing Java. Run it with {@code bin/portfolio} or {@code java -jar
 * portfolio-maintenance-<version>-cli.jar}; {@code portfolio --help} lists the commands and {@code
 * portfolio <command> --help} explains each with examples. Exit codes are in {@link ExitCodes}.
 *
 * @since 0.1.0
 */
@Command(
    name = "portfolio",
    mixinStandardHelpOptions = true,
    versionProvider = PortfolioCli.Version.class,
    description = "Keeps a RAG embedding index on PostgreSQL + pgvector healthy.",
    synopsisSubcommandLabel = "COMMAND",
    subcommands = {
      InstallCommand.class,
      MigrateEmbeddingsCommand.class,
      CollectionsCommand.class,
      ReembedCommand.class,
      SwitchModelCommand.class,
      DiagnosticsCommand.class,
      StatsCommand.class,
      VerifyCommand.class,
      RetryFailedCommand.class,
      CleanupCommand.class,
      DeleteSourceCommand.class,
      IngestCommand.class,
      JobsCommand.class,
      HealthCommand.class,
      BackupCommand.class,
      VerifyBackupCommand.class,
      RestoreCommand.class,
      PruneBackupsCommand.class,
    },
    footerHeading = "%nConnection:%n",
    footer = {
      "Commands that use the database take --jdbc-url, --user, --password, --schema and"
          + " --config, or read PORTFOLIO_JDBC_URL, PORTFOLIO_USER, PORTFOLIO_PASSWORD,"
          + " PORTFOLIO_SCHEMA and PORTFOLIO_CONFIG (a properties file). The command line wins"
          + " over the environment, which wins over the file. Passwords and API keys are never"
          + " printed.",
      "",
      "Examples:",
      "  export PORTFOLIO_JDBC_URL=jdbc:postgresql://localhost:5432/app",
      "  portfolio install",
      "  portfolio collections create docs --embedder onnx",
      "  portfolio reembed -c docs --embedder onnx --dry-run",
      "  portfolio switch-model status -c docs --json",
      "  portfolio diagnostics",
      "  portfolio verify -c docs",
    })
public final class PortfolioCli implements Callable<Integer> {
  @Spec CommandSpec spec;

  private final CliIo io;

  private PortfolioCli(CliIo io) {
    this.io = io;
  }

  CliIo io() {
    return io;
  }

  @Override
  public Integer call() {
    io.err().println("portfolio: a command is required.");
    spec.commandLine().usage(io.err());
    return ExitCodes.USAGE;
  }

  /**
   * Runs the command line and exits with its code ({@link ExitCodes}).
   *
   * @param args the command and its options; {@code --help} explains them
   */
  public static void main(String[] args) {
    configureLogging(List.of(args).contains("--verbose") || List.of(args).contains("-v"));
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
    int code =
        execute(
            new CliIo(out, err, System.getenv(), ConsoleProgressReporter.detectTerminal()), args);
    out.flush();
    err.flush();
    System.exit(code);
  }

  /**
   * Runs the command line on given streams and environment, without exiting.
   *
   * @param io the streams, environment and terminal flag
   * @param args the arguments
   * @return the exit code
   */
  static int execute(CliIo io, String... args) {
    return commandLine(io).execute(args);
  }

  /** Builds the command tree with the error handlers and help settings of every command. */
  static CommandLine commandLine(CliIo io) {
    CommandLine cli = new CommandLine(new PortfolioCli(io));
    cli.setOut(new PrintWriter(io.out(), true));
    cli.setErr(new PrintWriter(io.err(), true));
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setUsageHelpWidth(100);
    cli.setUsageHelpAutoWidth(true);
    cli.setParameterExceptionHandler(PortfolioCli::onParameterError);
    cli.setExecutionExceptionHandler(PortfolioCli::onExecutionError);
    exitCodesInHelp(cli);
    return cli;
  }

  private static void exitCodesInHelp(CommandLine cmd) {
    cmd.getCommandSpec()
        .usageMessage()
        .exitCodeListHeading("%nExit codes:%n")
        .exitCodeList(ExitCodes.descriptions());
    cmd.getSubcommands().values().forEach(PortfolioCli::exitCodesInHelp);
  }

  private static CliIo io(CommandLine cmd) {
    return ((PortfolioCli) cmd.getCommandSpec().root().userObject()).io;
  }

  private static int onParameterError(ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    CliIo io = io(cmd);
    String name = cmd.getCommandSpec().qualifiedName();
    io.err().println(name + ": " + io.redact(e.getMessage()));
    UnmatchedArgumentException.printSuggestions(e, io.err());
    usageHint(io, name);
    return ExitCodes.USAGE;
  }

  private static int onExecutionError(Exception e, CommandLine cmd, ParseResult parsed) {
    CliIo io = io(cmd);
    String name = cmd.getCommandSpec().qualifiedName();
    boolean verbose = cmd.getCommand() instanceof BaseCommand b && b.verbose;
    int code;
    if (e instanceof CliException c) {
      io.err().println(name + ": " + io.redact(c.getMessage()));
      code = c.exitCode();
      if (code == ExitCodes.USAGE) {
        usageHint(io, name);
      }
    } else if (e instanceof PortfolioException p) {
      io.err().println(name + ": " + io.redact(p.getMessage()));
      code = ExitCodes.FAILURE;
    } else {
      io.err()
          .println(
              name
                  + ": unexpected error: "
                  + io.redact(e.toString())
                  + (verbose ? "" : " (run with --verbose for the stack trace)"));
      code = ExitCodes.FAILURE;
    }
    if (verbose) {
      StringWriter trace = new StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      io.err().print(io.redact(trace.toString()));
    }
    io.err().flush();
    return code;
  }

  private static void usageHint(CliIo io, String name) {
    io.err().println("Try '" + name + " --help' for more information.");
    io.err().flush();
  }

  /**
   * Quiet logging for a command line: warnings only (info with {@code --verbose}), on standard
   * error, no jOOQ banner. Must run before the first logger is created.
   */
  static void configureLogging(boolean verbose) {
    setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "info" : "warn");
    setIfAbsent("org.slf4j.simpleLogger.logFile", "System.err");
    setIfAbsent("org.slf4j.simpleLogger.showThreadName", "false");
    setIfAbsent("org.slf4j.simpleLogger.showLogName", verbose ? "true" : "false");
    setIfAbsent("org.slf4j.simpleLogger.levelInBrackets", "true");
    // Progress goes to the console reporter; its SLF4J twin would repeat every line.
    setIfAbsent("org.slf4j.simpleLogger.log.dev.portfolio.progress", "warn");
    // jOOQ warns on every connection that it was not certified against this server version.
    setIfAbsent(
        "org.slf4j.simpleLogger.log.org.jooq.impl.DefaultExecuteContext.logVersionSupport",
        "error");
    setIfAbsent("org.jooq.no-logo", "true");
    setIfAbsent("org.jooq.no-tips", "true");
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }

  /** Prints the version from the jar's manifest. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = PortfolioCli.class.getPackage().getImplementationVersion();
      return new String[] {
        "portfolio " + (v == null ? "(development build)" : v),
        "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"
      };
    }
  }
}
