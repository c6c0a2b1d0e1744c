package dev.portfolio.maintenance.cli;

import dev.portfolio.core.spi.Embedder;
import dev.portfolio.maintenance.ingest.DirectoryLoader;
import dev.portfolio.maintenance.ingest.IngestFailure;
import dev.portfolio.maintenance.ingest.IngestMode;
import dev.portfolio.maintenance.ingest.IngestOptions;
import dev.portfolio.maintenance.ingest.IngestResult;
import dev.portfolio.maintenance.jobs.IngestJobHandler;
import dev.portfolio.maintenance.jobs.Job;
import dev.portfolio.maintenance.jobs.PgJobQueue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code portfolio ingest}: stores the text and Markdown files of a directory in a collection. */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    description = {
      "Ingests the plain text and Markdown files of a directory into a collection: one document per"
          + " file (key = the path under DIR), chunked for the embedder, fingerprinted, embedded"
          + " and stored. Unchanged files cost no embedder call; a changed file re-embeds only the"
          + " chunks whose text changed. A missing collection is created with the embedder's"
          + " model.",
      "Ctrl-C stops after the batch being stored; running the same command again goes on (the"
          + " files stored are unchanged). With --as-job the ingestion is submitted to the job"
          + " queue instead, for 'portfolio jobs worker' processes to run.",
      "Files that cannot be stored (empty, too long, not UTF-8) are listed with the reason; the"
          + " others are stored and the exit code is 1."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  portfolio ingest ./handbook -c handbook --embedder onnx",
      "  portfolio ingest ./handbook -c handbook --embedder onnx --glob '**.md' --source handbook"
          + " --mode full-sync",
      "  portfolio ingest ./docs -c docs --embedder openai --max-cost 5 --price-per-1k 0.00002",
      "  portfolio ingest /shared/docs -c docs --source docs --as-job --priority 5",
    })
final class IngestCommand extends StoreCommand {
  /** How many failures the human output lists without --verbose. */
  static final int FAILURES_SHOWN = 10;

  @Parameters(index = "0", paramLabel = "DIR", description = "The directory to read.")
  Path directory;

  @Option(
      names = {"-c", "--collection"},
      required = true,
      paramLabel = "NAME",
      description = "The collection (created with the embedder's model when missing).")
  String collection;

  @Option(
      names = "--glob",
      paramLabel = "GLOB",
      description =
          "Which files, as a glob over the path under DIR (default: "
              + DirectoryLoader.DEFAULT_GLOB
              + ").")
  String glob = DirectoryLoader.DEFAULT_GLOB;

  @Option(
      names = "--source",
      paramLabel = "ID",
      description = "The source id of every document; required by --mode full-sync.")
  String source;

  @Option(
      names = "--workspace",
      paramLabel = "NAME",
      description = "The workspace of every document.")
  String workspace;

  @Option(
      names = "--mode",
      paramLabel = "MODE",
      description =
          "upsert (default), add-only, update-only, skip-existing, or full-sync (also removes the"
              + " source's documents whose file is gone).")
  String mode = "upsert";

  @Option(names = "--force", description = "Re-chunk and re-embed even unchanged files.")
  boolean force;

  @Option(
      names = "--batch-size",
      paramLabel = "N",
      description =
          "Documents looked up, embedded and written together, 1 to 10000 (default: 100).")
  int batchSize = IngestOptions.defaults().batchSize();

  @Option(
      names = "--title-prefix",
      description = "Start every chunk with the document's title and section heading.")
  boolean titlePrefix;

  @Option(
      names = "--fingerprint-key",
      paramLabel = "KEY",
      description = "Metadata that counts as content for change detection (repeatable).")
  List<String> fingerprintKeys = new ArrayList<>();

  @Option(
      names = "--max-tokens",
      paramLabel = "N",
      description = "Stop before the batch that would embed more tokens than this (default: none).")
  long maxTokens;

  @Option(
      names = "--max-cost",
      paramLabel = "X",
      description =
          "Stop before the batch that would cost more than this; needs --price-per-1k or an"
              + " embedder with a price (--embedder-opt pricePer1kTokens=...).")
  double maxCost;

  @Option(
      names = "--price-per-1k",
      paramLabel = "X",
      description = "The embedder's price of 1,000 tokens, for --max-cost and the reported cost.")
  double pricePer1k;

  @Option(
      names = "--as-job",
      description =
          "Submit the ingestion to the job queue and return at once; 'portfolio jobs worker'"
              + " processes that can read DIR run it.")
  boolean asJob;

  @Option(
      names = "--priority",
      paramLabel = "N",
      description = "With --as-job: the job's priority, higher runs first (default: 0).")
  int priority;

  @Option(
      names = "--progress",
      paramLabel = "MODE",
      description = "auto, bar, lines or none; on standard error (default: auto).")
  ProgressMode progress = ProgressMode.AUTO;

  @Mixin EmbedderOptions embedder;

  /** Builds the loader; package-private for the option tests. */
  DirectoryLoader loader() {
    return usage(
        () ->
            DirectoryLoader.builder(directory)
                .glob(glob)
                .sourceId(source)
                .workspace(workspace)
                .build());
  }

  /** Builds the library's options; package-private for the option tests. */
  IngestOptions options(Interrupts interrupts) {
    IngestMode m = mode(mode);
    return usage(
        () -> {
          IngestOptions.Builder b =
              IngestOptions.builder()
                  .mode(m)
                  .sourceId(source)
                  .force(force)
                  .batchSize(batchSize)
                  .titlePrefix(titlePrefix)
                  .fingerprintKeys(fingerprintKeys)
                  .tokenBudget(maxTokens)
                  .costBudget(maxCost)
                  .costPer1kTokens(pricePer1k);
          if (interrupts != null) {
            b.onBatch(
                r -> {
                  if (interrupts.requested()) {
                    throw new Stopped(r);
                  }
                });
          }
          return b.build();
        });
  }

  static IngestMode mode(String value) {
    try {
      return IngestMode.valueOf(value.strip().replace('-', '_').toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw CliException.usage(
          "--mode must be upsert, add-only, update-only, skip-existing or full-sync (was '"
              + value
              + "')");
    }
  }

  @Override
  int run() throws Exception {
    CliIo io = io();
    DirectoryLoader loader = loader(); // bad values are usage errors before anything is opened
    IngestOptions checked = options(null);
    if (asJob) {
      Job job =
          withStore(
              2,
              (store, pool) ->
                  PgJobQueue.on(store)
                      .submit(
                          usage(
                              () ->
                                  IngestJobHandler.request(collection, loader, checked)
                                      .priority(priority)
                                      .build())));
      print(
          Views.job(job),
          () ->
              io.out()
                  .printf(
                      "Submitted job %d: ingest %s into %s. Follow it with 'portfolio jobs status"
                          + " %d'; 'portfolio jobs worker' processes run it.%n",
                      job.id(), loader.root().toAbsolutePath(), collection, job.id()));
      return ExitCodes.OK;
    }
    IngestResult r;
    boolean interrupted = false;
    try (Embedder e = embedder.create(io, connection.config(io), "ingest");
        Interrupts interrupts = Interrupts.install(io, "ingest " + collection)) {
      IngestOptions options = options(interrupts);
      IngestResult result;
      try {
        result =
            withStore(
                6,
                (store, pool) ->
                    maintenance(store, e, progress.reporter(io))
                        .ingest(collection, loader, options));
      } catch (Stopped s) {
        result = s.result;
        interrupted = true;
      }
      r = result;
      report(io, r, interrupted);
    }
    if (interrupted) {
      return ExitCodes.INTERRUPTED;
    }
    return r.failed() > 0 || r.stoppedByBudget() ? ExitCodes.FAILURE : ExitCodes.OK;
  }

  private void report(CliIo io, IngestResult r, boolean interrupted) {
    print(
        Views.ingest(collection, r, interrupted),
        () -> {
          io.out()
              .printf(
                  "ingest %s into %s: %s; %s tokens in %s embedder calls in %s%n",
                  directory,
                  collection,
                  IngestJobHandler.summary(r),
                  Text.count(r.tokensUsed()),
                  Text.count(r.embedderCalls()),
                  Text.seconds(r.elapsed()));
          if (!r.failures().isEmpty()) {
            Table t = new Table("FILE", "REASON");
            List<IngestFailure> shown =
                verbose ? r.failures() : r.failures().stream().limit(FAILURES_SHOWN).toList();
            shown.forEach(f -> t.row(f.key(), f.reason()));
            t.print(io.out());
            if (r.failed() > shown.size()) {
              io.out().printf("... and %s more%n", Text.count(r.failed() - shown.size()));
            }
          }
        });
    if (interrupted) {
      io.err()
          .println(
              "Interrupted after the batch being stored (input position "
                  + r.nextPosition()
                  + "). Run the same command again to go on: the files stored are unchanged and"
                  + " cost no embedder call.");
    } else if (r.stoppedByBudget()) {
      io.err()
          .println(
              "Stopped by the budget at input position "
                  + r.nextPosition()
                  + ". Run again with a larger --max-tokens or --max-cost to go on.");
    } else if (r.failed() > 0) {
      io.err()
          .printf(
              "%s file%s could not be stored (listed above); the others were. Fix them and run"
                  + " again.%n",
              Text.count(r.failed()), r.failed() == 1 ? "" : "s");
    }
    io.err().flush();
  }

  /** Leaves the ingestion after the batch being stored when Ctrl-C asked it to stop. */
  private static final class Stopped extends RuntimeException {
    private static final long serialVersionUID = 1L;

    @SuppressWarnings("serial")
    private final transient IngestResult result;

    Stopped(IngestResult result) {
      super("interrupted", null, false, false);
      this.result = result;
    }
  }
}
