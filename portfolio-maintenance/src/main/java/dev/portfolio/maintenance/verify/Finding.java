package dev.portfolio.maintenance.verify;

import java.util.List;
import java.util.Objects;

/**
 * How many vectors of a set have one kind of problem, with some of their chunk ids.
 *
 * @param kind the problem
 * @param count how many examined vectors have it (complete, however many samples are listed)
 * @param sampleChunkIds the first chunk ids found with it, ascending, at most {@link
 *     VerifyOptions#maxSamples()}
 * @since 0.1.0
 */
public record Finding(FindingKind kind, long count, List<Long> sampleChunkIds) {
  /** Validates the components and copies the list. */
  public Finding {
    Objects.requireNonNull(kind, "kind");
    sampleChunkIds = List.copyOf(sampleChunkIds);
  }
}
