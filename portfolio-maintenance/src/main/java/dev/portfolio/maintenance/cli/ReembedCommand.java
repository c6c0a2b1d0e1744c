package dev.portfolio.maintenance.cli;

import dev.portfolio.core.model.EmbeddingSet;
import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.spi.EmbedderInfo;
import dev.portfolio.core.spi.VectorStore;
import dev.portfolio.maintenance.jobs.Job;
import dev.portfolio.maintenance.jobs.JobRequest;
import dev.portfolio.maintenance.jobs.PgJobQueue;
import dev.portfolio.maintenance.jobs.ReembedJobHandler;
import dev.portfolio.maintenance.reembed.ChunkError;
import dev.portfolio.maintenance.reembed.ReembedMode;
import dev.portfolio.maintenance.reembed.ReembedOptions;
import dev.portfolio.maintenance.reembed.ReembedResult;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code portfolio reembed}: gives chunks a fresh vector from the collection's model. */
@Command(
    name = "reembed",
    mixinStandardHelpOptions = true,
    description = {
      "Embeds the chunks of a collection that miss a vector (default), whose vector is stale, or"
          + " all of them, with the embedder of the collection's model, in batches with several"
          + " embedder calls in flight. Resumable: run it again after a crash or Ctrl-C and it"
          + " continues where it stopped. To move a collection to another model use"
          + " 'portfolio switch-model start'.",
      "Chunks the embedder rejects are listed and their documents marked failed; the run goes on"
          + " and exits with 1."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  portfolio reembed -c docs --embedder onnx",
      "  portfolio reembed -c docs --embedder onnx --only-stale --source s3://bucket/handbook.md",
      "  portfolio reembed -c docs --embedder openai --model text-embedding-3-small --dry-run",
      "  portfolio reembed -c docs --embedder onnx --batch-size 256 --concurrency 8 --json",
      "  portfolio reembed -c docs --all --as-job --unit-size 5000",
    })
final class ReembedCommand extends StoreCommand {
  /** How many errors the human output lists without --verbose. */
  static final int ERRORS_SHOWN = 10;

  @Option(
      names = {"-c", "--collection"},
      required = true,
      paramLabel = "NAME",
      description = "The collection.")
  String collection;

  @ArgGroup(exclusive = true)
  Selection selection = new Selection();

  @Option(
      names = "--document",
      paramLabel = "KEY",
      description = "Only this document (repeatable).")
  List<String> documents = new ArrayList<>();

  @Option(
      names = "--source",
      paramLabel = "SOURCE_ID",
      description = "Only documents of this source (repeatable).")
  List<String> sources = new ArrayList<>();

  @Option(names = "--workspace", paramLabel = "NAME", description = "Only this workspace.")
  String workspace;

  @Option(
      names = "--set",
      paramLabel = "ID",
      description = "Write into this embedding set (default: the active one).")
  long setId;

  @Mixin RunOptions run;

  @Mixin EmbedderOptions embedder;

  @Option(
      names = "--model",
      paramLabel = "NAME",
      description =
          "The model to embed with, as the embedder names it (e.g. text-embedding-3-small): the"
              + " same as --embedder-opt model=NAME. It must be the model of the set re-embedded;"
              + " to move the collection to another model use 'portfolio switch-model start'.")
  String model;

  @Option(
      names = "--as-job",
      description =
          "Submit the re-embed to the job queue and return at once; 'portfolio jobs worker'"
              + " processes share its units. No --embedder needed here: the workers' is used.")
  boolean asJob;

  @Option(
      names = "--unit-size",
      paramLabel = "N",
      description = "With --as-job: chunks per work unit (default: ${DEFAULT-VALUE}).")
  int unitSize = ReembedJobHandler.DEFAULT_UNIT_SIZE;

  @Option(
      names = "--priority",
      paramLabel = "N",
      description = "With --as-job: the job's priority, higher runs first (default: 0).")
  int priority;

  /** Which chunks are selected; at most one. */
  static final class Selection {
    @Option(names = "--only-missing", description = "Chunks without a vector (the default).")
    boolean missing;

    @Option(names = "--only-stale", description = "Chunks whose text changed since embedding.")
    boolean stale;

    @Option(names = "--all", description = "Every chunk (not resumable: starts over).")
    boolean all;

    ReembedMode mode() {
      return all ? ReembedMode.ALL : stale ? ReembedMode.STALE : ReembedMode.MISSING;
    }
  }

  /** Builds the library's options; package-private for the option tests. */
  ReembedOptions options(Interrupts interrupts) {
    return usage(
        () -> {
          ReembedOptions.Builder b =
              ReembedOptions.builder(collection)
                  .mode(selection.mode())
                  .targetSet(setId)
                  .workspace(workspace)
                  .batchSize(run.batchSize)
                  .maxConcurrency(run.concurrency)
                  .dryRun(run.dryRun);
          documents.forEach(b::documentKey);
          sources.forEach(b::sourceId);
          if (interrupts != null) {
            b.cancellation(interrupts::requested);
          }
          return b.build();
        });
  }

  @Override
  int run() throws Exception {
    CliIo io = io();
    ReembedOptions checked = options(null); // bad values are usage errors before anything opens
    if (asJob && model != null) {
      throw CliException.usage(
          "--model goes with a run here; with --as-job the workers' embedder is used");
    }
    embedder.model(model);
    if (asJob) {
      JobRequest request =
          usage(() -> ReembedJobHandler.request(checked, unitSize).priority(priority).build());
      Job job = withStore(2, (store, pool) -> PgJobQueue.on(store).submit(request));
      print(
          Views.job(job),
          () ->
              io.out()
                  .printf(
                      "Submitted job %d: reembed %s in units of %d chunks. Follow it with"
                          + " 'portfolio jobs status %d'; 'portfolio jobs worker' processes run"
                          + " it.%n",
                      job.id(), collection, unitSize, job.id()));
      return ExitCodes.OK;
    }
    ReembedResult r;
    try (Embedder e = embedder.create(io, connection.config(io), "reembed");
        Interrupts interrupts = Interrupts.install(io, "reembed " + collection)) {
      ReembedOptions options = options(interrupts);
      r =
          withStore(
              run.poolSize(),
              (store, pool) -> {
                requireSetModel(store, e.info(), io);
                return maintenance(store, e, run.progress.reporter(io)).reembed(options);
              });
      report(io, r);
    }
    if (r.cancelled()) {
      return ExitCodes.INTERRUPTED;
    }
    return r.failed() > 0 ? ExitCodes.FAILURE : ExitCodes.OK;
  }

  /**
   * Refuses, before any work, an embedder whose model or dimension is not the target set's: a
   * re-embed refreshes the vectors of the set's own model, and moving to another model is a model
   * switch. The library refuses it too; this message names the command to run instead.
   */
  private void requireSetModel(VectorStore store, EmbedderInfo info, CliIo io) {
    EmbeddingSet set =
        setId == 0
            ? store.activeSet(collection)
            : store.embeddingSets(collection).stream()
                .filter(s -> s.id() == setId)
                .findFirst()
                .orElse(null);
    if (set == null || set.model().equals(info.modelRef()) && set.dimension() == info.dimension()) {
      return; // an unknown set is reported by the library
    }
    throw CliException.failure(
        (model == null ? "The embedder" : "--model " + model)
            + " gives "
            + info.modelRef()
            + " ("
            + info.dimension()
            + " dimensions) but set "
            + set.id()
            + " of collection '"
            + collection
            + "' holds "
            + set.model()
            + " ("
            + set.dimension()
            + " dimensions); reembed only refreshes the vectors of the set's own model. Nothing"
            + " was embedded. To move the collection to "
            + info.modelRef()
            + ", run 'portfolio switch-model start -c "
            + collection
            + " "
            + embedder.arguments(io, connection.config(io))
            + "'; to re-embed set "
            + set.id()
            + ", use an embedder of "
            + set.model()
            + " with "
            + set.dimension()
            + " dimensions.",
        null);
  }

  private void report(CliIo io, ReembedResult r) {
    print(
        Views.reembed(r),
        () -> {
          io.out().println(r.summary());
          printErrors(io, r, verbose);
        });
    if (r.cancelled()) {
      io.err()
          .println(
              r.mode() == ReembedMode.ALL
                  ? "Interrupted at a batch boundary; the vectors written are kept. --all starts"
                      + " over when run again; to finish only what is left, run with --only-stale."
                  : "Interrupted at a batch boundary; the vectors written are kept. Run the same"
                      + " command again to resume where it stopped.");
    } else if (r.failed() > 0) {
      io.err()
          .printf(
              "%s chunk%s could not be embedded; their documents are marked failed with the"
                  + " reason. Fix them and run the same command again.%n",
              Text.count(r.failed()), r.failed() == 1 ? "" : "s");
    }
    io.err().flush();
  }

  static void printErrors(CliIo io, ReembedResult r, boolean all) {
    if (r.errors().isEmpty()) {
      return;
    }
    Table t = new Table("CHUNK", "DOCUMENT", "REASON");
    List<ChunkError> shown = all ? r.errors() : r.errors().stream().limit(ERRORS_SHOWN).toList();
    shown.forEach(e -> t.row(e.chunkId(), e.documentKey(), e.reason()));
    t.print(io.out());
    long more = r.failed() - shown.size();
    if (more > 0) {
      io.out()
          .printf(
              "... and %s more%s%n",
              Text.count(more), all ? "" : " (--verbose lists up to " + r.errors().size() + ")");
    }
  }
}
