package dev.portfolio.maintenance.internal;

import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.model.EmbeddingSet;
import dev.portfolio.core.spi.Embedder;
import dev.portfolio.maintenance.reembed.ReembedOptions;
import dev.portfolio.maintenance.reembed.ReembedResult;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code Maintenance.reembed}: resolves the target set, refuses an embedder of another model, then
 * runs the pipeline ({@link ReembedRun}) or, for a dry run, the count ({@link Estimator}).
 */
public final class Reembedder {
  private static final Logger LOG = LoggerFactory.getLogger(Reembedder.class);
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
    double price = embedder.info().pricePer1kTokens();
    if (options.costBudget() > 0 && price == 0) {
      throw new InvalidInputException(
          "reembed.costBudget",
          "reembed.costBudget needs a price of 1,000 tokens: set the embedder option"
              + " pricePer1kTokens ("
              + embedder.info().modelRef()
              + " has none), or use reembed.tokenBudget");
    }
    long budget = options.effectiveTokenBudget(price);
    if (budget == Long.MAX_VALUE) {
      return new ReembedRun(settings, embedder, spec).execute().result();
    }
    TokenMeter meter = new TokenMeter(embedder);
    BooleanSupplier cancelled = spec.cancellation();
    ReembedResult result =
        new ReembedRun(
                settings,
                meter,
                spec.withCancellation(() -> cancelled.getAsBoolean() || meter.tokens() >= budget))
            .execute()
            .result();
    if (meter.tokens() >= budget) {
      LOG.info(
          "{}: stopped by the budget of {} tokens after {}; run it again to resume",
          spec.operation(),
          budget,
          meter.tokens());
    }
    return result;
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
