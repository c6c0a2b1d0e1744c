package dev.portfolio.maintenance.jobs;

import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.validation.Inputs;
import dev.portfolio.maintenance.Maintenance;
import dev.portfolio.maintenance.retry.RetryOptions;
import dev.portfolio.maintenance.retry.RetryResult;

/**
 * Runs {@link Maintenance#retryFailed} as a job, in one unit, with the worker's stop check as its
 * cancellation (a pause or a cancellation stops after the batch in flight). It is resumable by
 * itself: the documents recovered are no longer failed, so a run taken over after a crash picks up
 * the rest. It holds the collection's maintenance lock as the inline call does, so it is refused
 * (and the job fails, naming the running operation) while another operation changes the collection.
 *
 * @since 0.1.0
 */
public final class RetryJobHandler implements JobHandler {
  private final Maintenance maintenance;

  private RetryJobHandler(Maintenance maintenance) {
    this.maintenance = maintenance;
  }

  /**
   * Creates the handler.
   *
   * @param maintenance a facade with the embedder of the collections' models
   * @return the handler
   * @throws InvalidInputException when the facade has no embedder
   */
  public static RetryJobHandler of(Maintenance maintenance) {
    Inputs.requireNonNull("maintenance", maintenance);
    if (maintenance.embedder().isEmpty()) {
      throw new InvalidInputException(
          "maintenance",
          "A retry job handler needs a Maintenance built with an embedder:"
              + " Maintenance.builder().store(...).embedder(...).build()");
    }
    return new RetryJobHandler(maintenance);
  }

  @Override
  public String kind() {
    return JobKinds.RETRY;
  }

  /**
   * Describes a retry of failed documents as a job.
   *
   * @param options what to retry (its cancellation is not carried over)
   * @return a request builder
   * @throws InvalidInputException for a dry run (run it inline)
   */
  public static JobRequest.Builder request(RetryOptions options) {
    Inputs.requireNonNull("options", options);
    if (options.dryRun()) {
      throw new InvalidInputException(
          "retry.dryRun", "A dry run changes nothing and returns its counts: run it inline");
    }
    JobParams p =
        JobParams.empty()
            .with("collection", options.collection())
            .with("maxAttempts", Integer.toString(options.maxAttempts()))
            .with("batchSize", Integer.toString(options.batchSize()))
            .withList("sourceId", options.filter().sourceIds().stream().sorted().toList());
    if (options.filter().workspace() != null) {
      p = p.with("workspace", options.filter().workspace());
    }
    return JobRequest.builder(JobKinds.RETRY).params(p);
  }

  /**
   * Reads a job's parameters back into options.
   *
   * @param params the job's parameters
   * @return a builder with the options
   */
  public static RetryOptions.Builder options(JobParams params) {
    RetryOptions.Builder b =
        RetryOptions.builder(params.require("collection"))
            .maxAttempts(params.intValue("maxAttempts", RetryOptions.DEFAULT_MAX_ATTEMPTS))
            .batchSize(params.intValue("batchSize", RetryOptions.DEFAULT_BATCH_SIZE))
            .workspace(params.get("workspace").orElse(null));
    params.list("sourceId").forEach(b::sourceId);
    return b;
  }

  @Override
  public UnitOutcome run(JobContext unit) {
    RetryResult r =
        maintenance.retryFailed(options(unit.params()).cancellation(unit.cancellation()).build());
    long done = unit.progressAtStart() + r.retried();
    unit.checkpoint(
        JobParams.empty().with("summary", r.summary()), done, r.cancelled() ? -1 : done);
    return r.cancelled() ? UnitOutcome.STOPPED : UnitOutcome.DONE;
  }

  @Override
  public String toString() {
    return "RetryJobHandler[" + maintenance + "]";
  }
}
