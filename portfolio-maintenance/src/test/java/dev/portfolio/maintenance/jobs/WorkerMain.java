package dev.portfolio.maintenance.jobs;

import com.zaxxer.hikari.HikariDataSource;
import dev.portfolio.core.hashing.HashingEmbedder;
import dev.portfolio.core.spi.ProgressReporter;
import dev.portfolio.index.pgvector.PgDataSources;
import dev.portfolio.index.pgvector.PgPoolOptions;
import dev.portfolio.index.pgvector.PgVectorStore;
import dev.portfolio.maintenance.Maintenance;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A worker process for the multi-JVM tests: runs re-embed jobs of a schema with a hashing embedder
 * that logs every text it embeds, until the given job is finished.
 *
 * <p>Arguments: JDBC URL, schema, worker id, log file, lease ms, heartbeat ms, job id, concurrency,
 * dimension.
 */
public final class WorkerMain {
  private WorkerMain() {}

  /**
   * Runs the worker.
   *
   * @param args see the class comment
   * @throws Exception when it fails
   */
  public static void main(String[] args) throws Exception {
    String url = args[0];
    String schema = args[1];
    String id = args[2];
    Path log = Path.of(args[3]);
    Duration lease = Duration.ofMillis(Long.parseLong(args[4]));
    Duration heartbeat = Duration.ofMillis(Long.parseLong(args[5]));
    long jobId = Long.parseLong(args[6]);
    int concurrency = Integer.parseInt(args[7]);
    int dimension = Integer.parseInt(args[8]);
    try (HikariDataSource pool =
            PgDataSources.pooled(PgPoolOptions.builder(url).poolSize(concurrency * 3 + 2).build());
        PgVectorStore store = PgVectorStore.builder(pool).schema(schema).build();
        LoggingEmbedder embedder = new LoggingEmbedder(new HashingEmbedder(dimension), log)) {
      Maintenance maintenance =
          Maintenance.builder()
              .store(store)
              .embedder(embedder)
              .progress(ProgressReporter.SILENT)
              .build();
      JobQueue queue = PgJobQueue.on(store);
      try (JobWorker worker =
          JobWorker.builder(queue)
              .handler(ReembedJobHandler.of(maintenance))
              .workerId(id)
              .concurrency(concurrency)
              .lease(lease)
              .heartbeat(heartbeat)
              .pollInterval(Duration.ofMillis(50))
              .checkpointInterval(Duration.ZERO)
              .build()
              .start()) {
        System.out.println("READY " + worker.id());
        System.out.flush();
        while (!queue.require(jobId).status().finished()) {
          Thread.sleep(100);
        }
      }
    }
    System.out.println("DONE " + id);
  }
}
