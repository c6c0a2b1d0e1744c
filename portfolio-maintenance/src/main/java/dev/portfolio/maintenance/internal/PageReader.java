package dev.portfolio.maintenance.internal;

import dev.portfolio.core.model.Chunk;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads a run's pages ahead on a thread of its own and hands them out in batches of {@code
 * batchSize}, so that the embedder never waits for a page read. Pages are {@link
 * RunSpec#readSize()} chunks (several batches: one query per page, whose cost is mostly per query),
 * and at most {@code maxConcurrency} batches wait read, so memory stays bounded. The cursor of
 * {@link ChunkPages} moves only forward, and a chunk is read once: reading ahead of the writes
 * skips nothing.
 */
final class PageReader implements AutoCloseable {
  private static final List<Chunk> END = List.of();

  private final ChunkPages pages;
  private final int batchSize;
  private final BlockingQueue<List<Chunk>> ready;
  private final Thread thread;
  private volatile boolean closed;
  private volatile RuntimeException failure;

  PageReader(ChunkPages pages, RunSpec spec, String threadName) {
    this.pages = pages;
    this.batchSize = spec.batchSize();
    this.ready = new ArrayBlockingQueue<>(Math.max(1, spec.maxConcurrency()));
    this.thread = new Thread(this::read, threadName);
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /**
   * Returns the next batch, waiting for the reader when it is behind.
   *
   * @return the chunks in ascending id order, at most the batch size; empty at the end
   * @throws RuntimeException what reading a page threw
   * @throws InterruptedException when interrupted while waiting
   */
  List<Chunk> next() throws InterruptedException {
    List<Chunk> batch = ready.take();
    if (batch == END) {
      ready.put(END); // stays at the end
      RuntimeException e = failure;
      if (e != null) {
        throw e;
      }
    }
    return batch;
  }

  private void read() {
    try {
      while (!closed) {
        List<Chunk> page = pages.next();
        if (page.isEmpty()) {
          break;
        }
        for (int from = 0; from < page.size() && !closed; from += batchSize) {
          if (!offer(List.copyOf(page.subList(from, Math.min(page.size(), from + batchSize))))) {
            return;
          }
        }
      }
    } catch (RuntimeException e) {
      failure = e;
    }
    offer(END);
  }

  /** Puts an item, giving up when closed; returns false then. */
  private boolean offer(List<Chunk> item) {
    try {
      while (!ready.offer(item, 50, TimeUnit.MILLISECONDS)) {
        if (closed) {
          return false;
        }
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Stops reading; waits for the thread, which ends within a page read. */
  @Override
  public void close() {
    closed = true;
    ready.clear();
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
