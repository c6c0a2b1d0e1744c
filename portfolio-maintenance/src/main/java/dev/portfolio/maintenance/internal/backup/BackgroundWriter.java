package dev.portfolio.maintenance.internal.backup;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * An output stream that hands its bytes, in blocks of 64 KiB, to a thread of its own which writes
 * them to the target: the caller keeps reading and encoding rows while the previous blocks are
 * compressed and written. At most {@value #BLOCKS} blocks wait, so memory stays bounded. {@link
 * #close()} waits until every byte is written and reports the writer's failure; it does not close
 * the target.
 */
final class BackgroundWriter extends OutputStream {
  static final int BLOCK = 1 << 16;
  static final int BLOCKS = 8;

  private static final Block END = new Block(new byte[0], 0);

  private record Block(byte[] data, int length) {}

  private final BlockingQueue<Block> queue = new ArrayBlockingQueue<>(BLOCKS);
  private final Drain drain;
  private final Thread thread;
  private byte[] buffer = new byte[BLOCK];
  private int position;
  private boolean closed;

  BackgroundWriter(OutputStream target, String name) {
    this.drain = new Drain(queue, target);
    this.thread = Thread.ofPlatform().name("portfolio-backup-writer " + name).daemon().start(drain);
  }

  /** The writer thread's work: takes blocks until the end marker; keeps the first failure. */
  private static final class Drain implements Runnable {
    private final BlockingQueue<Block> queue;
    private final OutputStream target;
    private volatile IOException failure;

    Drain(BlockingQueue<Block> queue, OutputStream target) {
      this.queue = queue;
      this.target = target;
    }

    @Override
    public void run() {
      try {
        while (true) {
          Block b = queue.take();
          if (b == END) {
            return;
          }
          if (failure == null) {
            try {
              target.write(b.data(), 0, b.length());
            } catch (IOException | RuntimeException e) {
              failure = e instanceof IOException io ? io : new IOException(e.getMessage(), e);
            }
          }
        }
      } catch (InterruptedException e) {
        failure = new InterruptedIOException("the backup writer was interrupted");
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void write(int b) throws IOException {
    if (position == BLOCK) {
      hand();
    }
    buffer[position++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      if (position == BLOCK) {
        hand();
      }
      int n = Math.min(len, BLOCK - position);
      System.arraycopy(b, off, buffer, position, n);
      position += n;
      off += n;
      len -= n;
    }
  }

  private void hand() throws IOException {
    check();
    put(new Block(buffer, position));
    buffer = new byte[BLOCK];
    position = 0;
  }

  private void put(Block b) throws IOException {
    try {
      queue.put(b);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while writing the backup");
    }
  }

  private void check() throws IOException {
    IOException f = drain.failure;
    if (f != null) {
      throw new IOException(f.getMessage(), f);
    }
  }

  /** Writes what is buffered, waits for the thread to write everything, and reports failures. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    if (position > 0) {
      put(new Block(buffer, position));
    }
    put(END);
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while finishing the backup");
    }
    check();
  }
}
