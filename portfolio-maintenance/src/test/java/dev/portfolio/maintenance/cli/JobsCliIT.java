package dev.portfolio.maintenance.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import dev.portfolio.index.pgvector.PgVectorStore;
import dev.portfolio.index.pgvector.TestStores;
import dev.portfolio.index.testing.PostgresSchemaExtension;
import dev.portfolio.index.testing.TestSchema;
import dev.portfolio.maintenance.cli.JarProcess.Result;
import dev.portfolio.maintenance.jobs.JobStatus;
import dev.portfolio.maintenance.jobs.PgJobQueue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built {@code portfolio} jar as a separate process against PostgreSQL: {@code ingest} inline
 * and as a job, {@code jobs list}, {@code status}, {@code pause}, {@code resume}, {@code cancel},
 * {@code cleanup}, and a {@code jobs worker} process that runs a job and stops on SIGINT.
 */
@ExtendWith(PostgresSchemaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JobsCliIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] EMBEDDER = {
    "--embedder", "hashing", "--embedder-opt", "dimension=16"
  };

  private Map<String, String> env;
  private HikariDataSource pool;
  private PgVectorStore store;
  @TempDir Path dir;

  @BeforeAll
  void open(TestSchema db) throws Exception {
    env = Map.of("PORTFOLIO_JDBC_URL", db.jdbcUrl(), "PORTFOLIO_SCHEMA", db.name());
    pool = TestStores.pool(db);
    Result install = run("install");
    assertThat(install.exitCode()).as(install.toString()).isZero();
    store = PgVectorStore.builder(pool).schema(db.name()).build();
  }

  @AfterAll
  void close() {
    store.close();
    pool.close();
  }

  private Result run(String... args) throws Exception {
    return JarProcess.run(env, args);
  }

  private Result run(String[] first, String... more) throws Exception {
    String[] all = new String[first.length + more.length];
    System.arraycopy(more, 0, all, 0, more.length);
    System.arraycopy(first, 0, all, more.length, first.length);
    return run(all);
  }

  private static JsonNode json(Result r) throws Exception {
    assertThat(r.exitCode()).as(r.toString()).isZero();
    return JSON.readTree(r.out());
  }

  private Path files(String name, int n) throws Exception {
    Path d = Files.createDirectories(dir.resolve(name));
    for (int i = 0; i < n; i++) {
      Files.writeString(
          d.resolve(String.format("page-%02d.md", i)),
          "# Page "
              + i
              + "\n\nWorkers share the queue; page "
              + i
              + " says so in its own words.\n");
    }
    return d;
  }

  @Test
  @Order(1)
  void ingestStoresADirectoryReportsUnchangedFilesAndListsFilesItCannotStore() throws Exception {
    Path docs = files("docs", 12);
    Result first =
        run(
            EMBEDDER,
            "ingest",
            docs.toString(),
            "-c",
            "cli-docs",
            "--source",
            "docs",
            "--progress",
            "none");
    assertThat(first.exitCode()).as(first.toString()).isZero();
    assertThat(first.out())
        .startsWith("ingest " + docs + " into cli-docs: 12 read: 12 added, 0 updated");
    assertThat(store.stats("cli-docs").missingChunks()).isZero();

    JsonNode again =
        json(
            run(
                EMBEDDER,
                "ingest",
                docs.toString(),
                "-c",
                "cli-docs",
                "--source",
                "docs",
                "--json"));
    assertThat(again.get("read").asLong()).isEqualTo(12);
    assertThat(again.get("unchanged").asLong()).isEqualTo(12);
    assertThat(again.get("chunksEmbedded").asLong()).isZero();
    assertThat(again.get("embedderCalls").asLong()).isZero();

    Files.writeString(docs.resolve("empty.md"), "   \n");
    Result bad = run(EMBEDDER, "ingest", docs.toString(), "-c", "cli-docs", "--progress", "none");
    assertThat(bad.exitCode()).as(bad.toString()).isEqualTo(ExitCodes.FAILURE);
    assertThat(bad.out()).contains("1 failed").contains("FILE", "empty.md");
    assertThat(bad.err()).contains("1 file could not be stored");
  }

  @Test
  @Order(2)
  void jobsAreSubmittedListedInspectedPausedResumedAndCancelled() throws Exception {
    Path pages = files("pages", 5);
    JsonNode submitted =
        json(
            run(
                "ingest",
                pages.toString(),
                "-c",
                "cli-jobs",
                "--source",
                "pages",
                "--as-job",
                "--json"));
    long ingestJob = submitted.get("id").asLong();
    assertThat(submitted.get("kind").asText()).isEqualTo("ingest");
    assertThat(submitted.get("status").asText()).isEqualTo("queued");
    assertThat(submitted.get("params").get("directory").asText()).isEqualTo(pages.toString());

    Result reembed = run("reembed", "-c", "cli-docs", "--all", "--as-job", "--unit-size", "5");
    assertThat(reembed.exitCode()).as(reembed.toString()).isZero();
    assertThat(reembed.out())
        .startsWith("Submitted job ")
        .contains("reembed cli-docs in units of 5");
    long reembedJob = Long.parseLong(reembed.out().split(" ")[2].replace(":", ""));

    JsonNode list = json(run("jobs", "list", "--json"));
    assertThat(list.get("jobs")).hasSize(2);
    assertThat(list.get("jobs").get(0).get("id").asLong()).isEqualTo(reembedJob);
    assertThat(list.get("counts").get("queued").asLong()).isEqualTo(2);
    Result table = run("jobs", "list", "--kind", "ingest");
    assertThat(table.out())
        .contains("ID", "KIND", "STATUS", "ingest", "queued")
        .doesNotContain("reembed");
    assertThat(table.out()).contains("All jobs: 2 queued");

    Result paused = run("jobs", "pause", Long.toString(reembedJob));
    assertThat(paused.exitCode()).as(paused.toString()).isZero();
    assertThat(paused.out()).startsWith("job " + reembedJob + " reembed paused");
    assertThat(paused.err()).contains("Resume with 'portfolio jobs resume " + reembedJob + "'");
    assertThat(
            json(run("jobs", "resume", Long.toString(reembedJob), "--json")).get("status").asText())
        .isEqualTo("queued");

    JsonNode cancelled = json(run("jobs", "cancel", Long.toString(reembedJob), "--json"));
    assertThat(cancelled.get("status").asText()).isEqualTo("cancelled");
    Result pauseCancelled = run("jobs", "pause", Long.toString(reembedJob));
    assertThat(pauseCancelled.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(pauseCancelled.err())
        .contains("Job " + reembedJob + " is cancelled and cannot be paused");
    Result unknown = run("jobs", "status", "999999");
    assertThat(unknown.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(unknown.err()).contains("999999");

    // A worker process runs the ingest job, then stops on SIGINT.
    JarProcess worker =
        JarProcess.start(
            env,
            JarProcess.command(
                "jobs",
                "worker",
                "--embedder",
                "hashing",
                "--embedder-opt",
                "dimension=16",
                "--id",
                "cli-worker",
                "--lease",
                "10"));
    worker.awaitStderr(err -> err.contains("Worker cli-worker started"));
    PgJobQueue queue = PgJobQueue.on(store);
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (!queue.require(ingestJob).status().finished()) {
      assertThat(System.nanoTime()).as("the worker finishes the ingest job").isLessThan(deadline);
      Thread.sleep(100);
    }
    assertThat(queue.require(ingestJob).status()).isEqualTo(JobStatus.COMPLETED);
    Process kill = new ProcessBuilder("kill", "-INT", Long.toString(worker.pid())).start();
    assertThat(kill.waitFor()).isZero();
    Result stopped = worker.await();
    assertThat(stopped.exitCode()).as(stopped.toString()).isEqualTo(ExitCodes.INTERRUPTED);
    assertThat(stopped.err())
        .contains("kinds [reembed, ingest, retry, switch, cleanup, backup]")
        .contains("Worker cli-worker stopped after completing 3 units and job steps");
    assertThat(store.stats("cli-jobs").missingChunks()).isZero();
    assertThat(store.findDocument("cli-jobs", "page-03.md")).isPresent();

    JsonNode status = json(run("jobs", "status", Long.toString(ingestJob), "--json"));
    assertThat(status.get("status").asText()).isEqualTo("completed");
    assertThat(status.get("progressCurrent").asLong()).isEqualTo(5);
    JsonNode unit = status.get("unitList").get(0);
    assertThat(unit.get("status").asText()).isEqualTo("completed");
    assertThat(unit.get("checkpoint").get("summary").asText()).startsWith("5 read: 5 added");
    Result human = run("jobs", "status", Long.toString(ingestJob));
    assertThat(human.out())
        .startsWith("job " + ingestJob + " ingest completed: 5, units 1/1 done")
        .contains("UNIT", "CHECKPOINT", "completed");

    JsonNode cleaned = json(run("jobs", "cleanup", "--older-than", "0", "--json"));
    assertThat(cleaned.get("deleted").asLong()).isEqualTo(2);
    assertThat(json(run("jobs", "list", "--json")).get("jobs")).isEmpty();
  }
}
