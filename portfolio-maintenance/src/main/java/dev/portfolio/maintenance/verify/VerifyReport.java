package dev.portfolio.maintenance.verify;

import dev.portfolio.maintenance.internal.Text;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What verifying stored vectors found, per embedding set. {@link #toString()} prints a table of
 * counts per set and kind with sample ids; the components serialise to JSON as they are.
 *
 * @param startedAt when verification started
 * @param elapsedMillis how long it took
 * @param sampleRate the share of vectors examined (1 for a full scan)
 * @param sets every verified set, by collection name then set id
 * @since 0.1.0
 */
public record VerifyReport(
    Instant startedAt, long elapsedMillis, double sampleRate, List<SetVerification> sets) {
  /** Validates the components and copies the list. */
  public VerifyReport {
    Objects.requireNonNull(startedAt, "startedAt");
    sets = List.copyOf(sets);
  }

  /**
   * Adds the counts of every set by kind.
   *
   * @return every kind, in its order, with its total
   */
  public Map<FindingKind, Long> totals() {
    Map<FindingKind, Long> out = new EnumMap<>(FindingKind.class);
    for (FindingKind k : FindingKind.values()) {
      out.put(k, sets.stream().mapToLong(s -> s.count(k)).sum());
    }
    return out;
  }

  /**
   * Returns the total of one kind.
   *
   * @param kind the kind
   * @return vectors with that problem in every verified set
   */
  public long total(FindingKind kind) {
    return sets.stream().mapToLong(s -> s.count(kind)).sum();
  }

  /**
   * Returns the vectors examined in all sets.
   *
   * @return the count
   */
  public long examined() {
    return sets.stream().mapToLong(SetVerification::examined).sum();
  }

  /**
   * Tells whether no examined vector has a problem.
   *
   * @return true when every set is clean
   */
  public boolean isClean() {
    return sets.stream().allMatch(SetVerification::isClean);
  }

  /**
   * Finds the verification of a set.
   *
   * @param collection the collection
   * @param setId the set id
   * @return it, or empty when the set was not verified
   */
  public Optional<SetVerification> set(String collection, long setId) {
    return sets.stream()
        .filter(s -> s.collection().equals(collection) && s.setId() == setId)
        .findFirst();
  }

  /**
   * Prints the report: one row per set and kind of problem found.
   *
   * @return several lines
   */
  @Override
  public String toString() {
    StringBuilder out =
        new StringBuilder("Verified ")
            .append(examined())
            .append(" vectors in ")
            .append(sets.size())
            .append(" sets")
            .append(sampleRate < 1 ? " (sample rate " + sampleRate + ")" : "")
            .append(" in ")
            .append(elapsedMillis)
            .append(" ms: ")
            .append(isClean() ? "no problem found" : "problems found")
            .append('\n');
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("collection", "set", "state", "model", "examined", "problem", "count", "ids"));
    for (SetVerification s : sets) {
      List<Finding> found = s.findings().stream().filter(f -> f.count() > 0).toList();
      if (found.isEmpty()) {
        rows.add(
            List.of(
                s.collection(),
                Long.toString(s.setId()),
                s.state(),
                s.model(),
                Long.toString(s.examined()),
                "none",
                "0",
                ""));
      }
      for (Finding f : found) {
        rows.add(
            List.of(
                s.collection(),
                Long.toString(s.setId()),
                s.state(),
                s.model(),
                Long.toString(s.examined()),
                f.kind().name().toLowerCase(java.util.Locale.ROOT),
                Long.toString(f.count()),
                f.sampleChunkIds().stream().map(String::valueOf).collect(Collectors.joining(","))
                    + (f.count() > f.sampleChunkIds().size() ? ",..." : "")));
      }
    }
    out.append(Text.table("  ", rows));
    return out.toString();
  }
}
