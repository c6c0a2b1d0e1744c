package dev.portfolio.maintenance.jobs;

import dev.portfolio.core.discovery.Providers;
import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.inspect.Redaction;
import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.validation.Inputs;
import dev.portfolio.maintenance.Maintenance;
import dev.portfolio.maintenance.modelswitch.SwitchOptions;
import dev.portfolio.maintenance.modelswitch.SwitchOutcome;
import dev.portfolio.maintenance.modelswitch.SwitchResult;
import java.util.Map;
import java.util.function.Function;

/**
 * Runs {@link Maintenance#switchModel} as a job, in one unit: the switch is resumable by itself (a
 * worker that takes it over after a crash continues with the building set the first one filled).
 * The new model's embedder is made from the job's {@code embedder.*} parameters ({@code
 * embedder.provider=openai}, {@code embedder.model=...}) by {@link Providers#embedder}, or by a
 * factory given to {@link #of(Maintenance, Function)}; API keys are best left to the provider's
 * environment variables, since parameters are stored in the jobs table.
 *
 * @since 0.1.0
 */
public final class SwitchJobHandler implements JobHandler {
  private final Maintenance maintenance;
  private final Function<Map<String, String>, Embedder> embedders;

  private SwitchJobHandler(
      Maintenance maintenance, Function<Map<String, String>, Embedder> embedders) {
    this.maintenance = maintenance;
    this.embedders = embedders;
  }

  /**
   * Creates the handler; embedders come from {@link Providers#embedder}.
   *
   * @param maintenance the facade
   * @return the handler
   */
  public static SwitchJobHandler of(Maintenance maintenance) {
    return of(maintenance, Providers::embedder);
  }

  /**
   * Creates the handler with an embedder factory.
   *
   * @param maintenance the facade
   * @param embedders makes the new model's embedder from the {@code embedder.*} parameters (without
   *     the prefix); the handler closes it after the run
   * @return the handler
   */
  public static SwitchJobHandler of(
      Maintenance maintenance, Function<Map<String, String>, Embedder> embedders) {
    Inputs.requireNonNull("maintenance", maintenance);
    Inputs.requireNonNull("embedders", embedders);
    return new SwitchJobHandler(maintenance, embedders);
  }

  @Override
  public String kind() {
    return JobKinds.SWITCH;
  }

  /**
   * Describes a model switch as a job.
   *
   * @param collection the collection
   * @param embedderConfig the new model's embedder configuration, as for {@link Providers#embedder}
   *     (e.g. {@code provider=openai, model=text-embedding-3-large}); no secret (an {@code apiKey}
   *     is refused: name the environment variable that holds it, {@code apiKeyEnv})
   * @param options how to run (its cancellation is not carried over)
   * @return a request builder
   */
  public static JobRequest.Builder request(
      String collection, Map<String, String> embedderConfig, SwitchOptions options) {
    Inputs.collectionName(collection);
    Inputs.requireNonNull("embedderConfig", embedderConfig);
    Inputs.requireNonNull("options", options);
    if (options.dryRun()) {
      throw new InvalidInputException(
          "switch.dryRun", "A dry run changes nothing and returns its estimate: run it inline");
    }
    JobParams p =
        JobParams.empty()
            .with("collection", collection)
            .with("batchSize", Integer.toString(options.batchSize()))
            .with("maxConcurrency", Integer.toString(options.maxConcurrency()))
            .with("activate", Boolean.toString(options.activate()))
            .with("force", Boolean.toString(options.force()))
            .with("dropRetired", Boolean.toString(options.dropRetired()))
            .with("catchUpRounds", Integer.toString(options.catchUpRounds()));
    for (Map.Entry<String, String> e : embedderConfig.entrySet()) {
      if (Redaction.isSecretKey(e.getKey())) {
        // Parameters are stored in the jobs table and shown by job listings: never a secret.
        throw new InvalidInputException(
            "embedder." + e.getKey(),
            "embedder."
                + e.getKey()
                + " holds a secret, and a job's parameters are stored in the jobs table and shown"
                + " with the job: give the workers the key through the environment"
                + " (e.g. apiKeyEnv=NAME of a variable set where the workers run)");
      }
      p = p.with("embedder." + e.getKey(), e.getValue());
    }
    return JobRequest.builder(JobKinds.SWITCH).params(p);
  }

  @Override
  public UnitOutcome run(JobContext unit) {
    JobParams p = unit.params();
    SwitchOptions defaults = SwitchOptions.defaults();
    SwitchOptions options =
        SwitchOptions.builder()
            .batchSize(p.intValue("batchSize", defaults.batchSize()))
            .maxConcurrency(p.intValue("maxConcurrency", defaults.maxConcurrency()))
            .activate(p.bool("activate", defaults.activate()))
            .force(p.bool("force", defaults.force()))
            .dropRetired(p.bool("dropRetired", defaults.dropRetired()))
            .catchUpRounds(p.intValue("catchUpRounds", defaults.catchUpRounds()))
            .cancellation(unit.cancellation())
            .build();
    Map<String, String> config = p.withPrefix("embedder.");
    if (config.isEmpty()) {
      throw new InvalidInputException(
          "embedder",
          "A switch job needs the new model's embedder in parameters embedder.provider,"
              + " embedder.model, ...");
    }
    try (Embedder next = embedders.apply(config)) {
      SwitchResult r = maintenance.switchModel(p.require("collection"), next, options);
      long embedded = r.runs().stream().mapToLong(x -> x.processed()).sum();
      unit.checkpoint(
          JobParams.empty().with("outcome", r.outcome().name().toLowerCase(java.util.Locale.ROOT)),
          unit.progressAtStart() + embedded,
          -1);
      return r.outcome() == SwitchOutcome.CANCELLED ? UnitOutcome.STOPPED : UnitOutcome.DONE;
    }
  }

  @Override
  public String toString() {
    return "SwitchJobHandler[" + maintenance + "]";
  }
}
