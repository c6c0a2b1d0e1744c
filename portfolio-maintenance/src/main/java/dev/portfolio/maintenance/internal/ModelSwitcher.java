package dev.portfolio.maintenance.internal;

import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.NonRetriableException;
import dev.portfolio.core.model.EmbeddingSet;
import dev.portfolio.core.model.SetState;
import dev.portfolio.core.progress.ProgressTracker;
import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.spi.EmbedderInfo;
import dev.portfolio.core.spi.VectorStore;
import dev.portfolio.maintenance.modelswitch.Activation;
import dev.portfolio.maintenance.modelswitch.SetCoverage;
import dev.portfolio.maintenance.modelswitch.SwitchOptions;
import dev.portfolio.maintenance.modelswitch.SwitchOutcome;
import dev.portfolio.maintenance.modelswitch.SwitchResult;
import dev.portfolio.maintenance.reembed.ReembedMode;
import dev.portfolio.maintenance.reembed.ReembedResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * {@code Maintenance.switchModel}: every step of a model switch, each resumable.
 *
 * <ol>
 *   <li>Create the building set for the new model and dimension, or find the one an interrupted
 *       switch left ({@link VectorStore#createBuildingSet} is idempotent).
 *   <li>Embed every chunk it misses (the re-embed pipeline; what is missing is the progress).
 *   <li>Catch up: chunks upserted or changed meanwhile are missing or stale in the new set; embed
 *       them, a bounded number of rounds, leaving out chunks the embedder already rejected.
 *   <li>Activate (the pgvector store builds the set's ANN index first), unless chunks are still
 *       missing and activation is not forced.
 *   <li>Embed chunks upserted between the last check and the activation, now in the active set.
 *   <li>Drop the retired set when asked.
 * </ol>
 *
 * <p>Searches read the active set only, so a crash at any step leaves them on one model, and
 * running the switch again resumes it.
 */
public final class ModelSwitcher {
  private final Settings settings;
  private final VectorStore store;
  private final SwitchSteps steps;

  /**
   * Creates the operation.
   *
   * @param settings what every operation shares
   */
  public ModelSwitcher(Settings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.store = settings.store();
    this.steps = new SwitchSteps(store);
  }

  /**
   * Switches a collection to an embedder's model.
   *
   * @param collection the collection
   * @param embedder the new model's embedder
   * @param options how to run
   * @return what the switch did
   */
  public SwitchResult switchModel(String collection, Embedder embedder, SwitchOptions options) {
    Objects.requireNonNull(embedder, "embedder");
    Objects.requireNonNull(options, "options");
    return new Run(collection, embedder, options).execute();
  }

  /** One switch in progress. */
  private final class Run {
    private final long start = System.nanoTime();
    private final String collection;
    private final EmbedderInfo info;
    private final SwitchOptions options;
    private final Reembedder reembedder;
    private final String name;
    private final List<ReembedResult> runs = new ArrayList<>();
    private final Set<Long> failed = new HashSet<>();
    private EmbeddingSet from;

    Run(String collection, Embedder embedder, SwitchOptions options) {
      this.collection = collection;
      this.info = embedder.info();
      this.options = options;
      this.reembedder = new Reembedder(settings, embedder);
      this.name = "switch " + collection + " to " + info.modelRef();
    }

    SwitchResult execute() {
      from = store.activeSet(collection);
      Optional<EmbeddingSet> building = store.buildingSet(collection);
      if (building.isPresent() && !TargetSets.fits(building.get(), info)) {
        throw otherSwitch(building.get());
      }
      if (TargetSets.fits(from, info)) {
        return alreadyActive();
      }
      if (options.dryRun()) {
        return dryRun(building);
      }
      EmbeddingSet target = store.createBuildingSet(collection, info.modelRef(), info.dimension());
      if (!embed(target, ReembedMode.MISSING, ": embed")) {
        return result(SwitchOutcome.CANCELLED, target, 0, steps.coverage(target).missing());
      }
      int rounds = 0;
      SetCoverage coverage = steps.coverage(target);
      while (rounds < options.catchUpRounds() && (coverage.missing() > 0 || coverage.stale() > 0)) {
        rounds++;
        long before = handled();
        if ((coverage.missing() > 0
                && !embed(target, ReembedMode.MISSING, ": catch-up " + rounds + " (missing)"))
            || (coverage.stale() > 0
                && !embed(target, ReembedMode.STALE, ": catch-up " + rounds + " (stale)"))) {
          return result(SwitchOutcome.CANCELLED, target, rounds, steps.coverage(target).missing());
        }
        coverage = steps.coverage(target);
        if (handled() == before) {
          break; // only chunks the embedder rejected are left
        }
      }
      if (!options.activate()) {
        return result(SwitchOutcome.BUILT, target, rounds, coverage.missing());
      }
      if (!coverage.isComplete() && !options.force()) {
        return result(SwitchOutcome.INCOMPLETE, target, rounds, coverage.missing());
      }
      Activation activation = activate(coverage);
      if (steps.coverage(activation.active()).missing() > 0) {
        embed(activation.active(), ReembedMode.MISSING, ": after activation");
      }
      List<EmbeddingSet> dropped =
          options.dropRetired() && steps.drop(activation.retired())
              ? List.of(activation.retired())
              : List.of();
      return result(
          SwitchOutcome.ACTIVATED, activation.active(), rounds, coverage.missing(), dropped);
    }

    /** The collection already reads this model: a switch that got activated before a crash. */
    private SwitchResult alreadyActive() {
      if (options.dryRun()) {
        runs.add(
            Estimator.estimate(
                settings, spec(from, ReembedMode.MISSING, ": dry run"), info.pricePer1kTokens()));
        return result(SwitchOutcome.DRY_RUN, from, 0, 0);
      }
      embed(from, ReembedMode.MISSING, ": embed missing");
      List<EmbeddingSet> dropped = new ArrayList<>();
      if (options.dropRetired()) {
        store.embeddingSets(collection).stream()
            .filter(s -> s.state() == SetState.RETIRED)
            .max(
                Comparator.comparing(
                    EmbeddingSet::retiredAt, Comparator.nullsFirst(Comparator.naturalOrder())))
            .filter(steps::drop)
            .ifPresent(dropped::add);
        steps.finishInterruptedDrops(); // a drop killed after removing the set leaves storage
      }
      return result(SwitchOutcome.ALREADY_ACTIVE, from, 0, steps.coverage(from).missing(), dropped);
    }

    private SwitchResult dryRun(Optional<EmbeddingSet> building) {
      if (building.isPresent()) {
        runs.add(
            Estimator.estimate(
                settings,
                spec(building.get(), ReembedMode.MISSING, ": dry run"),
                info.pricePer1kTokens()));
        return result(SwitchOutcome.DRY_RUN, building.get(), 0, 0);
      }
      EmbeddingSet planned =
          new EmbeddingSet(
              0,
              collection,
              info.modelRef(),
              info.dimension(),
              SetState.BUILDING,
              Instant.now(),
              null,
              null);
      runs.add(
          Estimator.estimate(
              settings,
              spec(from, ReembedMode.ALL, ": dry run"),
              planned,
              info.pricePer1kTokens()));
      return result(SwitchOutcome.DRY_RUN, planned, 0, 0);
    }

    private Activation activate(SetCoverage coverage) {
      try (ProgressTracker progress =
          ProgressTracker.start(
              settings.progress(),
              name + ": activate set " + coverage.set().id() + " (builds its ANN index)",
              ProgressTracker.UNKNOWN_TOTAL)) {
        Activation a = steps.activate(coverage, !coverage.isComplete());
        progress.succeed(
            "set " + a.active().id() + " active, set " + a.retired().id() + " retired");
        return a;
      }
    }

    /** Runs the pipeline once; returns false when it was cancelled. */
    private boolean embed(EmbeddingSet target, ReembedMode mode, String step) {
      RunOutcome outcome = reembedder.run(spec(target, mode, step));
      runs.add(outcome.result());
      failed.addAll(outcome.failedIds());
      return !outcome.result().cancelled();
    }

    private RunSpec spec(EmbeddingSet target, ReembedMode mode, String step) {
      Set<Long> skip = Set.copyOf(failed);
      return RunSpec.whole(
          target,
          mode,
          options.batchSize(),
          options.maxConcurrency(),
          options.cancellation(),
          skip.isEmpty() ? RunSpec.SKIP_NONE : skip::contains,
          name + step);
    }

    private long handled() {
      return runs.stream().mapToLong(ReembedResult::total).sum();
    }

    private SwitchResult result(SwitchOutcome outcome, EmbeddingSet to, int rounds, long missing) {
      return result(outcome, to, rounds, missing, List.of());
    }

    private SwitchResult result(
        SwitchOutcome outcome,
        EmbeddingSet to,
        int rounds,
        long missing,
        List<EmbeddingSet> dropped) {
      return new SwitchResult(
          collection,
          outcome,
          from,
          to,
          runs,
          rounds,
          missing,
          dropped,
          Duration.ofNanos(System.nanoTime() - start));
    }

    private NonRetriableException otherSwitch(EmbeddingSet building) {
      return new NonRetriableException(
          ErrorCode.CONFLICT,
          "Collection '"
              + collection
              + "' has building set "
              + building.id()
              + " for "
              + building.model()
              + " ("
              + building.dimension()
              + " dimensions) from another switch; this one asks for "
              + info.modelRef()
              + " ("
              + info.dimension()
              + " dimensions). Finish that switch (switchModel with an embedder of "
              + building.model()
              + ") or abandon it with abandonSwitch(\""
              + collection
              + "\") first.");
    }
  }
}
