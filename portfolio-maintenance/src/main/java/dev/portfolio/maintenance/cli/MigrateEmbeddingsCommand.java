package dev.portfolio.maintenance.cli;

import com.zaxxer.hikari.HikariDataSource;
import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.spi.EmbedderInfo;
import dev.portfolio.index.migration.EmbeddingMigration;
import dev.portfolio.index.migration.EmbeddingMigrations;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code portfolio migrate-embeddings}: the SQL that prepares a collection's move to a new model (a
 * building set with its partition and index) and the SQL that takes it back, written to files or
 * printed for review, or applied.
 */
@Command(
    name = "migrate-embeddings",
    mixinStandardHelpOptions = true,
    description = {
      "Generates the up and down SQL that prepare moving a collection to a new embedding model"
          + " and dimension: a building embedding set with its own partition and ANN index, which"
          + " searches do not read until it is activated. Write it to files for review (Flyway,"
          + " Liquibase, a DBA), print it, or apply it with the role that owns the schema.",
      "Fill the prepared set with 'portfolio switch-model start' using the new model's embedder"
          + " (it finds the set), then it is activated. Planning reserves the set's id.",
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  portfolio migrate-embeddings -c docs --model voyage:voyage-3 --dimension 1024 -o db/sql",
      "  portfolio migrate-embeddings -c docs --embedder onnx --embedder-opt variant=fp32 --print",
      "  portfolio migrate-embeddings -c docs --model onnx:bge-small --dimension 384 --apply",
    })
final class MigrateEmbeddingsCommand extends StoreCommand {
  @Option(
      names = {"-c", "--collection"},
      required = true,
      paramLabel = "NAME",
      description = "The collection.")
  String collection;

  @Option(
      names = "--model",
      paramLabel = "MODEL",
      description = "The new model reference (default: the --embedder's).")
  String model;

  @Option(
      names = "--dimension",
      paramLabel = "N",
      description = "The new model's dimension (default: the --embedder's).")
  Integer dimension;

  @Mixin EmbedderOptions embedder;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Target target;

  @Option(
      names = "--build-index",
      description = "With --apply: build the set's ANN index now (default: at activation).")
  boolean buildIndex;

  /** What to do with the SQL; exactly one. */
  static final class Target {
    @Option(
        names = {"-o", "--output"},
        paramLabel = "DIR",
        description = "Write <collection>-set<id>-up.sql and -down.sql into DIR.")
    Path output;

    @Option(names = "--print", description = "Print the up SQL, then the down SQL.")
    boolean print;

    @Option(names = "--apply", description = "Apply the up SQL now (the role must own the schema).")
    boolean apply;
  }

  @Override
  int run() throws Exception {
    CliIo io = io();
    if (buildIndex && !target.apply) {
      throw CliException.usage("--build-index only applies with --apply");
    }
    if (target.print && json) {
      throw CliException.usage("--print writes SQL; it cannot be combined with --json");
    }
    String m = model;
    Integer d = dimension;
    if (m == null || d == null) {
      if (!embedder.given(io, connection.config(io))) {
        throw CliException.usage(
            "give the new --model and --dimension, or an --embedder to take them from");
      }
      try (Embedder e = embedder.create(io, connection.config(io), "migrate-embeddings")) {
        EmbedderInfo info = e.info();
        m = m == null ? info.modelRef() : m;
        d = d == null ? Integer.valueOf(info.dimension()) : d;
      }
    }
    String newModel = m;
    int newDimension = d;
    String schema = usage(() -> connection.schema(io));
    Map<String, Object> doc;
    Path up = null;
    Path down = null;
    EmbeddingMigration mi;
    try (HikariDataSource pool = connection.open(io, 2)) {
      EmbeddingMigrations migrations = EmbeddingMigrations.on(pool, schema);
      mi = migrations.plan(collection, newModel, newDimension);
      if (target.apply) {
        migrations.apply(mi, buildIndex);
      }
    }
    if (target.output != null) {
      Files.createDirectories(target.output);
      String base = collection + "-set" + mi.setId();
      up = target.output.resolve(base + "-up.sql");
      down = target.output.resolve(base + "-down.sql");
      Files.writeString(up, mi.upSql(), StandardCharsets.UTF_8);
      Files.writeString(down, mi.downSql(), StandardCharsets.UTF_8);
    }
    if (target.print) {
      io.out().print(mi.upSql());
      io.out().println();
      io.out().print(mi.downSql());
      io.out().flush();
      return ExitCodes.OK;
    }
    doc = Views.migration(mi);
    doc.put("applied", target.apply);
    doc.put("indexBuilt", target.apply && buildIndex);
    doc.put("upFile", up == null ? null : up.toString());
    doc.put("downFile", down == null ? null : down.toString());
    Path upFile = up;
    Path downFile = down;
    print(
        doc,
        () -> {
          String what =
              String.format(
                  "collection %s from %s (%d dimensions, set %d) to %s (%d dimensions, building set"
                      + " %d)",
                  mi.collection(),
                  mi.fromModel(),
                  mi.fromDimension(),
                  mi.activeSetId(),
                  mi.toModel(),
                  mi.toDimension(),
                  mi.setId());
          if (target.apply) {
            io.out().println("Prepared " + what + (buildIndex ? ", index built." : "."));
          } else {
            io.out().println("Wrote " + upFile + " and " + downFile + ": " + what + ".");
          }
          io.out()
              .println(
                  "Next: fill it with 'portfolio switch-model start -c "
                      + mi.collection()
                      + " --embedder <the new model's>'; undo with the down SQL or 'portfolio"
                      + " switch-model abandon -c "
                      + mi.collection()
                      + " --yes'.");
        });
    return ExitCodes.OK;
  }
}
