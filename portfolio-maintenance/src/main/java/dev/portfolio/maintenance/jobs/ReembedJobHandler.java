package dev.portfolio.maintenance.jobs;

import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.error.NonRetriableException;
import dev.portfolio.core.error.PortfolioException;
import dev.portfolio.core.error.RetriableException;
import dev.portfolio.core.model.Chunk;
import dev.portfolio.core.model.ChunkQuery;
import dev.portfolio.core.model.Page;
import dev.portfolio.core.spi.MaintenanceLock;
import dev.portfolio.core.spi.VectorStore;
import dev.portfolio.core.validation.Inputs;
import dev.portfolio.maintenance.Maintenance;
import dev.portfolio.maintenance.reembed.ReembedMode;
import dev.portfolio.maintenance.reembed.ReembedOptions;
import dev.portfolio.maintenance.reembed.ReembedResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs {@link Maintenance#reembed} as a job, split into units of consecutive chunk ids so that
 * several workers share it. The job's parameters are the {@link ReembedOptions} ({@link
 * #request(ReembedOptions)} writes them, {@link #options(JobParams)} reads them back); the plan
 * reads the selected chunks once, in keyset pages, and cuts a unit every {@code unitSize} of them;
 * each unit runs the very same re-embed, limited to its range, with the worker's stop check as its
 * cancellation and its checkpoints committed to the queue.
 *
 * <p>Resumption: what the set still misses is the progress, so a unit taken over after a crash
 * embeds only the chunks that have no vector yet (behind its last checkpoint); only the batches
 * that were in flight when the worker died and whose vectors were not written are embedded again,
 * and no chunk gets two vectors. In mode {@link ReembedMode#ALL} the checkpoint is what resumes:
 * the chunks embedded after the last committed checkpoint are embedded again.
 *
 * @since 0.1.0
 */
public final class ReembedJobHandler implements JobHandler {
  /** The default number of chunks per work unit: {@value}. */
  public static final int DEFAULT_UNIT_SIZE = 10_000;

  /** The largest number of chunks per work unit: {@value}. */
  public static final int MAX_UNIT_SIZE = 10_000_000;

  private final Maintenance maintenance;

  private ReembedJobHandler(Maintenance maintenance) {
    this.maintenance = maintenance;
  }

  /**
   * Creates the handler.
   *
   * @param maintenance a facade with the embedder of the collections' models
   * @return the handler
   * @throws InvalidInputException when the facade has no embedder
   */
  public static ReembedJobHandler of(Maintenance maintenance) {
    Inputs.requireNonNull("maintenance", maintenance);
    if (maintenance.embedder().isEmpty()) {
      throw new InvalidInputException(
          "maintenance",
          "A reembed job handler needs a Maintenance built with an embedder:"
              + " Maintenance.builder().store(...).embedder(...).build()");
    }
    return new ReembedJobHandler(maintenance);
  }

  @Override
  public String kind() {
    return JobKinds.REEMBED;
  }

  /**
   * Describes a re-embed as a job, in units of {@value #DEFAULT_UNIT_SIZE} chunks.
   *
   * @param options what to re-embed (its cancellation and checkpoint listener are not carried over:
   *     a job is controlled through the queue)
   * @return a request builder, e.g. to set the priority
   */
  public static JobRequest.Builder request(ReembedOptions options) {
    return request(options, DEFAULT_UNIT_SIZE);
  }

  /**
   * Describes a re-embed as a job.
   *
   * @param options what to re-embed
   * @param unitSize chunks per work unit, 1 to {@value #MAX_UNIT_SIZE}
   * @return a request builder
   * @throws InvalidInputException for a dry run (run it inline) or a bad unit size
   */
  public static JobRequest.Builder request(ReembedOptions options, int unitSize) {
    Inputs.requireNonNull("options", options);
    Inputs.between("reembed.unitSize", unitSize, 1, MAX_UNIT_SIZE);
    if (options.dryRun()) {
      throw new InvalidInputException(
          "reembed.dryRun", "A dry run changes nothing and returns its estimate: run it inline");
    }
    JobParams p =
        JobParams.empty()
            .with("collection", options.collection())
            .with("mode", options.mode().name().toLowerCase(Locale.ROOT))
            .with("targetSet", Long.toString(options.targetSetId()))
            .with("batchSize", Integer.toString(options.batchSize()))
            .with("maxConcurrency", Integer.toString(options.maxConcurrency()))
            .with("unitSize", Integer.toString(unitSize))
            .withList("documentKey", options.documentKeys().stream().sorted().toList())
            .withList("sourceId", options.sourceIds().stream().sorted().toList());
    if (options.workspace() != null) {
      p = p.with("workspace", options.workspace());
    }
    return JobRequest.builder(JobKinds.REEMBED).params(p);
  }

  /**
   * Reads a job's parameters back into options.
   *
   * @param params the job's parameters
   * @return a builder with the options (validated by its {@code build()})
   * @throws InvalidInputException naming a missing or malformed parameter
   */
  public static ReembedOptions.Builder options(JobParams params) {
    ReembedOptions.Builder b =
        ReembedOptions.builder(params.require("collection"))
            .mode(mode(params.string("mode", "missing")))
            .targetSet(params.longValue("targetSet", 0))
            .batchSize(params.intValue("batchSize", ReembedOptions.DEFAULT_BATCH_SIZE))
            .maxConcurrency(
                params.intValue("maxConcurrency", ReembedOptions.DEFAULT_MAX_CONCURRENCY))
            .workspace(params.get("workspace").orElse(null));
    params.list("documentKey").forEach(b::documentKey);
    params.list("sourceId").forEach(b::sourceId);
    return b;
  }

  @Override
  public List<WorkUnit> plan(JobContext job) {
    ReembedOptions options = options(job.params()).build();
    int unitSize = job.params().intValue("unitSize", DEFAULT_UNIT_SIZE);
    VectorStore store = maintenance.store();
    long setId =
        options.targetSetId() == 0
            ? store.activeSet(options.collection()).id()
            : options.targetSetId();
    JobParams base = JobParams.empty().with("targetSet", Long.toString(setId));
    if (!options.documentKeys().isEmpty()) {
      return List.of(unit(base, 0, Long.MAX_VALUE, -1));
    }
    List<WorkUnit> units = new ArrayList<>();
    ChunkQuery query =
        ChunkQuery.of(options.collection(), Math.min(unitSize, ChunkQuery.MAX_LIMIT))
            .withFilter(options.filter())
            .withEmbeddingState(options.mode().selects())
            .inSet(setId);
    long unitStart = 0;
    long count = 0;
    long cursor = 0;
    while (!job.stopRequested()) {
      Page<Chunk> page = store.listChunks(query.after(cursor));
      for (Chunk c : page.items()) {
        cursor = c.id();
        if (++count == unitSize) {
          units.add(unit(base, unitStart, cursor, count));
          unitStart = cursor;
          count = 0;
        }
      }
      if (!page.hasNext()) {
        break;
      }
    }
    if (job.stopRequested()) {
      throw new NonRetriableException(
          ErrorCode.CANCELLED, "Planning of job " + job.jobId() + " stopped: " + job.stopReason());
    }
    // The last unit runs to the end, so chunks added after the plan are covered too. When the
    // selection ended exactly at a unit boundary, the last full unit is extended rather than
    // followed by an empty one (a unit costs a claim, a lock and a completion).
    if (count == 0 && !units.isEmpty()) {
      WorkUnit last = units.remove(units.size() - 1);
      units.add(
          unit(
              base,
              last.params().longValue("after", 0),
              Long.MAX_VALUE,
              last.params().longValue("chunks", -1)));
    } else {
      units.add(unit(base, unitStart, Long.MAX_VALUE, count));
    }
    return units;
  }

  @Override
  public UnitOutcome run(JobContext unit) {
    long from = unit.unitParams().longValue("after", 0);
    long to = unit.unitParams().longValue("upTo", Long.MAX_VALUE);
    long resumeAfter = Math.max(from, unit.checkpoint().longValue("after", from));
    if (resumeAfter >= to) {
      return UnitOutcome.DONE;
    }
    long base = unit.progressAtStart();
    long total = unitTotal(unit);
    ReembedOptions.Builder builder =
        options(unit.params())
            .targetSet(unit.unitParams().longValue("targetSet", 0))
            .startAfterChunk(resumeAfter)
            .upToChunk(to)
            .cancellation(unit.cancellation())
            .checkpoints(
                cp ->
                    unit.checkpoint(
                        JobParams.empty().with("after", Long.toString(cp.afterChunkId())),
                        base + cp.chunks(),
                        total));
    String collection = unit.params().require("collection");
    try (MaintenanceLock lock = lockForUnit(maintenance.store(), unit, collection)) {
      ReembedOptions options = builder.heldLock(lock).build();
      ReembedResult r = maintenance.reembed(options);
      if (r.cancelled()) {
        return UnitOutcome.STOPPED;
      }
      if (total >= 0) {
        // Count from the data, not from what this run embedded: a run that took the unit over
        // after a crash does not see the chunks the dead worker wrote after its last checkpoint.
        unit.checkpoint(
            JobParams.empty().with("after", Long.toString(to)),
            done(options, from, to, total),
            total);
      }
      return UnitOutcome.DONE;
    }
  }

  /**
   * Takes a collection's maintenance lock shared, on behalf of a job's unit: the job's units hold
   * it side by side, while an exclusive operation (a switch, a cleanup, an inline re-embed) is
   * refused with a message naming the job. When such an operation holds it, the unit waits and
   * tries again ({@link RetriableException}).
   *
   * @param store the store
   * @param unit the unit
   * @param collection the collection
   * @return the held lock
   * @throws RetriableException CONFLICT naming the operation that holds the lock
   */
  static MaintenanceLock lockForUnit(VectorStore store, JobContext unit, String collection) {
    try {
      return store.lockShared(
          collection, unit.kind() + " job " + unit.jobId() + " of " + collection);
    } catch (PortfolioException e) {
      if (e.code() != ErrorCode.CONFLICT) {
        throw e;
      }
      throw new RetriableException(
          ErrorCode.CONFLICT,
          "Unit "
              + unit.unit()
              + " of job "
              + unit.jobId()
              + " waits for the collection's maintenance lock: "
              + e.getMessage(),
          e);
    }
  }

  /**
   * Counts a completed unit's work from the data: its planned chunks less those the target set
   * still misses (chunks the embedder rejected) in modes {@code MISSING} and {@code STALE}; the
   * planned chunks in mode {@code ALL}.
   */
  private long done(ReembedOptions options, long from, long to, long total) {
    if (options.mode() == ReembedMode.ALL) {
      return total;
    }
    ChunkQuery query =
        // Small pages: once the unit is done its range misses (almost) nothing, and the first page
        // past it ends the count; chunks of other units' ranges are not read.
        ChunkQuery.of(options.collection(), 256)
            .withFilter(options.filter())
            .withEmbeddingState(options.mode().selects())
            .inSet(options.targetSetId());
    long left = 0;
    long cursor = from;
    while (true) {
      Page<Chunk> page = maintenance.store().listChunks(query.after(cursor));
      for (Chunk c : page.items()) {
        if (c.id() > to) {
          return Math.max(0, total - left);
        }
        cursor = c.id();
        left++;
      }
      if (!page.hasNext()) {
        return Math.max(0, total - left);
      }
    }
  }

  private static long unitTotal(JobContext unit) {
    return unit.unitParams().longValue("chunks", -1);
  }

  private static WorkUnit unit(JobParams base, long after, long upTo, long chunks) {
    return new WorkUnit(
        base.with("after", Long.toString(after))
            .with("upTo", Long.toString(upTo))
            .with("chunks", Long.toString(chunks)),
        chunks);
  }

  private static ReembedMode mode(String value) {
    try {
      return ReembedMode.valueOf(value.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(
          "mode", "Job parameter 'mode' must be missing, stale or all (was '" + value + "')");
    }
  }

  @Override
  public String toString() {
    return "ReembedJobHandler[" + maintenance + "]";
  }
}
