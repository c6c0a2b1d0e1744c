package dev.portfolio.maintenance.modelswitch;

import dev.portfolio.core.model.EmbeddingSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a collection's model switch stands.
 *
 * @param collection the collection
 * @param active the coverage of the active set, the one searches read
 * @param building the coverage of the building set, when a switch is under way
 * @param retired the retired sets still kept for a rollback, in ascending id order
 * @since 0.1.0
 */
public record SwitchStatus(
    String collection,
    SetCoverage active,
    Optional<SetCoverage> building,
    List<EmbeddingSet> retired) {
  /** Validates the components and copies the list. */
  public SwitchStatus {
    Objects.requireNonNull(collection, "collection");
    Objects.requireNonNull(active, "active");
    Objects.requireNonNull(building, "building");
    retired = List.copyOf(retired);
  }

  /**
   * Tells whether a building set exists and every chunk has a vector in it.
   *
   * @return true when {@link dev.portfolio.maintenance.Maintenance#activate} would succeed without
   *     force
   */
  public boolean readyToActivate() {
    return building.map(SetCoverage::isComplete).orElse(false);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder(collection).append(": active ").append(active);
    building.ifPresent(b -> s.append("; building ").append(b));
    if (!retired.isEmpty()) {
      s.append("; retired sets ")
          .append(retired.stream().map(r -> r.id() + " (" + r.model() + ")").toList());
    }
    return s.toString();
  }
}
