package dev.portfolio.maintenance.internal;

import dev.portfolio.maintenance.reembed.ReembedResult;
import java.util.Set;

/**
 * A finished run: its result, and the ids of the chunks that failed (a model switch leaves them out
 * of its catch-up rounds).
 *
 * @param result the result
 * @param failedIds the failed chunk ids, all of them (not capped like the result's errors)
 */
record RunOutcome(ReembedResult result, Set<Long> failedIds) {
  RunOutcome {
    failedIds = Set.copyOf(failedIds);
  }
}
