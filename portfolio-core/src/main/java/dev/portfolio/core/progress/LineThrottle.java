package dev.portfolio.core.progress;

import dev.portfolio.core.spi.ProgressEvent;

/**
 * Decides when a plain progress line is due for one operation: each time the percentage crosses
 * another multiple of 10, or when {@code interval} has passed since the last line (so slow or
 * unknown-total operations still show life). Time is read from {@link ProgressEvent#elapsed()}, so
 * the decision depends only on the events. Not thread-safe: callers synchronize.
 */
final class LineThrottle {
  private final long intervalNanos;
  private int lastDecile;
  private long lastLineNanos;

  LineThrottle(long intervalNanos) {
    this.intervalNanos = intervalNanos;
  }

  /** Tells whether a line is due for this event, and if so records it as printed. */
  boolean due(ProgressEvent event) {
    long now = event.elapsed().toNanos();
    int decile = event.percentage().map(p -> (int) Math.floor(p / 10.0)).orElse(-1);
    if (decile > lastDecile || now - lastLineNanos >= intervalNanos) {
      lastDecile = Math.max(lastDecile, decile);
      lastLineNanos = now;
      return true;
    }
    return false;
  }
}
