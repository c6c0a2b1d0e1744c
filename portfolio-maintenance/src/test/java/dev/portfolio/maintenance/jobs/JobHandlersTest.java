package dev.portfolio.maintenance.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.hashing.HashingEmbedder;
import dev.portfolio.core.memory.InMemoryVectorStore;
import dev.portfolio.core.model.DocumentStatus;
import dev.portfolio.core.model.FailureKind;
import dev.portfolio.maintenance.Maintenance;
import dev.portfolio.maintenance.backup.BackupOptions;
import dev.portfolio.maintenance.cleanup.DeletedCleanupOptions;
import dev.portfolio.maintenance.cleanup.OrphanCleanupOptions;
import dev.portfolio.maintenance.ingest.DirectoryLoader;
import dev.portfolio.maintenance.ingest.IngestMode;
import dev.portfolio.maintenance.ingest.IngestOptions;
import dev.portfolio.maintenance.retry.RetryOptions;
import dev.portfolio.maintenance.testing.Fixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ingest, retry, cleanup and backup jobs run the facade's operations through a worker. */
class JobHandlersTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int DIMENSION = 16;

  private final InMemoryVectorStore store = new InMemoryVectorStore();
  private final HashingEmbedder embedder = new HashingEmbedder(DIMENSION);
  private final Maintenance maintenance = Fixture.maintenance(store, embedder, null);
  private final InMemoryJobQueue queue = new InMemoryJobQueue();
  private JobWorker worker;

  @TempDir Path dir;

  @BeforeEach
  void startWorker() {
    worker =
        JobWorker.builder(queue)
            .handlers(maintenance.jobHandlers())
            .lease(Duration.ofSeconds(2))
            .heartbeat(Duration.ofMillis(100))
            .pollInterval(Duration.ofMillis(20))
            .shutdownTimeout(Duration.ofSeconds(10))
            .checkpointInterval(Duration.ZERO)
            .retryDelay(Duration.ofMillis(10))
            .build()
            .start();
  }

  @AfterEach
  void stopWorker() {
    worker.close();
  }

  @Test
  void theFacadeOffersAHandlerForEveryKindItRuns() {
    assertThat(maintenance.jobHandlers())
        .extracting(JobHandler::kind)
        .containsExactlyInAnyOrder(
            JobKinds.REEMBED,
            JobKinds.INGEST,
            JobKinds.RETRY,
            JobKinds.SWITCH,
            JobKinds.CLEANUP,
            JobKinds.BACKUP);
    assertThat(Maintenance.builder().store(store).build().jobHandlers())
        .extracting(JobHandler::kind)
        .containsExactlyInAnyOrder(JobKinds.SWITCH, JobKinds.CLEANUP, JobKinds.BACKUP);
  }

  @Test
  void aReembedJobIsCutIntoUnitsWhoseLastRunsToTheEndAndCountsFromTheData() {
    Fixture.load(store, "units", DIMENSION, 10, 2);
    Job done =
        completed(
            queue.submit(
                ReembedJobHandler.request(
                        dev.portfolio.maintenance.reembed.ReembedOptions.builder("units")
                            .batchSize(3)
                            .build(),
                        10)
                    .build()));
    List<JobUnit> units = queue.units(done.id());
    // 20 chunks in units of 10: two units, no empty third one; the last runs to the end.
    assertThat(units).hasSize(2);
    assertThat(units.get(1).params().longValue("upTo", 0)).isEqualTo(Long.MAX_VALUE);
    assertThat(units.get(1).params().longValue("after", 0))
        .isEqualTo(units.get(0).params().longValue("upTo", 0));
    assertThat(done.progressCurrent()).isEqualTo(20);
    assertThat(done.progressTotal()).isEqualTo(20);
    assertThat(store.stats("units", 0).missingChunks()).isZero();
  }

  @Test
  void anIngestJobStoresTheFilesOfADirectoryAndRecordsWhereItGot() throws IOException {
    Path docs = files(25);
    IngestOptions options =
        IngestOptions.builder()
            .mode(IngestMode.FULL_SYNC)
            .sourceId("handbook")
            .batchSize(10)
            .build();
    DirectoryLoader loader =
        DirectoryLoader.builder(docs).glob("**.md").sourceId("handbook").build();
    JobRequest request = IngestJobHandler.request("handbook", loader, options).build();

    // The parameters give back the same loader and options.
    assertThat(IngestJobHandler.loader(request.params()).root()).isEqualTo(docs.toAbsolutePath());
    assertThat(IngestJobHandler.options(request.params()).build().toString())
        .isEqualTo(options.toString());

    Job done = completed(queue.submit(request));
    assertThat(done.progressCurrent()).isEqualTo(25);
    assertThat(store.stats("handbook", 0).documentsByStatus().get(DocumentStatus.READY))
        .isEqualTo(25);
    assertThat(store.stats("handbook", 0).missingChunks()).isZero();
    JobUnit unit = queue.units(done.id()).get(0);
    assertThat(unit.checkpoint().longValue("position", -1)).isEqualTo(25);
    assertThat(unit.checkpoint().require("summary")).startsWith("25 read: 25 added");
    assertThat(maintenance.documents("handbook").history("doc-07.md"))
        .anySatisfy(h -> assertThat(h.jobId()).isEqualTo("job-" + done.id()));

    // A second run finds every document unchanged; a removed file is purged by the full sync.
    Files.delete(docs.resolve("doc-03.md"));
    Job again = completed(queue.submit(request));
    assertThat(queue.units(again.id()).get(0).checkpoint().require("summary"))
        .startsWith("24 read: 0 added, 0 updated, 24 unchanged")
        .contains("1 removed");
    assertThat(store.findDocument("handbook", "doc-03.md")).isEmpty();
  }

  @Test
  void anIngestJobStoppedByItsBudgetFailsNamingThePositionReached() throws IOException {
    Path docs = files(30);
    Job job =
        queue.submit(
            IngestJobHandler.request(
                    "budget",
                    DirectoryLoader.builder(docs).build(),
                    IngestOptions.builder().batchSize(10).tokenBudget(1).build())
                .build());
    Job failed =
        Await.value(WAIT, "job failed", () -> queue.require(job.id()), j -> j.status().finished());
    assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
    assertThat(failed.error()).contains("stopped by its budget at input position");
  }

  @Test
  void aRetryJobRecoversFailedDocuments() {
    Fixture.load(store, "docs", DIMENSION, 4, 3);
    assertThat(store.recordFailure("docs", "doc-1", FailureKind.RETRIABLE, "timeout")).isTrue();
    assertThat(store.recordFailure("docs", "doc-2", FailureKind.RETRIABLE, "timeout")).isTrue();
    Job done =
        completed(
            queue.submit(RetryJobHandler.request(RetryOptions.builder("docs").build()).build()));
    assertThat(done.progressCurrent()).isEqualTo(2);
    assertThat(store.findDocument("docs", "doc-1").orElseThrow().status())
        .isEqualTo(DocumentStatus.READY);
    assertThat(queue.units(done.id()).get(0).checkpoint().require("summary"))
        .contains("2 retried: 2 recovered");
    assertThatThrownBy(
            () -> RetryJobHandler.request(RetryOptions.builder("docs").dryRun(true).build()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("run it inline");
  }

  @Test
  void aCleanupJobPurgesSoftDeletedDocumentsAndOrphans() {
    Fixture.load(store, "docs", DIMENSION, 5, 2);
    assertThat(store.softDelete("docs", "doc-0")).isTrue();
    assertThat(store.softDelete("docs", "doc-4")).isTrue();
    Job done =
        completed(
            queue.submit(
                CleanupJobHandler.deleted(
                        DeletedCleanupOptions.builder().collection("docs").build())
                    .build()));
    assertThat(done.progressCurrent()).isEqualTo(2);
    assertThat(store.findDocument("docs", "doc-0")).isEmpty();
    assertThat(store.findDocument("docs", "doc-1")).isPresent();
    Job orphans =
        completed(
            queue.submit(
                CleanupJobHandler.orphans(OrphanCleanupOptions.builder().build()).build()));
    assertThat(queue.units(orphans.id()).get(0).checkpoint().get("summary")).isPresent();
  }

  @Test
  void aBackupJobWritesAnArchiveIntoTheDirectory() throws IOException {
    Fixture.load(store, "docs", DIMENSION, 3, 2);
    maintenance.reembed(dev.portfolio.maintenance.reembed.ReembedOptions.builder("docs").build());
    Path target = Files.createDirectories(dir.resolve("backups"));
    Job done =
        completed(queue.submit(BackupJobHandler.request(target, BackupOptions.of("docs")).build()));
    JobParams cp = queue.units(done.id()).get(0).checkpoint();
    Path archive = Path.of(cp.require("archive"));
    assertThat(archive.getParent()).isEqualTo(target.toAbsolutePath());
    assertThat(archive).exists();
    assertThat(cp.require("chunks")).isEqualTo("6");
    assertThat(done.progressCurrent()).isEqualTo(6);
    assertThat(maintenance.verifyBackup(archive).valid()).isTrue();
    assertThat(cp.require("sha256")).hasSize(64);
    HexFormat.of().parseHex(cp.require("sha256"));
  }

  private Job completed(Job job) {
    Job done =
        Await.value(
            WAIT, "job " + job.id(), () -> queue.require(job.id()), j -> j.status().finished());
    assertThat(done.status()).as(done.summary()).isEqualTo(JobStatus.COMPLETED);
    return done;
  }

  private Path files(int n) throws IOException {
    Path docs = Files.createDirectories(dir.resolve("docs"));
    for (int i = 0; i < n; i++) {
      Files.writeString(
          docs.resolve(String.format("doc-%02d.md", i)),
          "# Document "
              + i
              + "\n\n"
              + String.join(
                  " ",
                  Stream.generate(() -> "word" + Integer.toString(n * 7 + 3, 36))
                      .limit(40)
                      .toList())
              + " paragraph number "
              + i
              + ".\n");
    }
    assertThat(List.of(docs.toFile().list())).hasSize(n);
    return docs;
  }
}
