package dev.portfolio.maintenance.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.portfolio.core.model.Chunk;
import dev.portfolio.core.model.CollectionStats;
import dev.portfolio.index.pgvector.PgVectorStore;
import dev.portfolio.index.pgvector.TestStores;
import dev.portfolio.index.testing.PostgresSchemaExtension;
import dev.portfolio.index.testing.TestSchema;
import dev.portfolio.maintenance.reembed.ReembedOptions;
import dev.portfolio.maintenance.testing.Corpus;
import dev.portfolio.maintenance.testing.Fixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Three worker JVMs share a re-embed job of 100,000 chunks; one is killed with SIGKILL half-way;
 * the others finish it. Every chunk is embedded once, except the chunks of the batches that the
 * killed worker had sent to the embedder and not yet written: those are embedded a second time by
 * the worker that takes the unit over (they are bounded by the killed worker's units in flight,
 * slots x embedder calls in flight x batch size). No chunk ends with two vectors, and the units the
 * killed worker held are taken over within the lease plus one heartbeat.
 */
@ExtendWith(PostgresSchemaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KilledWorkerIT {
  private static final int DOCUMENTS = 10_000;
  private static final int CHUNKS_PER_DOCUMENT = 10;
  private static final int CHUNKS = DOCUMENTS * CHUNKS_PER_DOCUMENT;
  private static final int DIMENSION = 16;
  private static final int BATCH = 100;
  private static final int EMBED_CONCURRENCY = 2;
  private static final int SLOTS = 2;
  private static final int UNIT_SIZE = 250;
  private static final Duration LEASE = Duration.ofSeconds(3);
  private static final Duration HEARTBEAT = Duration.ofSeconds(1);

  private TestSchema db;
  private HikariDataSource pool;
  private PgVectorStore store;
  private Path dir;

  @BeforeAll
  void load(TestSchema schema) throws IOException {
    db = schema;
    TestStores.install(db);
    pool = TestStores.pool(db);
    // No HNSW index on the active set while it is filled: the test is about the queue.
    store = PgVectorStore.builder(pool).schema(db.name()).annIndexOnCreate(false).build();
    Fixture.load(store, "big", DIMENSION, DOCUMENTS, CHUNKS_PER_DOCUMENT);
    dir = Files.createTempDirectory("portfolio-killed-worker");
  }

  @AfterAll
  void close() {
    store.close();
    pool.close();
  }

  @Test
  void aKilledWorkersUnitsAreTakenOverAndEveryChunkIsEmbeddedOnce() throws Exception {
    PgJobQueue queue = PgJobQueue.on(store);
    Job job =
        queue.submit(
            ReembedJobHandler.request(
                    ReembedOptions.builder("big")
                        .batchSize(BATCH)
                        .maxConcurrency(EMBED_CONCURRENCY)
                        .build(),
                    UNIT_SIZE)
                .build());
    String run = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    List<String> ids = List.of("w1-" + run, "w2-" + run, "w3-" + run);
    List<Process> processes = new ArrayList<>();
    for (String id : ids) {
      processes.add(start(id, job.id()));
    }
    try {
      String victim = ids.get(0);
      // Kill the victim half-way, while it holds units.
      Await.until(
          Duration.ofMinutes(5),
          "the victim holding a unit with 30% done",
          () ->
              queue.require(job.id()).progressCurrent() >= CHUNKS * 3 / 10
                  && queue.units(job.id()).stream()
                      .anyMatch(
                          u -> victim.equals(u.leaseOwner()) && u.status() == UnitStatus.RUNNING));
      long killed = System.nanoTime();
      processes.get(0).destroyForcibly();
      assertThat(processes.get(0).waitFor(30, TimeUnit.SECONDS)).isTrue();
      List<JobUnit> held =
          queue.units(job.id()).stream()
              .filter(u -> victim.equals(u.leaseOwner()) && u.status() == UnitStatus.RUNNING)
              .toList();
      assertThat(held).as("units the killed worker held").isNotEmpty();

      // Every unit the victim held is taken over by another worker, within lease + heartbeat.
      long takenOver = 0;
      for (JobUnit h : held) {
        Await.until(
            Duration.ofMinutes(2),
            "unit " + h.unit() + " taken over",
            () -> {
              JobUnit now = queue.units(job.id()).get(h.unit());
              return now.leaseOwner() != null && !victim.equals(now.leaseOwner())
                  || now.status() == UnitStatus.COMPLETED;
            });
        takenOver = Math.max(takenOver, System.nanoTime() - killed);
      }
      System.out.printf(
          "[killed-worker] %d unit(s) held by the killed worker were taken over %d ms after the"
              + " kill (lease %d ms, heartbeat %d ms)%n",
          held.size(),
          TimeUnit.NANOSECONDS.toMillis(takenOver),
          LEASE.toMillis(),
          HEARTBEAT.toMillis());
      assertThat(Duration.ofNanos(takenOver)).isLessThanOrEqualTo(LEASE.plus(HEARTBEAT));

      Job done =
          Await.value(
              Duration.ofMinutes(5),
              "the job",
              () -> queue.require(job.id()),
              j -> j.status().finished());
      assertThat(done.status()).as(done.summary()).isEqualTo(JobStatus.COMPLETED);
      System.out.printf(
          "[killed-worker] %s, in %d ms%n",
          done.summary(), Duration.between(done.startedAt(), done.finishedAt()).toMillis());
      for (int i = 1; i < processes.size(); i++) {
        assertThat(processes.get(i).waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(processes.get(i).exitValue()).as(output(ids.get(i))).isZero();
      }

      // No chunk has two vectors; none is missing or stale.
      CollectionStats stats = store.stats("big", 0);
      assertThat(stats.chunks()).isEqualTo(CHUNKS);
      assertThat(stats.missingChunks()).isZero();
      assertThat(stats.staleChunks()).isZero();
      assertThat(vectorRows()).containsExactly((long) CHUNKS, (long) CHUNKS);
      // Progress is counted from the data when a unit completes: the chunks the killed worker
      // wrote after its last checkpoint count although the worker that took its unit over did not
      // embed them.
      assertThat(done.progressCurrent()).isEqualTo(CHUNKS);
      assertThat(done.progressTotal()).isEqualTo(CHUNKS);
      assertThat(done.units().completed()).isEqualTo(done.units().total());
      for (JobUnit h : held) {
        assertThat(queue.units(job.id()).get(h.unit()).attempts()).isEqualTo(2);
      }

      // Embedder calls per chunk.
      Map<String, Long> chunkIdByText = new HashMap<>();
      for (Chunk c : Corpus.chunks(store, "big", 0)) {
        chunkIdByText.put(c.text(), c.id());
      }
      Map<Long, List<Integer>> callsByChunk = new HashMap<>();
      for (int p = 0; p < ids.size(); p++) {
        for (String line : Files.readAllLines(log(ids.get(p)), StandardCharsets.UTF_8)) {
          if (line.endsWith("|")) {
            Long chunk = chunkIdByText.get(line.substring(0, line.length() - 1));
            assertThat(chunk).as("logged text %s", line).isNotNull();
            callsByChunk.computeIfAbsent(chunk, k -> new ArrayList<>()).add(p);
          }
        }
      }
      assertThat(callsByChunk).hasSize(CHUNKS);
      Map<Long, List<Integer>> twice =
          callsByChunk.entrySet().stream()
              .filter(e -> e.getValue().size() > 1)
              .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
      System.out.printf(
          "[killed-worker] %d chunks embedded once, %d twice (in flight in the killed worker)%n",
          CHUNKS - twice.size(), twice.size());
      int inFlightBound = SLOTS * EMBED_CONCURRENCY * BATCH;
      assertThat(twice.size()).isLessThanOrEqualTo(inFlightBound);
      for (Map.Entry<Long, List<Integer>> e : twice.entrySet()) {
        assertThat(e.getValue())
            .as("chunk %d: first by the killed worker, then once by a survivor", e.getKey())
            .hasSize(2)
            .startsWith(0);
        assertThat(e.getValue().get(1)).isNotZero();
        long id = e.getKey();
        assertThat(held)
            .as("chunk %d lies in a unit the killed worker held", id)
            .anySatisfy(
                u ->
                    assertThat(id)
                        .isGreaterThan(u.params().longValue("after", 0))
                        .isLessThanOrEqualTo(u.params().longValue("upTo", Long.MAX_VALUE)));
      }
    } finally {
      for (Process p : processes) {
        p.destroyForcibly();
      }
    }
  }

  private Process start(String id, long jobId) throws IOException {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> command =
        List.of(
            java,
            "-Xmx256m",
            "-cp",
            System.getProperty("java.class.path"),
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
            WorkerMain.class.getName(),
            db.jdbcUrl(),
            db.name(),
            id,
            log(id).toString(),
            Long.toString(LEASE.toMillis()),
            Long.toString(HEARTBEAT.toMillis()),
            Long.toString(jobId),
            Integer.toString(SLOTS),
            Integer.toString(DIMENSION));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve(id + ".out").toFile())
        .start();
  }

  private Path log(String id) {
    return dir.resolve(id + ".texts");
  }

  private String output(String id) {
    try {
      return Files.readString(dir.resolve(id + ".out"));
    } catch (IOException e) {
      return e.toString();
    }
  }

  private List<Long> vectorRows() throws SQLException {
    try (Connection c = pool.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT count(*), count(DISTINCT chunk_id) FROM \""
                    + db.name()
                    + "\".embeddings e JOIN \""
                    + db.name()
                    + "\".collections c ON c.active_set_id = e.set_id WHERE c.name = 'big'");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return List.of(rs.getLong(1), rs.getLong(2));
    }
  }
}
