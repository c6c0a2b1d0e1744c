package dev.portfolio.core.inspect;

import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One page of a scan over an embedding set's vectors.
 *
 * @param suspects the vectors of the page with at least one problem, in ascending chunk id order
 * @param examined how many vectors the page examined (sampled ones only)
 * @param nextAfter the cursor for the next page, present exactly when the page was full
 * @since 0.1.0
 */
public record VectorScanPage(List<VectorCheck> suspects, int examined, OptionalLong nextAfter) {
  /** Validates the components and copies the list. */
  public VectorScanPage {
    suspects = List.copyOf(suspects);
    Objects.requireNonNull(nextAfter, "nextAfter");
  }
}
