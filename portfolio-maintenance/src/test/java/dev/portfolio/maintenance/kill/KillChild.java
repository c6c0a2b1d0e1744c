package dev.portfolio.maintenance.kill;

import com.zaxxer.hikari.HikariDataSource;
import dev.portfolio.core.hashing.HashingEmbedder;
import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.spi.EmbedderInfo;
import dev.portfolio.core.spi.EmbeddingBatch;
import dev.portfolio.core.spi.InputType;
import dev.portfolio.core.spi.ProgressReporter;
import dev.portfolio.index.pgvector.PgDataSources;
import dev.portfolio.index.pgvector.PgPoolOptions;
import dev.portfolio.index.pgvector.PgVectorStore;
import dev.portfolio.maintenance.Maintenance;
import dev.portfolio.maintenance.modelswitch.SwitchOptions;
import dev.portfolio.maintenance.reembed.ReembedOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The program {@link ReembedKillIT} starts in a JVM of its own and kills with SIGKILL: one {@code
 * reembed} into a set, or one {@code switchModel}, on the PostgreSQL schema it is given, with the
 * 24-dimension hashing model. Each embedder call sleeps first (a remote model's latency, so that a
 * kill lands mid-run) and, once it has the vectors, appends one line per text, {@code
 * <run>\t<text>}, to the embed log in a single write: what a kill cannot take back.
 *
 * <p>Arguments are {@code key=value}: {@code op} ({@code reembed} or {@code switch}), {@code url},
 * {@code schema}, {@code collection}, {@code set} (the target set of a re-embed), {@code log},
 * {@code run}, {@code delayMs}, {@code batch}, {@code concurrency}. Exits 0 after printing the
 * result.
 */
public final class KillChild {
  /** The model the child embeds with. */
  static final int DIMENSION = 24;

  private KillChild() {}

  /**
   * Runs the operation.
   *
   * @param args {@code key=value} arguments
   */
  public static void main(String[] args) {
    Map<String, String> a = new HashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      a.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    String collection = a.get("collection");
    int batch = Integer.parseInt(a.get("batch"));
    int concurrency = Integer.parseInt(a.get("concurrency"));
    try (LoggingEmbedder embedder =
            new LoggingEmbedder(
                new HashingEmbedder(DIMENSION),
                Path.of(a.get("log")),
                a.get("run"),
                Duration.ofMillis(Long.parseLong(a.get("delayMs"))));
        HikariDataSource pool =
            PgDataSources.pooled(
                PgPoolOptions.builder(a.get("url")).poolSize(concurrency + 2).build());
        PgVectorStore store = PgVectorStore.builder(pool).schema(a.get("schema")).build()) {
      Maintenance m =
          Maintenance.builder()
              .store(store)
              .embedder(embedder)
              .progress(ProgressReporter.SILENT)
              .build();
      Object result =
          switch (a.get("op")) {
            case "reembed" ->
                m.reembed(
                    ReembedOptions.builder(collection)
                        .targetSet(Long.parseLong(a.get("set")))
                        .batchSize(batch)
                        .maxConcurrency(concurrency)
                        .build());
            case "switch" ->
                m.switchModel(
                    collection,
                    embedder,
                    SwitchOptions.builder()
                        .batchSize(batch)
                        .maxConcurrency(concurrency)
                        .dropRetired(true)
                        .build());
            default -> throw new IllegalArgumentException("op must be reembed or switch");
          };
      System.out.println("DONE " + result);
    }
  }

  /** Sleeps, embeds, then logs what it embedded. Thread-safe. */
  private static final class LoggingEmbedder implements Embedder {
    private final Embedder delegate;
    private final FileChannel log;
    private final String run;
    private final Duration delay;

    LoggingEmbedder(Embedder delegate, Path log, String run, Duration delay) {
      this.delegate = delegate;
      this.run = run;
      this.delay = delay;
      try {
        this.log =
            FileChannel.open(
                log,
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public EmbedderInfo info() {
      return delegate.info();
    }

    @Override
    public EmbeddingBatch embed(List<String> texts, InputType type) {
      try {
        Thread.sleep(delay);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      EmbeddingBatch batch = delegate.embed(texts, type);
      if (type == InputType.DOCUMENT) {
        StringBuilder lines = new StringBuilder();
        for (String t : texts) {
          lines.append(run).append('\t').append(t).append('\n');
        }
        ByteBuffer bytes = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
        try {
          while (bytes.hasRemaining()) {
            log.write(bytes);
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return batch;
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
}
