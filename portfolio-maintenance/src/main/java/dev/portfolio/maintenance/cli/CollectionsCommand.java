package dev.portfolio.maintenance.cli;

import dev.portfolio.core.model.CollectionInfo;
import dev.portfolio.core.model.CollectionSpec;
import dev.portfolio.core.model.Distance;
import dev.portfolio.core.model.EmbeddingSet;
import dev.portfolio.core.model.SetState;
import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.spi.EmbedderInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code portfolio collections}: list, create and drop collections, and migrate, verify and roll
 * back the per-domain collections of a plan ({@link DomainCommands}).
 */
@Command(
    name = "collections",
    mixinStandardHelpOptions = true,
    description =
        "Lists, creates and drops collections; migrates a plan of per-domain collections.",
    synopsisSubcommandLabel = "(list | create | drop | migrate | verify | rollback)",
    footerHeading = "%nExamples:%n",
    footer = {
      "  portfolio collections list",
      "  portfolio collections create docs --embedder onnx",
      "  portfolio collections drop old-docs --yes",
      "  portfolio collections migrate --plan domains.json --dry-run",
      "  portfolio collections create --help   # each command's options and examples",
    },
    subcommands = {
      CollectionsCommand.ListCollections.class,
      CollectionsCommand.Create.class,
      CollectionsCommand.Drop.class,
      DomainCommands.Migrate.class,
      DomainCommands.Verify.class,
      DomainCommands.Rollback.class
    })
final class CollectionsCommand {
  private CollectionsCommand() {}

  /** {@code portfolio collections list}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Lists the collections with their model, dimension, distance and sets.",
      footerHeading = "%nExamples:%n",
      footer = {"  portfolio collections list", "  portfolio collections list --json"})
  static final class ListCollections extends StoreCommand {
    @Override
    int run() throws Exception {
      CliIo io = io();
      List<Map<String, Object>> views = new ArrayList<>();
      Table table =
          new Table(
              "NAME", "ID", "MODEL", "DIMENSION", "DISTANCE", "ACTIVE SET", "BUILDING", "CREATED");
      withStore(
          (store, pool) -> {
            for (CollectionInfo c : store.listCollections()) {
              List<EmbeddingSet> sets = store.embeddingSets(c.name());
              views.add(Views.collection(c, sets));
              table.row(
                  c.name(),
                  c.id(),
                  c.model(),
                  c.dimension(),
                  Text.lower(c.distance()),
                  setId(sets, SetState.ACTIVE),
                  sets.stream()
                      .filter(s -> s.state() == SetState.BUILDING)
                      .map(s -> s.id() + " (" + s.model() + ", " + s.dimension() + ")")
                      .findFirst()
                      .orElse(null),
                  c.createdAt());
            }
            return null;
          });
      Map<String, Object> doc = Json.object();
      doc.put("collections", views);
      print(
          doc,
          () -> {
            if (table.isEmpty()) {
              io.out().println("No collections. Create one with 'portfolio collections create'.");
            } else {
              table.print(io.out());
            }
          });
      return ExitCodes.OK;
    }

    private static Long setId(List<EmbeddingSet> sets, SetState state) {
      return sets.stream()
          .filter(s -> s.state() == state)
          .map(EmbeddingSet::id)
          .findFirst()
          .orElse(null);
    }
  }

  /** {@code portfolio collections create}. */
  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = {
        "Creates a collection with its embedding model, dimension and distance.",
        "Give --model and --dimension, or --embedder to take both from that embedder."
      },
      footerHeading = "%nExamples:%n",
      footer = {
        "  portfolio collections create docs --embedder onnx",
        "  portfolio collections create code --model voyage:voyage-code-3 --dimension 1024",
        "  portfolio collections create imgs --model clip:vit-b-32 --dimension 512 --distance l2",
      })
  static final class Create extends StoreCommand {
    @Parameters(
        index = "0",
        paramLabel = "NAME",
        description = "Collection name: a-z, 0-9, _ and -.")
    String collection;

    @Option(
        names = "--model",
        paramLabel = "MODEL",
        description = "Model reference, e.g. onnx:all-minilm-l6-v2 (default: the --embedder's).")
    String model;

    @Option(
        names = "--dimension",
        paramLabel = "N",
        description = "Vector dimension (default: the --embedder's).")
    Integer dimension;

    @Option(
        names = {"--distance", "--metric"},
        paramLabel = "DISTANCE",
        converter = DistanceConverter.class,
        description = "cosine, l2 or inner-product (default: cosine).")
    Distance distance = Distance.COSINE;

    @Mixin EmbedderOptions embedder;

    @Override
    int run() throws Exception {
      CliIo io = io();
      String m = model;
      Integer d = dimension;
      if (m == null || d == null) {
        if (!embedder.given(io, connection.config(io))) {
          throw CliException.usage(
              "give the collection's --model and --dimension, or an --embedder to take them from");
        }
        try (Embedder e = embedder.create(io, connection.config(io), "collections create")) {
          EmbedderInfo info = e.info();
          m = m == null ? info.modelRef() : m;
          d = d == null ? Integer.valueOf(info.dimension()) : d;
        }
      }
      String finalModel = m;
      int finalDimension = d;
      CollectionSpec spec =
          usage(() -> new CollectionSpec(collection, finalModel, finalDimension, distance));
      CollectionInfo created =
          withStore(
              (store, pool) -> {
                CollectionInfo c = store.createCollection(spec);
                print(
                    Views.collection(c, store.embeddingSets(c.name())),
                    () ->
                        io.out()
                            .printf(
                                "Created collection %s (id %d): %s, %d dimensions, %s distance%n",
                                c.name(),
                                c.id(),
                                c.model(),
                                c.dimension(),
                                Text.lower(c.distance())));
                return c;
              });
      return created == null ? ExitCodes.FAILURE : ExitCodes.OK;
    }
  }

  /** {@code portfolio collections drop}. */
  @Command(
      name = "drop",
      mixinStandardHelpOptions = true,
      description =
          "Drops a collection with all its documents, chunks and vectors. Cannot be undone: take a"
              + " backup first. Needs --yes.",
      footerHeading = "%nExamples:%n",
      footer = {"  portfolio collections drop old-docs --yes"})
  static final class Drop extends StoreCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The collection to drop.")
    String collection;

    @Option(names = "--yes", description = "Confirm: really drop it with everything in it.")
    boolean yes;

    @Override
    int run() throws Exception {
      CliIo io = io();
      if (!yes) {
        throw CliException.usage(
            "dropping collection '"
                + Text.printable(collection)
                + "' deletes all its documents, chunks and vectors; add --yes to confirm");
      }
      boolean dropped = withStore((store, pool) -> store.dropCollection(collection));
      Map<String, Object> doc = Json.object();
      doc.put("collection", collection);
      doc.put("dropped", dropped);
      if (!dropped) {
        if (json) {
          Json.print(io.out(), doc);
        }
        throw CliException.failure(
            "no collection '"
                + Text.printable(collection)
                + "'; 'portfolio collections list' shows them",
            null);
      }
      print(doc, () -> io.out().printf("Dropped collection %s.%n", collection));
      return ExitCodes.OK;
    }
  }

  /** Reads a distance: cosine, l2, inner-product (or inner_product, ip). */
  static final class DistanceConverter implements ITypeConverter<Distance> {
    @Override
    public Distance convert(String value) {
      return switch (value.toLowerCase(Locale.ROOT).replace('-', '_')) {
        case "cosine" -> Distance.COSINE;
        case "l2", "euclidean" -> Distance.L2;
        case "inner_product", "ip", "dot" -> Distance.INNER_PRODUCT;
        default ->
            throw new TypeConversionException(
                "'" + value + "' is not a distance; use cosine, l2 or inner-product");
      };
    }
  }
}
