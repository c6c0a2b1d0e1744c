package dev.portfolio.maintenance.cli;

import com.zaxxer.hikari.HikariDataSource;
import dev.portfolio.index.schema.MigrationResult;
import dev.portfolio.index.schema.PortfolioSchema;
import dev.portfolio.index.schema.SchemaOptions;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code portfolio install}: installs or upgrades the schema, or prints its SQL. */
@Command(
    name = "install",
    mixinStandardHelpOptions = true,
    description = {
      "Installs or upgrades the Portfolio schema: applies the migrations the database lacks in one"
          + " transaction under an advisory lock. Idempotent. Needs a role that may create tables;"
          + " the vector extension must exist (a superuser runs CREATE EXTENSION vector once).",
      "Collections, each with its own model and dimension, are created afterwards with"
          + " 'portfolio collections create'.",
      "With --print, writes the SQL instead of applying it (for Flyway, Liquibase or a DBA)."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  portfolio install --jdbc-url jdbc:postgresql://db:5432/app --user owner",
      "  portfolio install --schema rag --runtime-role app_rw",
      "  portfolio install --print V1__portfolio.sql --no-transaction",
      "  portfolio install --print --from-version 1        # only the upgrade from version 1",
    })
final class InstallCommand extends StoreCommand {
  @Option(
      names = "--runtime-role",
      paramLabel = "ROLE",
      description =
          "Grant this existing role what the store needs at run time (DML, no DDL) after install.")
  String runtimeRole;

  @Option(
      names = "--print",
      arity = "0..1",
      paramLabel = "FILE",
      fallbackValue = "-",
      description = "Write the SQL to FILE (or standard output) instead of applying it.")
  String printTo;

  @Option(
      names = "--from-version",
      paramLabel = "N",
      description = "With --print: only the migrations after version N (default: 0, everything).")
  int fromVersion;

  @Option(
      names = "--no-transaction",
      description = "With --print: leave out BEGIN/COMMIT (tools that wrap each migration).")
  boolean noTransaction;

  @Override
  int run() throws Exception {
    CliIo io = io();
    if (printTo == null && (fromVersion != 0 || noTransaction)) {
      throw CliException.usage("--from-version and --no-transaction only apply with --print");
    }
    if (printTo != null && json) {
      throw CliException.usage("--print writes SQL; it cannot be combined with --json");
    }
    SchemaOptions options =
        usage(
            () ->
                SchemaOptions.builder()
                    .schema(connection.schema(io))
                    .runtimeRole(runtimeRole)
                    .fromVersion(fromVersion)
                    .transaction(!noTransaction)
                    .build());
    if (printTo != null) {
      return printSql(io, options);
    }
    MigrationResult r;
    try (HikariDataSource pool = connection.open(io, 1)) {
      r = PortfolioSchema.install(pool, options);
    }
    print(
        Views.install(r),
        () -> {
          if (r.changed()) {
            io.out()
                .printf(
                    "Installed schema \"%s\" at version %d (was %d): applied migration%s %s in %s%n",
                    r.schema(),
                    r.toVersion(),
                    r.fromVersion(),
                    r.applied().size() > 1 ? "s" : "",
                    r.applied().stream().map(String::valueOf).collect(Collectors.joining(", ")),
                    Text.seconds(r.elapsed()));
          } else {
            io.out()
                .printf(
                    "Schema \"%s\" is already at version %d; nothing to do.%n",
                    r.schema(), r.toVersion());
          }
          runtimeRole(io, options);
        });
    return ExitCodes.OK;
  }

  private static void runtimeRole(CliIo io, SchemaOptions options) {
    options
        .runtimeRole()
        .ifPresent(
            role ->
                io.out()
                    .printf(
                        "Granted role \"%s\" the runtime privileges on schema \"%s\".%n",
                        role, options.schema()));
  }

  private int printSql(CliIo io, SchemaOptions options) throws IOException {
    if (printTo.equals("-")) {
      Writer w = new OutputStreamWriter(io.out(), StandardCharsets.UTF_8);
      PortfolioSchema.writeSchema(w, options);
      w.flush();
      return ExitCodes.OK;
    }
    Path file = Path.of(printTo);
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      PortfolioSchema.writeSchema(w, options);
    }
    io.err()
        .printf(
            "Wrote the SQL of schema \"%s\" (migrations %d to %d) to %s%n",
            options.schema(), options.fromVersion() + 1, PortfolioSchema.latestVersion(), file);
    return ExitCodes.OK;
  }
}
