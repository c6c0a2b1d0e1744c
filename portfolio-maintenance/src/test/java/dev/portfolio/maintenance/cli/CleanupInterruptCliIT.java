package dev.portfolio.maintenance.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portfolio.core.hashing.HashingEmbedder;
import dev.portfolio.core.model.Document;
import dev.portfolio.core.model.DocumentQuery;
import dev.portfolio.core.model.PurgeResult;
import dev.portfolio.core.model.SearchFilter;
import dev.portfolio.core.spi.ProgressReporter;
import dev.portfolio.maintenance.cli.JarProcess.Result;
import dev.portfolio.maintenance.reembed.ReembedOptions;
import dev.portfolio.maintenance.testing.Fixture;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Ctrl-C (a real SIGINT) to {@code cleanup deleted} and {@code delete-source} run from the built
 * jar as a separate process: the batch in flight commits, no other starts, the command prints what
 * it did and the command that finishes the job, exits with 130, and that command finishes it.
 *
 * <p>Deterministic without timing: the test holds a row lock on one chunk of the second batch, so
 * the first batch commits and the second waits on PostgreSQL's lock manager. The signal is sent
 * only once the command's backend is seen waiting on the test's connection ({@code
 * pg_blocking_pids}), and the lock is released only once the command has said that it was
 * interrupted: the second batch is always the one in flight.
 */
class CleanupInterruptCliIT extends JarCliFixture {
  /** How long the command may take to reach the lock. */
  private static final Duration DEADLINE = Duration.ofMinutes(5);

  /** A collection of embedded documents of 2 chunks each. */
  private void embedded(String collection, int documents) {
    Fixture.load(store, collection, 8, documents, 2);
    Fixture.maintenance(store, new HashingEmbedder(8), ProgressReporter.SILENT)
        .reembed(ReembedOptions.builder(collection).build());
  }

  private String table(String name) {
    return "\"" + db.name() + "\"." + name;
  }

  @Test
  void ctrlCDuringACleanupOfDeletedDocumentsStopsAfterTheBatchInFlightAndTheSameCommandFinishes()
      throws Exception {
    String c = "int-purge";
    embedded(c, 40);
    for (int i = 0; i < 40; i++) {
      assertThat(store.softDelete(c, "doc-" + i)).isTrue();
    }
    assertThat(store.countDeleted(c, null)).isEqualTo(new PurgeResult(40, 80, 80));
    // The first document of the second batch of 10: oldest deletion first.
    long secondBatch =
        single(
            "SELECT d.id FROM "
                + table("documents")
                + " d JOIN "
                + table("collections")
                + " c ON c.id = d.collection_id WHERE c.name = '"
                + c
                + "' ORDER BY d.deleted_at, d.id OFFSET 10 LIMIT 1");
    String[] args = {"cleanup", "deleted", "-c", c, "--batch-size", "10", "--no-vacuum"};

    Result r = interruptedInSecondBatch(secondBatch, args);

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.INTERRUPTED);
    assertThat(r.err())
        .contains(
            "portfolio: interrupted; cleanup deleted stops after the batch in flight (the batches"
                + " done stay removed)...")
        .contains(
            "Interrupted at a batch boundary: 20 soft-deleted documents (40 chunks, 40 vectors)"
                + " were purged in 2 batches; the documents left are untouched and the vacuum was"
                + " skipped. The command is idempotent: run it again to purge the rest:\n"
                + "  portfolio "
                + String.join(" ", args)
                + "\n");
    assertThat(r.out())
        .contains("20 documents, 40 chunks, 40 vectors removed in 2 batches")
        .contains("cancelled at a batch boundary");
    // The two committed batches are gone; the 20 documents left are whole.
    assertThat(store.countDeleted(c, null)).isEqualTo(new PurgeResult(20, 40, 40));
    assertThat(store.countOrphans().values()).containsOnly(0L);

    Result again = JarProcess.run(env, resumeArgs(r));

    assertThat(again.exitCode()).as(again.toString()).isZero();
    assertThat(again.out()).contains("20 documents, 40 chunks, 40 vectors removed in 2 batches");
    assertThat(store.countDeleted(c, null)).isEqualTo(PurgeResult.NONE);
  }

  @Test
  void ctrlCDuringADeleteSourceStopsAfterTheBatchInFlightLeavingWholeDocumentsAndJsonSaysSo()
      throws Exception {
    String c = "int-source";
    embedded(c, 60); // src-0: 20 documents
    List<Document> source = sourceDocuments(c);
    assertThat(source).hasSize(20);
    long secondBatch = source.get(5).id(); // batches of 5, lowest ids first
    String[] args = {"delete-source", "src-0", "-c", c, "--yes", "--batch-size", "5", "--json"};

    Result r = interruptedInSecondBatch(secondBatch, args);

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.INTERRUPTED);
    JsonNode json = JSON.readTree(r.out());
    assertThat(json.get("cancelled").asBoolean()).isTrue();
    assertThat(json.get("documents").asLong()).isEqualTo(10);
    assertThat(json.get("chunks").asLong()).isEqualTo(20);
    assertThat(json.get("batches").asInt()).isEqualTo(2);
    assertThat(r.err())
        .contains("portfolio: interrupted; delete-source stops after the batch in flight")
        .contains(
            "Interrupted at a batch boundary: 10 documents of source 'src-0' (20 chunks) were"
                + " deleted in 2 batches; the documents left are whole. The command is idempotent:"
                + " run it again to delete the rest:\n"
                + "  portfolio "
                + String.join(" ", args)
                + "\n");
    List<Document> left = sourceDocuments(c);
    assertThat(left)
        .extracting(Document::id)
        .containsExactlyElementsOf(source.subList(10, 20).stream().map(Document::id).toList());
    for (Document d : left) {
      assertThat(store.chunks(c, d.key()))
          .hasSize(2)
          .allSatisfy(ch -> assertThat(ch.embedding()).isNotNull());
    }

    Result again = JarProcess.run(env, resumeArgs(r));

    assertThat(again.exitCode()).as(again.toString()).isZero();
    JsonNode rest = JSON.readTree(again.out());
    assertThat(rest.get("cancelled").asBoolean()).isFalse();
    assertThat(rest.get("documents").asLong()).isEqualTo(10);
    assertThat(sourceDocuments(c)).isEmpty();
    assertThat(store.stats(c).chunks()).as("the other sources' chunks").isEqualTo(80);
  }

  private List<Document> sourceDocuments(String c) {
    return store
        .listDocuments(
            new DocumentQuery(
                c, SearchFilter.builder().sourceId("src-0").includeDeleted().build(), 0, 100))
        .items();
  }

  /** The arguments of the command line that the interrupted run printed to resume. */
  private static String[] resumeArgs(Result r) {
    String line =
        Arrays.stream(r.err().split("\n"))
            .filter(l -> l.startsWith("  portfolio "))
            .reduce((a, b) -> b)
            .orElseThrow();
    return line.substring("  portfolio ".length()).split(" ");
  }

  /**
   * Runs the command while this test holds a row lock on one chunk of a document, sends SIGINT once
   * the command waits for that lock, and releases the lock once the command has seen the signal.
   */
  private Result interruptedInSecondBatch(long documentId, String... args) throws Exception {
    long chunkId =
        single("SELECT min(id) FROM " + table("chunks") + " WHERE document_id = " + documentId);
    try (Connection lock = db.dataSource().getConnection()) {
      lock.setAutoCommit(false);
      long lockPid = single(lock, "SELECT pg_backend_pid()");
      single(lock, "SELECT id FROM " + table("chunks") + " WHERE id = " + chunkId + " FOR UPDATE");
      JarProcess p = JarProcess.start(env, JarProcess.command(args));
      awaitWaitingOn(lockPid, p);
      Process kill = new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start();
      assertThat(kill.waitFor()).isZero();
      p.awaitStderr(err -> err.contains("portfolio: interrupted; "));
      lock.rollback();
      Result r = p.await();
      // The real output, for README.md's example.
      System.out.println("$ portfolio " + String.join(" ", args) + "\n" + r);
      return r;
    }
  }

  /**
   * Polls until a backend waits for a lock that {@code lockPid} holds, or fails at the deadline.
   */
  private void awaitWaitingOn(long lockPid, JarProcess p) throws Exception {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (single(
            "SELECT count(*) FROM pg_stat_activity WHERE "
                + lockPid
                + " = ANY (pg_blocking_pids(pid))")
        == 0) {
      assertThat(ProcessHandle.of(p.pid()).map(ProcessHandle::isAlive))
          .as("the command is still running; stderr: %s", p.stderrSoFar())
          .contains(true);
      assertThat(System.nanoTime()).as("waiting for the second batch").isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private long single(String sql) throws SQLException {
    try (Connection c = db.dataSource().getConnection()) {
      return single(c, sql);
    }
  }

  private static long single(Connection c, String sql) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      assertThat(rs.next()).as(sql).isTrue();
      return rs.getLong(1);
    }
  }
}
