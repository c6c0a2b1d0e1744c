package dev.portfolio.maintenance.internal;

import dev.portfolio.maintenance.reembed.ReembedCheckpoint;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns batches that finish out of order into checkpoints in chunk-id order: a batch is known by
 * the cursor after it (the id of the last chunk read for it), and the checkpoint advances to a
 * batch's cursor once it and every batch read before it are done. Thread-safe; the listener is
 * called under the lock, so it hears checkpoints in increasing order, and one that throws is logged
 * and ignored.
 */
final class Watermark {
  private static final Logger LOG = LoggerFactory.getLogger(Watermark.class);

  private final Consumer<ReembedCheckpoint> listener;
  private final TreeMap<Long, long[]> pending = new TreeMap<>();
  private long chunks;
  private long reached = -1;

  Watermark(Consumer<ReembedCheckpoint> listener) {
    this.listener = listener;
  }

  /** Records a batch read up to {@code cursor}, of {@code size} chunks, not done yet. */
  synchronized void read(long cursor, int size) {
    pending.put(cursor, new long[] {size, 0});
  }

  /** Marks the batch read up to {@code cursor} done, and advances the checkpoint if it can. */
  synchronized void done(long cursor) {
    long[] batch = pending.get(cursor);
    if (batch == null) {
      return;
    }
    batch[1] = 1;
    long advanced = -1;
    while (!pending.isEmpty() && pending.firstEntry().getValue()[1] == 1) {
      Map.Entry<Long, long[]> first = pending.pollFirstEntry();
      chunks += first.getValue()[0];
      advanced = first.getKey();
    }
    if (advanced >= 0) {
      tell(advanced);
    }
  }

  /** Reports that everything up to {@code cursor} is done (at the natural end of a run). */
  synchronized void finish(long cursor) {
    if (pending.isEmpty() && cursor > reached) {
      tell(cursor);
    }
  }

  private void tell(long cursor) {
    reached = cursor;
    try {
      listener.accept(new ReembedCheckpoint(cursor, chunks));
    } catch (RuntimeException e) {
      LOG.warn("A re-embed checkpoint listener failed; the run goes on: {}", e.toString());
    }
  }
}
