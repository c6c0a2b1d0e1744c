package dev.portfolio.maintenance.modelswitch;

import dev.portfolio.core.model.EmbeddingSet;
import dev.portfolio.maintenance.reembed.ReembedResult;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a model switch did. {@link #toString()} is a summary:
 *
 * <pre>
 * switch docs from set 1 (hashing:hashing-v1, 384 dimensions) to set 2 (hashing:hashing-v1,
 * 1024 dimensions): activated; 5020 chunks embedded, 0 failed in 2 runs (1 catch-up round),
 * 0 missing at activation, dropped sets [] in 4.1 s
 * </pre>
 *
 * @param collection the collection
 * @param outcome how it ended
 * @param from the set that was active when the switch started
 * @param to the set of the new model (building, or active after activation); for a dry run without
 *     a building set, the set that would be created, with id 0
 * @param runs the re-embed runs: the main one, then catch-up runs for chunks upserted meanwhile
 * @param catchUpRounds how many catch-up rounds ran
 * @param missingAtActivation chunks the new set missed when it was activated (0 unless forced), or
 *     when it was left building
 * @param dropped the sets dropped after activation ({@link SwitchOptions#dropRetired()})
 * @param elapsed the wall time of the whole switch
 * @since 0.1.0
 */
public record SwitchResult(
    String collection,
    SwitchOutcome outcome,
    EmbeddingSet from,
    EmbeddingSet to,
    List<ReembedResult> runs,
    int catchUpRounds,
    long missingAtActivation,
    List<EmbeddingSet> dropped,
    Duration elapsed) {
  /** Validates the components and copies the lists. */
  public SwitchResult {
    Objects.requireNonNull(collection, "collection");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    runs = List.copyOf(runs);
    dropped = List.copyOf(dropped);
    Objects.requireNonNull(elapsed, "elapsed");
  }

  /**
   * Returns the chunks that received a vector over all runs.
   *
   * @return the sum of the runs' {@code processed}
   */
  public long processed() {
    return runs.stream().mapToLong(ReembedResult::processed).sum();
  }

  /**
   * Returns the chunks the embedder rejected over all runs.
   *
   * @return the sum of the runs' {@code failed}
   */
  public long failed() {
    return runs.stream().mapToLong(ReembedResult::failed).sum();
  }

  /**
   * Tells whether searches now read the new model.
   *
   * @return true for {@link SwitchOutcome#ACTIVATED} and {@link SwitchOutcome#ALREADY_ACTIVE}
   */
  public boolean active() {
    return outcome == SwitchOutcome.ACTIVATED || outcome == SwitchOutcome.ALREADY_ACTIVE;
  }

  @Override
  public String toString() {
    String head = "switch " + collection + " from " + describe(from) + " to " + describe(to) + ": ";
    if (outcome == SwitchOutcome.DRY_RUN) {
      long chunks = runs.stream().mapToLong(ReembedResult::total).sum();
      long tokens =
          runs.stream()
              .flatMap(r -> r.estimates().stream())
              .mapToLong(e -> e.estimatedTokens())
              .sum();
      java.util.OptionalDouble cost =
          dev.portfolio.maintenance.reembed.ReembedEstimate.totalCost(
              runs.stream().flatMap(r -> r.estimates().stream()).toList());
      return head
          + "dry run: would embed "
          + chunks
          + " chunks, about "
          + tokens
          + " tokens"
          + (cost.isPresent()
              ? ", estimated cost "
                  + dev.portfolio.maintenance.reembed.ReembedEstimate.formatCost(cost.getAsDouble())
              : "")
          + "; nothing was changed";
    }
    return head
        + outcome.name().toLowerCase(Locale.ROOT).replace('_', ' ')
        + "; "
        + processed()
        + " chunks embedded, "
        + failed()
        + " failed in "
        + plural(runs.size(), "run")
        + " ("
        + plural(catchUpRounds, "catch-up round")
        + "), "
        + missingAtActivation
        + " missing at activation, dropped sets "
        + dropped.stream().map(EmbeddingSet::id).toList()
        + String.format(Locale.ROOT, " in %.1f s", elapsed.toNanos() / 1e9);
  }

  private static String plural(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  private static String describe(EmbeddingSet set) {
    return (set.id() == 0 ? "a new set" : "set " + set.id())
        + " ("
        + set.model()
        + ", "
        + set.dimension()
        + " dimensions)";
  }
}
