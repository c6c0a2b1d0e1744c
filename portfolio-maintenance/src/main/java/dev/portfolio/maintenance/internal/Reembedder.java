package dev.portfolio.maintenance.internal;

import dev.portfolio.core.model.EmbeddingSet;
import dev.portfolio.core.spi.Embedder;
import dev.portfolio.maintenance.reembed.ReembedOptions;
import dev.portfolio.maintenance.reembed.ReembedResult;
import java.util.Objects;

/**
 * {@code Maintenance.reembed}: resolves the target set, refuses an embedder of another model, then
 * runs the pipeline ({@link ReembedRun}) or, for a dry run, the count ({@link Estimator}).
 */
public final class Reembedder {
  private final Settings settings;
  private final Embedder embedder;

  /**
   * Creates the operation.
   *
   * @param settings what every operation shares
   * @param embedder the embedder of the target set's model
   */
  public Reembedder(Settings settings, Embedder embedder) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.embedder = Objects.requireNonNull(embedder, "embedder");
  }

  /**
   * Re-embeds what the options select.
   *
   * @param options the options
   * @return the result
   */
  public ReembedResult reembed(ReembedOptions options) {
    Objects.requireNonNull(options, "options");
    EmbeddingSet target =
        TargetSets.resolve(settings.store(), options.collection(), options.targetSetId());
    TargetSets.requireFit(target, embedder.info());
    RunSpec spec = RunSpec.of(options, target);
    if (options.dryRun()) {
      return Estimator.estimate(settings, spec, embedder.info().pricePer1kTokens());
    }
    return new ReembedRun(settings, embedder, spec).execute().result();
  }

  /**
   * Runs one pass of the pipeline, for a model switch.
   *
   * @param spec the run
   * @return the result and the failed chunk ids
   */
  RunOutcome run(RunSpec spec) {
    return new ReembedRun(settings, embedder, spec).execute();
  }
}
