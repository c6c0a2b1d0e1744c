package dev.portfolio.maintenance.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portfolio.core.model.CollectionSpec;
import dev.portfolio.core.spi.ProgressReporter;
import dev.portfolio.maintenance.domains.DomainCheck;
import dev.portfolio.maintenance.domains.DomainDrop;
import dev.portfolio.maintenance.domains.DomainMigrationOptions;
import dev.portfolio.maintenance.domains.DomainMigrationResult;
import dev.portfolio.maintenance.domains.DomainPlan;
import dev.portfolio.maintenance.domains.DomainRollbackOptions;
import dev.portfolio.maintenance.domains.DomainRollbackResult;
import dev.portfolio.maintenance.domains.DomainRow;
import dev.portfolio.maintenance.domains.DomainVerification;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code portfolio collections migrate | verify | rollback}: the per-domain collections of a plan
 * file ({@link DomainPlan}). Their {@code --json} objects are the results' {@code fields()}.
 */
final class DomainCommands {
  private DomainCommands() {}

  /** A table cell for a reason: empty rather than "-" when there is none. */
  static String reason(String reason) {
    return reason == null ? "" : reason;
  }

  /** A table cell for a type's filter keys: comma-separated, "-" when none. */
  static String filters(java.util.Set<String> keys) {
    return keys.isEmpty() ? "-" : String.join(",", keys.stream().map(Text::printable).toList());
  }

  /** What the three commands share: the plan file. */
  abstract static class PlanCommand extends StoreCommand {
    @Option(
        names = "--plan",
        required = true,
        paramLabel = "FILE",
        description = "The plan: a JSON file of sources, types and the name pattern (README.md).")
    Path plan;

    DomainPlan plan() {
      return usage(() -> DomainPlan.read(plan));
    }
  }

  /** {@code portfolio collections migrate}. */
  @Command(
      name = "migrate",
      mixinStandardHelpOptions = true,
      description = {
        "Creates the collections a plan expects and the database lacks, each with its active set"
            + " and ANN index, and declares the metadata filters of its type (with their index)."
            + " Idempotent: collections that exist as planned are left alone, or get the filters"
            + " they lack; one that exists with another model, dimension or distance is reported"
            + " as failed and never altered. Exit code 1 when one failed.",
      },
      footerHeading = "%nExamples:%n",
      footer = {
        "  portfolio collections migrate --plan domains.json --dry-run",
        "  portfolio collections migrate --plan domains.json --json > run.json",
      })
  static final class Migrate extends PlanCommand {
    @Option(names = "--dry-run", description = "Only compare the plan with the database.")
    boolean dryRun;

    @Override
    int run() throws Exception {
      CliIo io = io();
      DomainPlan p = plan();
      DomainMigrationResult r =
          withStore(
              (store, pool) ->
                  maintenance(store, null, ProgressReporter.SILENT)
                      .migrateDomains(p, DomainMigrationOptions.builder().dryRun(dryRun).build()));
      print(
          r.fields(),
          () -> {
            Table t =
                new Table(
                    "NAME",
                    "SOURCE",
                    "TYPE",
                    "MODEL",
                    "DIMENSION",
                    "DISTANCE",
                    "FILTERS",
                    "OUTCOME",
                    "REASON");
            for (DomainRow row : r.rows()) {
              CollectionSpec s = row.collection().spec();
              t.row(
                  s.name(),
                  Text.printable(row.collection().source().id()),
                  row.collection().type().name(),
                  s.model(),
                  s.dimension(),
                  Text.lower(s.distance()),
                  filters(row.collection().type().filters()),
                  Text.lower(row.outcome()),
                  reason(row.reason()));
            }
            t.print(io.out());
            io.out().println(r.summary());
          });
      if (!r.isSuccess()) {
        io.err()
            .println(
                r.failed()
                    + " collection(s) failed (see REASON); the others were migrated. Fix them,"
                    + " then run the same command again.");
        return ExitCodes.FAILURE;
      }
      if (!dryRun && r.created() > 0 && !json) {
        io.err()
            .println(
                "Undo with 'portfolio collections rollback --plan "
                    + plan
                    + " --yes' (drops the plan's collections that are still empty).");
      }
      return ExitCodes.OK;
    }
  }

  /** {@code portfolio collections verify}. */
  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description =
          "Checks that every collection a plan expects exists with its model, dimension,"
              + " distance and metadata filters (with a valid filter index). Only reads. Exit code 1"
              + " when one is missing, different or lacks filters.",
      footerHeading = "%nExamples:%n",
      footer = {"  portfolio collections verify --plan domains.json"})
  static final class Verify extends PlanCommand {
    @Override
    int run() throws Exception {
      CliIo io = io();
      DomainPlan p = plan();
      DomainVerification v =
          withStore(
              (store, pool) -> maintenance(store, null, ProgressReporter.SILENT).verifyDomains(p));
      print(
          v.fields(),
          () -> {
            Table t =
                new Table(
                    "NAME",
                    "TYPE",
                    "MODEL",
                    "DIMENSION",
                    "DISTANCE",
                    "FILTERS",
                    "STATUS",
                    "REASON");
            for (DomainCheck c : v.checks()) {
              CollectionSpec s = c.collection().spec();
              t.row(
                  s.name(),
                  c.collection().type().name(),
                  s.model(),
                  s.dimension(),
                  Text.lower(s.distance()),
                  filters(c.collection().type().filters()),
                  Text.lower(c.status()),
                  reason(c.reason()));
            }
            t.print(io.out());
            io.out().println(v.summary());
          });
      if (!v.isOk()) {
        io.err()
            .println(
                "Create what is missing (collections, filters, filter indexes) with 'portfolio"
                    + " collections migrate --plan "
                    + plan
                    + "'; a collection with another model keeps it until you switch or drop it.");
        return ExitCodes.FAILURE;
      }
      return ExitCodes.OK;
    }
  }

  /** {@code portfolio collections rollback}. */
  @Command(
      name = "rollback",
      mixinStandardHelpOptions = true,
      description = {
        "Drops the plan's collections that are exactly as planned and still empty (no document,"
            + " only their first embedding set); any other is kept and reported. With --created,"
            + " only the collections a 'migrate --json' run created. Needs --yes (or --dry-run).",
      },
      footerHeading = "%nExamples:%n",
      footer = {
        "  portfolio collections rollback --plan domains.json --dry-run",
        "  portfolio collections rollback --plan domains.json --created run.json --yes",
      })
  static final class Rollback extends PlanCommand {
    @Option(
        names = "--created",
        paramLabel = "FILE",
        description =
            "The --json output of 'collections migrate': drop only its createdCollections.")
    Path created;

    @Option(names = "--dry-run", description = "Only say what would be dropped.")
    boolean dryRun;

    @Option(names = "--yes", description = "Confirm: really drop the empty collections.")
    boolean yes;

    @Override
    int run() throws Exception {
      CliIo io = io();
      if (!yes && !dryRun) {
        throw CliException.usage(
            "a rollback drops the plan's empty collections; add --yes to confirm, or --dry-run to"
                + " see which");
      }
      DomainPlan p = plan();
      DomainRollbackOptions.Builder options = DomainRollbackOptions.builder().dryRun(dryRun);
      if (created != null) {
        List<String> names = createdNames(created);
        usage(() -> options.only(names));
      }
      DomainRollbackOptions o = options.build();
      DomainRollbackResult r =
          withStore(
              (store, pool) ->
                  usage(
                      () ->
                          maintenance(store, null, ProgressReporter.SILENT).rollbackDomains(p, o)));
      print(
          r.fields(),
          () -> {
            Table t = new Table("NAME", "TYPE", "OUTCOME", "REASON");
            for (DomainDrop d : r.drops()) {
              t.row(
                  d.collection().name(),
                  d.collection().type().name(),
                  Text.lower(d.outcome()),
                  reason(d.reason()));
            }
            if (!t.isEmpty()) {
              t.print(io.out());
            }
            io.out().println(r.summary());
          });
      return r.isSuccess() ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    /** Reads {@code createdCollections} from the JSON that {@code migrate --json} printed. */
    static List<String> createdNames(Path file) {
      JsonNode root;
      try {
        root = new ObjectMapper().readTree(Files.readString(file, StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw CliException.usage(
            "cannot read --created " + file + ": " + Text.printable(e.getMessage()));
      }
      JsonNode names = root == null ? null : root.get("createdCollections");
      if (names == null || !names.isArray()) {
        throw CliException.usage(
            "--created "
                + file
                + " has no \"createdCollections\" list; give the output of 'portfolio collections"
                + " migrate --json'");
      }
      List<String> out = new ArrayList<>();
      for (JsonNode n : names) {
        if (!n.isTextual()) {
          throw CliException.usage(
              "--created " + file + ": createdCollections holds " + n + ", not a name");
        }
        out.add(n.textValue());
      }
      return out;
    }
  }
}
