package dev.portfolio.maintenance.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.portfolio.core.hashing.HashingEmbedder;
import dev.portfolio.core.model.Chunk;
import dev.portfolio.core.model.DocumentStatus;
import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.spi.EmbedderInfo;
import dev.portfolio.core.spi.EmbeddingBatch;
import dev.portfolio.core.spi.InputType;
import dev.portfolio.index.pgvector.PgVectorStore;
import dev.portfolio.index.pgvector.TestStores;
import dev.portfolio.index.testing.PostgresSchemaExtension;
import dev.portfolio.index.testing.TestSchema;
import dev.portfolio.maintenance.ingest.DirectoryLoader;
import dev.portfolio.maintenance.ingest.IngestOptions;
import dev.portfolio.maintenance.testing.Corpus;
import dev.portfolio.maintenance.testing.Fixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two workers, each with its own pool, ingest the same document at the same moment (two ingest jobs
 * of one directory; the embedder holds each call until both are inside it, so both have looked the
 * document up and found nothing before either writes). The collection ends with one document and
 * one set of chunks, each with one vector.
 */
@ExtendWith(PostgresSchemaExtension.class)
class SameDocumentIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int DIMENSION = 16;

  private final List<HikariDataSource> pools = new ArrayList<>();
  private final List<PgVectorStore> stores = new ArrayList<>();
  private final List<JobWorker> workers = new ArrayList<>();

  @Test
  void twoWorkersIngestingTheSameDocumentAtOnceLeaveOneDocumentAndOneSetOfChunks(
      TestSchema db, @TempDir Path dir) throws Exception {
    TestStores.install(db);
    Path file = dir.resolve("guide.md");
    StringBuilder text = new StringBuilder("# Guide\n\n");
    for (int i = 0; i < 60; i++) {
      text.append("Sentence ").append(i).append(" of the guide, about workers and leases. ");
    }
    Files.writeString(file, text);
    CountDownLatch[] arrived = {new CountDownLatch(1), new CountDownLatch(1)};
    try {
      for (int i = 0; i < 2; i++) {
        HikariDataSource pool = TestStores.pool(db);
        pools.add(pool);
        PgVectorStore store = PgVectorStore.builder(pool).schema(db.name()).build();
        stores.add(store);
        workers.add(
            JobWorker.builder(PgJobQueue.on(store))
                .handlers(
                    Fixture.maintenance(
                            store,
                            new Rendezvous(
                                new HashingEmbedder(DIMENSION), arrived[i], arrived[1 - i]),
                            null)
                        .jobHandlers())
                .lease(Duration.ofSeconds(5))
                .heartbeat(Duration.ofMillis(200))
                .pollInterval(Duration.ofMillis(20))
                .retryDelay(Duration.ofMillis(100))
                .workerId("same-" + i)
                .build());
      }
      PgVectorStore store = stores.get(0);
      Fixture.load(store, "guides", DIMENSION, 0, 1);
      PgJobQueue queue = PgJobQueue.on(store);
      JobRequest request =
          IngestJobHandler.request(
                  "guides",
                  DirectoryLoader.builder(dir).sourceId("guides").build(),
                  IngestOptions.builder().build())
              .build();
      Job first = queue.submit(request);
      Job second = queue.submit(request);
      workers.forEach(JobWorker::start);
      for (CountDownLatch a : arrived) {
        assertThat(a.await(30, TimeUnit.SECONDS)).as("both workers inside the embedder").isTrue();
      }

      for (Job job : List.of(first, second)) {
        Job done =
            Await.value(
                WAIT, "job " + job.id(), () -> queue.require(job.id()), j -> j.status().finished());
        assertThat(done.status()).as(done.summary()).isEqualTo(JobStatus.COMPLETED);
      }

      assertThat(store.findDocument("guides", "guide.md").orElseThrow().status())
          .isEqualTo(DocumentStatus.READY);
      List<Chunk> chunks = Corpus.chunks(store, "guides", 0);
      assertThat(chunks).hasSizeGreaterThan(1);
      assertThat(chunks.stream().map(Chunk::ordinal).distinct()).hasSize(chunks.size());
      assertThat(chunks).allSatisfy(c -> assertThat(c.documentKey()).isEqualTo("guide.md"));
      try (Connection c = pools.get(0).getConnection();
          PreparedStatement ps =
              c.prepareStatement(
                  "SELECT (SELECT count(*) FROM \""
                      + db.name()
                      + "\".documents), (SELECT count(*) FROM \""
                      + db.name()
                      + "\".chunks), (SELECT count(*) FROM \""
                      + db.name()
                      + "\".embeddings)");
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        assertThat(rs.getLong(1)).as("documents").isEqualTo(1);
        assertThat(rs.getLong(2)).as("chunks").isEqualTo(chunks.size());
        assertThat(rs.getLong(3)).as("vectors").isEqualTo(chunks.size());
      }
      assertThat(store.stats("guides", 0).missingChunks()).isZero();
    } finally {
      workers.forEach(JobWorker::close);
      stores.forEach(PgVectorStore::close);
      pools.forEach(HikariDataSource::close);
    }
  }

  /**
   * The embedder of one worker: its first call says it arrived and waits until the other worker's
   * embedder has been called too (at most 20 s), so that both ingestions have looked the document
   * up before either writes it.
   */
  private static final class Rendezvous implements Embedder {
    private final Embedder delegate;
    private final CountDownLatch mine;
    private final CountDownLatch theirs;

    Rendezvous(Embedder delegate, CountDownLatch mine, CountDownLatch theirs) {
      this.delegate = delegate;
      this.mine = mine;
      this.theirs = theirs;
    }

    @Override
    public EmbedderInfo info() {
      return delegate.info();
    }

    @Override
    public EmbeddingBatch embed(List<String> texts, InputType type) {
      mine.countDown();
      try {
        if (!theirs.await(20, TimeUnit.SECONDS)) {
          throw new IllegalStateException("the other worker never called its embedder");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      return delegate.embed(texts, type);
    }
  }
}
