package dev.portfolio.maintenance.jobs;

import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.spi.EmbedderInfo;
import dev.portfolio.core.spi.EmbeddingBatch;
import dev.portfolio.core.spi.InputType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Wraps an embedder and appends every text it is asked to embed to a file, one line per text ending
 * with {@code |}, in one unbuffered write per call: the lines reach the operating system before the
 * call returns, so they survive the process being killed. A line cut short by a kill lacks the
 * {@code |} and is not counted.
 */
final class LoggingEmbedder implements Embedder {
  private final Embedder delegate;
  private final FileChannel log;

  LoggingEmbedder(Embedder delegate, Path file) throws IOException {
    this.delegate = delegate;
    this.log =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
  }

  @Override
  public EmbedderInfo info() {
    return delegate.info();
  }

  @Override
  public EmbeddingBatch embed(List<String> texts, InputType type) {
    StringBuilder lines = new StringBuilder();
    for (String t : texts) {
      lines.append(t).append("|\n");
    }
    ByteBuffer bytes = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
    try {
      synchronized (log) {
        while (bytes.hasRemaining()) {
          log.write(bytes);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return delegate.embed(texts, type);
  }

  @Override
  public void close() {
    try {
      log.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
