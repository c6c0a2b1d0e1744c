package dev.portfolio.maintenance.jobs;

import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.error.NonRetriableException;
import dev.portfolio.core.validation.Inputs;
import dev.portfolio.maintenance.Maintenance;
import dev.portfolio.maintenance.ingest.DirectoryLoader;
import dev.portfolio.maintenance.ingest.IngestMode;
import dev.portfolio.maintenance.ingest.IngestOptions;
import dev.portfolio.maintenance.ingest.IngestResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Runs {@link Maintenance#ingest(String, dev.portfolio.maintenance.ingest.DocumentLoader,
 * IngestOptions)} as a job, in one unit, on the files of a directory ({@link DirectoryLoader}): the
 * job's parameters are the directory, the loader's glob, source id and workspace, and the {@link
 * IngestOptions} that can be written down ({@link #request} writes them, {@link
 * #options(JobParams)} reads them back). The directory must be readable by every worker that may
 * take the job (a shared volume, or workers on the host that submits).
 *
 * <p>The checkpoint is the input position after the last stored batch ({@link
 * IngestResult#nextPosition()}); a run taken over after a crash or a pause starts there ({@link
 * IngestOptions#startAt}), and documents stored before it are unchanged anyway (no embedder call).
 * A pause or a cancellation stops after the batch being stored. A token or cost budget that stops
 * the run fails the job with {@link ErrorCode#BUDGET_EXHAUSTED} and the position reached: submit it
 * again (with a larger budget) to go on, since unchanged documents cost nothing. Progress is
 * documents read.
 *
 * @since 0.1.0
 */
public final class IngestJobHandler implements JobHandler {
  private final Maintenance maintenance;

  private IngestJobHandler(Maintenance maintenance) {
    this.maintenance = maintenance;
  }

  /**
   * Creates the handler.
   *
   * @param maintenance a facade with the embedder of the collections' models
   * @return the handler
   * @throws InvalidInputException when the facade has no embedder
   */
  public static IngestJobHandler of(Maintenance maintenance) {
    Inputs.requireNonNull("maintenance", maintenance);
    if (maintenance.embedder().isEmpty()) {
      throw new InvalidInputException(
          "maintenance",
          "An ingest job handler needs a Maintenance built with an embedder:"
              + " Maintenance.builder().store(...).embedder(...).build()");
    }
    return new IngestJobHandler(maintenance);
  }

  @Override
  public String kind() {
    return JobKinds.INGEST;
  }

  /**
   * Describes the ingestion of a directory as a job.
   *
   * @param collection the collection
   * @param loader the directory, glob, source id and workspace (its root is stored as an absolute
   *     path)
   * @param options how to ingest; its chunker must be the default (chunks sized for the embedder),
   *     and its {@code onBatch}, {@code startAt} and {@code jobId} are the job's own
   * @return a request builder, e.g. to set the priority
   * @throws InvalidInputException for custom chunker options
   */
  public static JobRequest.Builder request(
      String collection, DirectoryLoader loader, IngestOptions options) {
    Inputs.collectionName(collection);
    Inputs.requireNonNull("loader", loader);
    Inputs.requireNonNull("options", options);
    if (options.chunker() != null) {
      throw new InvalidInputException(
          "ingest.chunker",
          "An ingest job chunks for the embedder (the default); custom chunker options cannot be"
              + " stored with the job: run it inline");
    }
    JobParams p =
        JobParams.empty()
            .with("collection", collection)
            .with("directory", loader.root().toAbsolutePath().normalize().toString())
            .with("glob", loader.glob())
            .with("mode", options.mode().name().toLowerCase(Locale.ROOT))
            .with("force", Boolean.toString(options.force()))
            .with("batchSize", Integer.toString(options.batchSize()))
            .with("titlePrefix", Boolean.toString(options.titlePrefix()))
            .with("maxTextLength", Integer.toString(options.maxTextLength()))
            .with("purgeRemoved", Boolean.toString(options.purgeRemoved()))
            .withList("fingerprintKey", options.fingerprintKeys().stream().sorted().toList());
    if (loader.sourceId() != null) {
      p = p.with("loader.sourceId", loader.sourceId());
    }
    if (loader.workspace() != null) {
      p = p.with("loader.workspace", loader.workspace());
    }
    if (options.sourceId() != null) {
      p = p.with("sourceId", options.sourceId());
    }
    if (options.tokenBudget() > 0) {
      p = p.with("tokenBudget", Long.toString(options.tokenBudget()));
    }
    if (options.costBudget() > 0) {
      p =
          p.with("costBudget", Double.toString(options.costBudget()))
              .with("costPer1kTokens", Double.toString(options.costPer1kTokens()));
    }
    return JobRequest.builder(JobKinds.INGEST).params(p);
  }

  /**
   * Reads a job's parameters back into the loader.
   *
   * @param params the job's parameters
   * @return the loader
   * @throws InvalidInputException naming a missing parameter, or when the directory is not one
   */
  public static DirectoryLoader loader(JobParams params) {
    return DirectoryLoader.builder(Path.of(params.require("directory")))
        .glob(params.string("glob", DirectoryLoader.DEFAULT_GLOB))
        .sourceId(params.get("loader.sourceId").orElse(null))
        .workspace(params.get("loader.workspace").orElse(null))
        .build();
  }

  /**
   * Reads a job's parameters back into options.
   *
   * @param params the job's parameters
   * @return a builder with the options (validated by its {@code build()})
   * @throws InvalidInputException naming a malformed parameter
   */
  public static IngestOptions.Builder options(JobParams params) {
    IngestOptions defaults = IngestOptions.defaults();
    IngestOptions.Builder b =
        IngestOptions.builder()
            .mode(mode(params.string("mode", "upsert")))
            .sourceId(params.get("sourceId").orElse(null))
            .force(params.bool("force", false))
            .batchSize(params.intValue("batchSize", defaults.batchSize()))
            .titlePrefix(params.bool("titlePrefix", false))
            .maxTextLength(params.intValue("maxTextLength", defaults.maxTextLength()))
            .purgeRemoved(params.bool("purgeRemoved", defaults.purgeRemoved()))
            .fingerprintKeys(params.list("fingerprintKey"))
            .tokenBudget(params.longValue("tokenBudget", 0));
    if (params.get("costBudget").isPresent()) {
      b.costBudget(number(params, "costBudget")).costPer1kTokens(number(params, "costPer1kTokens"));
    }
    return b;
  }

  @Override
  public UnitOutcome run(JobContext unit) {
    JobParams p = unit.params();
    long start = unit.checkpoint().longValue("position", 0);
    IngestOptions options =
        options(p)
            .startAt(start)
            .jobId("job-" + unit.jobId())
            .onBatch(
                r -> {
                  unit.checkpoint(position(r.nextPosition()), r.nextPosition(), -1);
                  if (unit.stopRequested()) {
                    throw new Stopped(r.nextPosition());
                  }
                })
            .build();
    IngestResult r;
    try {
      r = maintenance.ingest(p.require("collection"), loader(p), options);
    } catch (Stopped s) {
      return UnitOutcome.STOPPED;
    }
    if (r.stoppedByBudget()) {
      unit.checkpoint(position(r.nextPosition()), r.nextPosition(), -1);
      throw new NonRetriableException(
          ErrorCode.BUDGET_EXHAUSTED,
          "Ingest job "
              + unit.jobId()
              + " stopped by its budget at input position "
              + r.nextPosition()
              + " ("
              + r.tokensUsed()
              + " tokens this run): "
              + summary(r)
              + ". Submit it again with a larger budget: the documents stored are unchanged and"
              + " cost no embedder call.");
    }
    unit.checkpoint(
        position(r.nextPosition()).with("summary", summary(r)), r.nextPosition(), r.nextPosition());
    return UnitOutcome.DONE;
  }

  /**
   * Describes an ingestion's result in one line.
   *
   * @param r the result
   * @return e.g. {@code 120 read: 100 added, 10 updated, 10 unchanged, 0 skipped, 0 removed, 0
   *     failed; 800 chunks embedded, 40 reused}
   */
  public static String summary(IngestResult r) {
    return r.read()
        + " read: "
        + r.added()
        + " added, "
        + r.updated()
        + " updated, "
        + r.unchanged()
        + " unchanged, "
        + r.skipped()
        + " skipped, "
        + r.removed()
        + " removed, "
        + r.failed()
        + " failed; "
        + r.chunksEmbedded()
        + " chunks embedded, "
        + r.chunksReused()
        + " reused";
  }

  private static JobParams position(long next) {
    return JobParams.empty().with("position", Long.toString(next));
  }

  private static IngestMode mode(String value) {
    try {
      return IngestMode.valueOf(value.strip().replace('-', '_').toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(
          "mode",
          "Job parameter 'mode' must be one of "
              + List.of("upsert", "add-only", "update-only", "skip-existing", "full-sync")
              + " (was '"
              + value
              + "')");
    }
  }

  private static double number(JobParams params, String key) {
    String v = params.require(key);
    try {
      return Double.parseDouble(v.strip());
    } catch (NumberFormatException e) {
      throw new InvalidInputException(
          key, "Job parameter '" + key + "' must be a number (was '" + v + "')");
    }
  }

  /** Leaves the ingestion at a batch boundary when the job is paused or cancelled. */
  private static final class Stopped extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Stopped(long position) {
      super("stopped at input position " + position, null, false, false);
    }
  }

  @Override
  public String toString() {
    return "IngestJobHandler[" + maintenance + "]";
  }
}
