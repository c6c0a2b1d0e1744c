package dev.portfolio.maintenance.internal;

import dev.portfolio.maintenance.reembed.ReembedCheckpoint;
import java.util.function.Consumer;

/**
 * The chunk-id range a run covers and who hears its checkpoints: what lets a job split a re-embed
 * into units and resume each one behind its last checkpoint.
 *
 * @param afterId chunks with a greater id are selected (0 for all)
 * @param upToId chunks with an id up to this are selected ({@link Long#MAX_VALUE} for all)
 * @param checkpoints told, in increasing order, how far the run has come
 */
record RunWindow(long afterId, long upToId, Consumer<ReembedCheckpoint> checkpoints) {
  /** Every chunk, nobody listening. */
  static final RunWindow ALL = new RunWindow(0, Long.MAX_VALUE, c -> {});

  /** Tells whether the window leaves chunks out. */
  boolean narrowed() {
    return afterId > 0 || upToId < Long.MAX_VALUE;
  }
}
