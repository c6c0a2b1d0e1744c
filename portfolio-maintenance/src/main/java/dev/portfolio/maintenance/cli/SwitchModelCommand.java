package dev.portfolio.maintenance.cli;

import dev.portfolio.core.model.EmbeddingSet;
import dev.portfolio.core.spi.Embedder;
import dev.portfolio.maintenance.Maintenance;
import dev.portfolio.maintenance.modelswitch.Activation;
import dev.portfolio.maintenance.modelswitch.SetCoverage;
import dev.portfolio.maintenance.modelswitch.SwitchOptions;
import dev.portfolio.maintenance.modelswitch.SwitchResult;
import dev.portfolio.maintenance.modelswitch.SwitchStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code portfolio switch-model}: zero-downtime model switches and their single steps. */
@Command(
    name = "switch-model",
    mixinStandardHelpOptions = true,
    description = {
      "Moves a collection to another embedding model (even another dimension) while searches keep"
          + " reading the current one: 'start' fills a building set with the new model's vectors"
          + " and activates it; the other commands show and steer a switch step by step."
    },
    synopsisSubcommandLabel = "(start | status | activate | rollback | drop-retired | abandon)",
    footerHeading = "%nExamples:%n",
    footer = {
      "  portfolio switch-model start -c docs --embedder voyage --dry-run",
      "  portfolio switch-model start -c docs --embedder onnx --no-activate",
      "  portfolio switch-model status -c docs",
      "  portfolio switch-model activate -c docs",
      "  portfolio switch-model rollback -c docs",
      "  portfolio switch-model start --help   # each command's options and examples",
    },
    subcommands = {
      SwitchModelCommand.Start.class,
      SwitchModelCommand.Status.class,
      SwitchModelCommand.Activate.class,
      SwitchModelCommand.Rollback.class,
      SwitchModelCommand.DropRetired.class,
      SwitchModelCommand.Abandon.class
    })
final class SwitchModelCommand {
  private SwitchModelCommand() {}

  /** The collection a switch command works on. */
  static final class CollectionOption {
    @Option(
        names = {"-c", "--collection"},
        required = true,
        paramLabel = "NAME",
        description = "The collection.")
    String name;
  }

  /** {@code portfolio switch-model start}. */
  @Command(
      name = "start",
      mixinStandardHelpOptions = true,
      description = {
        "Switches a collection to the model of --embedder: fills a building set, embeds chunks"
            + " upserted meanwhile, builds its ANN index and activates it in one step. Searches"
            + " read the old set until then. Run it again after a crash or Ctrl-C to resume.",
        "Exits with 1 when chunks the embedder rejected are still missing (the set is left"
            + " building; fix them and run again, or activate with --force)."
      },
      footerHeading = "%nExamples:%n",
      footer = {
        "  portfolio switch-model start -c docs --embedder voyage --dry-run",
        "  portfolio switch-model start -c docs --embedder onnx --embedder-opt variant=fp32",
        "  portfolio switch-model start -c docs --embedder onnx --no-activate   # activate later",
      })
  static final class Start extends StoreCommand {
    @Mixin CollectionOption collection;
    @Mixin RunOptions run;
    @Mixin EmbedderOptions embedder;

    @Option(
        names = "--no-activate",
        description = "Stop with the new set filled and building; activate it later.")
    boolean noActivate;

    @Option(
        names = "--force",
        description = "Activate even when chunks the embedder rejected are missing in the set.")
    boolean force;

    @Option(
        names = "--drop-retired",
        description = "Drop the old set right after activation (no rollback afterwards).")
    boolean dropRetired;

    @Option(
        names = "--catch-up-rounds",
        paramLabel = "N",
        description =
            "Rounds that embed chunks upserted during the switch before activation, 0 to 100"
                + " (default: ${DEFAULT-VALUE}).")
    int catchUpRounds = SwitchOptions.DEFAULT_CATCH_UP_ROUNDS;

    SwitchOptions options(Interrupts interrupts) {
      return usage(
          () -> {
            SwitchOptions.Builder b =
                SwitchOptions.builder()
                    .batchSize(run.batchSize)
                    .maxConcurrency(run.concurrency)
                    .dryRun(run.dryRun)
                    .activate(!noActivate)
                    .force(force)
                    .dropRetired(dropRetired)
                    .catchUpRounds(catchUpRounds);
            if (interrupts != null) {
              b.cancellation(interrupts::requested);
            }
            return b.build();
          });
    }

    @Override
    int run() throws Exception {
      CliIo io = io();
      options(null);
      String name = collection.name;
      SwitchResult r;
      try (Embedder e = embedder.create(io, connection.config(io), "switch-model start");
          Interrupts interrupts = Interrupts.install(io, "the switch of " + name)) {
        SwitchOptions options = options(interrupts);
        r =
            withStore(
                run.poolSize(),
                (store, pool) ->
                    maintenance(store, null, run.progress.reporter(io))
                        .switchModel(name, e, options));
        print(Views.switchResult(r), () -> io.out().println(r));
        nextStep(io, r);
      }
      return switch (r.outcome()) {
        case CANCELLED -> ExitCodes.INTERRUPTED;
        case INCOMPLETE -> ExitCodes.FAILURE;
        default -> ExitCodes.OK;
      };
    }

    private static void nextStep(CliIo io, SwitchResult r) {
      String c = r.collection();
      String text =
          switch (r.outcome()) {
            case ACTIVATED, ALREADY_ACTIVE ->
                r.dropped().isEmpty() && r.to().id() != r.from().id()
                    ? "Searches now read set "
                        + r.to().id()
                        + ". Undo with 'portfolio switch-model rollback -c "
                        + c
                        + "'; free the old vectors with 'portfolio switch-model drop-retired -c "
                        + c
                        + " --yes'."
                    : "Searches now read set " + r.to().id() + ".";
            case BUILT ->
                "Set "
                    + r.to().id()
                    + " is filled; searches still read set "
                    + r.from().id()
                    + ". Activate it with 'portfolio switch-model activate -c "
                    + c
                    + "'.";
            case INCOMPLETE ->
                r.missingAtActivation()
                    + " chunks are still missing in set "
                    + r.to().id()
                    + " (rejected by the embedder; their documents are marked failed), so it was"
                    + " not activated and searches still read set "
                    + r.from().id()
                    + ". Fix them and run the same command again, or activate anyway with"
                    + " 'portfolio switch-model activate -c "
                    + c
                    + " --force'.";
            case CANCELLED ->
                "Interrupted at a batch boundary; the vectors written are kept and searches still"
                    + " read set "
                    + r.from().id()
                    + ". Run the same command again to resume.";
            case DRY_RUN -> null;
          };
      if (text != null) {
        io.err().println(text);
        io.err().flush();
      }
    }
  }

  /** {@code portfolio switch-model status}. */
  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description =
          "Shows a collection's active set, its building set (a switch under way) with coverage,"
              + " and its retired sets (kept for a rollback).",
      footerHeading = "%nExamples:%n",
      footer = {
        "  portfolio switch-model status -c docs",
        "  portfolio switch-model status -c docs --json"
      })
  static final class Status extends StoreCommand {
    @Mixin CollectionOption collection;

    @Override
    int run() throws Exception {
      CliIo io = io();
      SwitchStatus s =
          withStore((store, pool) -> maintenance(store, null, null).switchStatus(collection.name));
      print(Views.status(s), () -> human(io, s));
      return ExitCodes.OK;
    }

    private static void human(CliIo io, SwitchStatus s) {
      Table t =
          new Table(
              "SET",
              "STATE",
              "MODEL",
              "DIMENSION",
              "CHUNKS",
              "EMBEDDED",
              "MISSING",
              "STALE",
              "COVERAGE");
      row(t, s.active());
      s.building().ifPresent(b -> row(t, b));
      for (EmbeddingSet r : s.retired()) {
        t.row(
            r.id(), Text.lower(r.state()), r.model(), r.dimension(), null, null, null, null, null);
      }
      io.out().println("Collection " + s.collection());
      t.print(io.out());
      if (s.building().isPresent()) {
        io.out()
            .println(
                s.readyToActivate()
                    ? "The building set is complete: 'portfolio switch-model activate -c "
                        + s.collection()
                        + "' switches searches to it."
                    : "The building set is not complete yet: 'portfolio switch-model start' fills"
                        + " it (again with the same embedder to resume).");
      }
    }

    private static void row(Table t, SetCoverage c) {
      EmbeddingSet set = c.set();
      t.row(
          set.id(),
          Text.lower(set.state()),
          set.model(),
          set.dimension(),
          c.chunks(),
          c.embedded(),
          c.missing(),
          c.stale(),
          Text.percent(c.coverage()));
    }
  }

  /** {@code portfolio switch-model activate}. */
  @Command(
      name = "activate",
      mixinStandardHelpOptions = true,
      description =
          "Activates the building set: searches read it from then on; the active set is retired"
              + " and kept for a rollback. On PostgreSQL its ANN index is built first.",
      footerHeading = "%nExamples:%n",
      footer = {
        "  portfolio switch-model activate -c docs",
        "  portfolio switch-model activate -c docs --force"
      })
  static final class Activate extends StoreCommand {
    @Mixin CollectionOption collection;

    @Option(
        names = "--force",
        description =
            "Activate although chunks are missing in the set (vector search will not find them"
                + " until re-embedded).")
    boolean force;

    @Override
    int run() throws Exception {
      CliIo io = io();
      Activation a =
          withStore(
              (store, pool) -> maintenance(store, null, null).activate(collection.name, force));
      print(
          Views.activation(a),
          () ->
              io.out()
                  .printf(
                      "Activated set %d (%s, %d dimensions) of %s%s; set %d (%s) is retired, kept"
                          + " for 'portfolio switch-model rollback'.%n",
                      a.active().id(),
                      a.active().model(),
                      a.active().dimension(),
                      a.collection(),
                      a.forced() ? " (forced, " + a.coverage().missing() + " chunks missing)" : "",
                      a.retired().id(),
                      a.retired().model()));
      return ExitCodes.OK;
    }
  }

  /** {@code portfolio switch-model rollback}. */
  @Command(
      name = "rollback",
      mixinStandardHelpOptions = true,
      description =
          "Makes the most recently retired set active again, undoing the last activation.",
      footerHeading = "%nExamples:%n",
      footer = {"  portfolio switch-model rollback -c docs"})
  static final class Rollback extends StoreCommand {
    @Mixin CollectionOption collection;

    @Override
    int run() throws Exception {
      CliIo io = io();
      EmbeddingSet s =
          withStore((store, pool) -> maintenance(store, null, null).rollback(collection.name));
      Map<String, Object> doc = Json.object();
      doc.put("collection", collection.name);
      doc.put("active", Views.set(s));
      print(
          doc,
          () ->
              io.out()
                  .printf(
                      "Set %d (%s, %d dimensions) is active again for %s.%n",
                      s.id(), s.model(), s.dimension(), collection.name));
      return ExitCodes.OK;
    }
  }

  /** {@code portfolio switch-model drop-retired}. */
  @Command(
      name = "drop-retired",
      mixinStandardHelpOptions = true,
      description =
          "Drops every retired set of a collection with its vectors; no rollback is possible"
              + " afterwards. Needs --yes.",
      footerHeading = "%nExamples:%n",
      footer = {"  portfolio switch-model drop-retired -c docs --yes"})
  static final class DropRetired extends StoreCommand {
    @Mixin CollectionOption collection;

    @Option(names = "--yes", description = "Confirm: drop them, giving up the rollback.")
    boolean yes;

    @Override
    int run() throws Exception {
      CliIo io = io();
      if (!yes) {
        throw CliException.usage(
            "dropping the retired sets of '"
                + Text.printable(collection.name)
                + "' deletes their vectors and makes a rollback impossible; add --yes to confirm");
      }
      List<EmbeddingSet> dropped =
          withStore((store, pool) -> maintenance(store, null, null).dropRetired(collection.name));
      Map<String, Object> doc = Json.object();
      doc.put("collection", collection.name);
      doc.put("dropped", dropped.stream().map(Views::set).toList());
      print(
          doc,
          () ->
              io.out()
                  .println(
                      dropped.isEmpty()
                          ? "No retired set to drop in " + collection.name + "."
                          : "Dropped retired set"
                              + (dropped.size() > 1 ? "s " : " ")
                              + dropped.stream()
                                  .map(s -> s.id() + " (" + s.model() + ")")
                                  .collect(Collectors.joining(", "))
                              + " of "
                              + collection.name
                              + "."));
      return ExitCodes.OK;
    }
  }

  /** {@code portfolio switch-model abandon}. */
  @Command(
      name = "abandon",
      mixinStandardHelpOptions = true,
      description =
          "Abandons a switch under way: drops the building set with the vectors written into it."
              + " Searches are not affected. Needs --yes.",
      footerHeading = "%nExamples:%n",
      footer = {"  portfolio switch-model abandon -c docs --yes"})
  static final class Abandon extends StoreCommand {
    @Mixin CollectionOption collection;

    @Option(names = "--yes", description = "Confirm: drop the building set and its vectors.")
    boolean yes;

    @Override
    int run() throws Exception {
      CliIo io = io();
      if (!yes) {
        throw CliException.usage(
            "abandoning the switch of '"
                + Text.printable(collection.name)
                + "' drops the vectors embedded so far (they cost embedder calls); add --yes to"
                + " confirm");
      }
      Optional<EmbeddingSet> dropped =
          withStore(
              (store, pool) -> {
                Maintenance m = maintenance(store, null, null);
                return m.abandonSwitch(collection.name);
              });
      Map<String, Object> doc = Json.object();
      doc.put("collection", collection.name);
      doc.put("dropped", dropped.map(Views::set).orElse(null));
      print(
          doc,
          () ->
              io.out()
                  .println(
                      dropped
                          .map(
                              s ->
                                  "Dropped building set "
                                      + s.id()
                                      + " ("
                                      + s.model()
                                      + ") of "
                                      + collection.name
                                      + "; searches were not affected.")
                          .orElse("No switch under way in " + collection.name + ".")));
      return ExitCodes.OK;
    }
  }
}
