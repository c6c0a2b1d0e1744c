package dev.portfolio.maintenance.kill;

import static dev.portfolio.maintenance.testing.Fixture.assertEveryChunkEmbeddedBy;
import static dev.portfolio.maintenance.testing.Fixture.maintenance;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.portfolio.core.hashing.HashingEmbedder;
import dev.portfolio.core.model.Chunk;
import dev.portfolio.core.model.EmbeddingSet;
import dev.portfolio.core.model.SetState;
import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.spi.ProgressReporter;
import dev.portfolio.index.pgvector.PgVectorStore;
import dev.portfolio.index.pgvector.TestStores;
import dev.portfolio.index.testing.PostgresSchemaExtension;
import dev.portfolio.index.testing.TestSchema;
import dev.portfolio.maintenance.Maintenance;
import dev.portfolio.maintenance.modelswitch.SwitchOptions;
import dev.portfolio.maintenance.modelswitch.SwitchOutcome;
import dev.portfolio.maintenance.modelswitch.SwitchResult;
import dev.portfolio.maintenance.reembed.ReembedOptions;
import dev.portfolio.maintenance.testing.Corpus;
import dev.portfolio.maintenance.testing.Fixture;
import dev.portfolio.maintenance.testing.OneModelSearcher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill tests: a re-embed and a model switch run in a child JVM ({@link KillChild}) that is killed
 * with SIGKILL at seeded random points, then started again until a run completes. Meanwhile a
 * thread of this JVM searches the collection without pause.
 *
 * <p>What must hold afterwards, on PostgreSQL:
 *
 * <ul>
 *   <li>every chunk has exactly one vector in the target set, the new model's vector of its text
 *       (no duplicate rows, none missing), and nothing else is left over (no building or retired
 *       set after a switch with {@code dropRetired}, no invalid index);
 *   <li>the embed log (what each child got back from the embedder, per run) shows every chunk
 *       embedded at least once; no chunk embedded twice within one run; and the chunks a killed run
 *       embedded that a later run embedded again, which are the batches it had embedded but not
 *       committed when it was killed, at most the batches a run has outstanding ({@code 2 x
 *       maxConcurrency} batches: {@code maxConcurrency} being embedded, the rest being written) per
 *       kill. A chunk whose vector was committed is never embedded again;
 *   <li>every search answered from exactly one model: each hit's score is the cosine under the
 *       model whose dimension the collection had (16 before the switch, 24 after).
 * </ul>
 *
 * <p>The seed is printed; {@code -Dkill.seed=N} repeats a run's kill points.
 */
@ExtendWith(PostgresSchemaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReembedKillIT {
  private static final int DOCUMENTS = 400;
  private static final int CHUNKS_PER_DOCUMENT = 15;
  private static final int CHUNKS = DOCUMENTS * CHUNKS_PER_DOCUMENT;
  private static final int BATCH = 50;
  private static final int CONCURRENCY = 4;
  private static final int DELAY_MS = 25;

  /** What a run has outstanding at most: being embedded, or embedded and not yet committed. */
  private static final long OUTSTANDING_CHUNKS = 2L * CONCURRENCY * BATCH;

  private static final int EMBED_PHASE_KILLS = 4;
  private static final Duration CHILD_TIMEOUT = Duration.ofMinutes(3);

  private final HashingEmbedder h16 = new HashingEmbedder(16);
  private final HashingEmbedder h24 = new HashingEmbedder(KillChild.DIMENSION);
  private TestSchema db;
  private HikariDataSource pool;
  private PgVectorStore store;
  private long seed;

  @BeforeAll
  void open(TestSchema schema) {
    db = schema;
    TestStores.install(db);
    pool = TestStores.pool(db);
    store = PgVectorStore.builder(pool).schema(db.name()).build();
    seed = Long.getLong("kill.seed", System.nanoTime());
    System.out.println("ReembedKillIT seed: " + seed + " (repeat with -Dkill.seed=" + seed + ")");
  }

  @AfterAll
  void close() {
    store.close();
    pool.close();
  }

  @Test
  void reembedIntoABuildingSetKilledAtRandomPointsCompletesWithOneVectorPerChunk(@TempDir Path dir)
      throws Exception {
    String collection = "killreembed";
    loadEmbeddedWith16(collection);
    EmbeddingSet target =
        store.createBuildingSet(collection, h24.info().modelRef(), KillChild.DIMENSION);
    Random random = new Random(seed);
    OneModelSearcher searcher = startSearcher(collection);
    Runs runs = new Runs(dir, "reembed", collection, target.id());
    try {
      for (int k = 0; k < EMBED_PHASE_KILLS; k++) {
        runs.killDuringEmbedding(random, missing(target));
      }
      runs.complete();
      searcher.awaitSearches(16, 10);
    } finally {
      searcher.stop();
    }

    assertThat(searcher.problems()).isEmpty();
    assertThat(searcher.searchesAt(24)).isZero();
    assertOneVectorPerChunk(collection, target.id());
    assertEveryChunkEmbeddedBy(store, collection, target.id(), h24);
    runs.assertEmbedLog(collection, target.id());
    assertThat(store.embeddingSets(collection))
        .extracting(EmbeddingSet::state)
        .containsExactly(SetState.ACTIVE, SetState.BUILDING);
  }

  @Test
  void modelSwitchKilledAtRandomPointsCompletesOnTheNewModelWithSearchesOnOneModel(
      @TempDir Path dir) throws Exception {
    String collection = "killswitch";
    loadEmbeddedWith16(collection);
    EmbeddingSet old = store.activeSet(collection);
    Random random = new Random(seed + 1);
    OneModelSearcher searcher = startSearcher(collection);
    Runs runs = new Runs(dir, "switch", collection, 0);
    try {
      searcher.awaitSearches(16, 10);
      for (int k = 0; k < EMBED_PHASE_KILLS; k++) {
        runs.killDuringEmbedding(
            random, store.buildingSet(collection).map(this::missing).orElse((long) CHUNKS));
      }
      runs.killDuring(random, "CREATE INDEX%", 40);
      runs.killDuring(random, "ALTER TABLE%DETACH%", 0);
      runs.complete();
      searcher.awaitSearches(24, 10);
    } finally {
      searcher.stop();
    }

    assertThat(searcher.problems()).isEmpty();
    assertThat(searcher.searchesAt(16)).isPositive();
    EmbeddingSet now = store.activeSet(collection);
    assertThat(now.model()).isEqualTo(h24.info().modelRef());
    assertThat(now.dimension()).isEqualTo(KillChild.DIMENSION);
    assertThat(store.embeddingSets(collection))
        .extracting(EmbeddingSet::id)
        .containsExactly(now.id());
    assertThat(now.id()).isNotEqualTo(old.id());
    assertOneVectorPerChunk(collection, now.id());
    assertEveryChunkEmbeddedBy(store, collection, 0, h24);
    assertThat(store.hasAnnIndex(collection)).isTrue();
    assertThat(invalidIndexes()).isEmpty();
    assertThat(tablesWithoutSet()).isEmpty();
    runs.assertEmbedLog(collection, now.id());
  }

  @Test
  void aSwitchRunAgainFinishesADropThatWasKilledAfterTheSetWasRemoved() throws SQLException {
    String collection = "killdrop";
    loadEmbeddedWith16(collection);
    Maintenance m = maintenance(store, h16, ProgressReporter.SILENT);
    EmbeddingSet old = store.activeSet(collection);
    assertThat(m.switchModel(collection, h24, SwitchOptions.defaults()).outcome())
        .isEqualTo(SwitchOutcome.ACTIVATED);
    // What a kill between dropSet's two steps leaves: the set's row deleted, its partition not.
    try (Connection c = db.dataSource().getConnection();
        PreparedStatement ps =
            c.prepareStatement("DELETE FROM " + q(db.name()) + ".embedding_sets WHERE id = ?")) {
      ps.setLong(1, old.id());
      assertThat(ps.executeUpdate()).isEqualTo(1);
    }
    assertThat(tablesWithoutSet()).containsExactly("embeddings_" + old.id());

    SwitchResult again =
        m.switchModel(collection, h24, SwitchOptions.builder().dropRetired(true).build());

    assertThat(again.outcome()).isEqualTo(SwitchOutcome.ALREADY_ACTIVE);
    assertThat(tablesWithoutSet()).isEmpty();
    assertThat(store.finishInterruptedDrops()).isZero();
    assertEveryChunkEmbeddedBy(store, collection, 0, h24);
  }

  private void loadEmbeddedWith16(String collection) {
    Fixture.load(store, collection, 16, DOCUMENTS, CHUNKS_PER_DOCUMENT);
    assertThat(
            maintenance(store, h16, ProgressReporter.SILENT)
                .reembed(ReembedOptions.builder(collection).batchSize(1000).build())
                .processed())
        .isEqualTo(CHUNKS);
  }

  private long missing(EmbeddingSet set) {
    return store.stats(set.collection(), set.id()).missingChunks();
  }

  private OneModelSearcher startSearcher(String collection) {
    Map<Integer, Embedder> byDimension = Map.of(16, h16, KillChild.DIMENSION, h24);
    OneModelSearcher searcher =
        new OneModelSearcher(
            store,
            collection,
            byDimension,
            r -> Corpus.text("doc-" + r.nextInt(DOCUMENTS), r.nextInt(CHUNKS_PER_DOCUMENT)));
    searcher.start();
    return searcher;
  }

  /** Checks in SQL that the set holds exactly one row per chunk of the collection. */
  private void assertOneVectorPerChunk(String collection, long setId) throws SQLException {
    String sql =
        "SELECT (SELECT count(*) FROM %1$s.chunks c JOIN %1$s.collections k ON k.id ="
            + " c.collection_id WHERE k.name = ?), count(*), count(DISTINCT chunk_id),"
            + " count(*) FILTER (WHERE vector_dims(embedding) <> ?) FROM %1$s.embeddings WHERE"
            + " set_id = ?";
    try (Connection c = db.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement(String.format(sql, q(db.name())))) {
      ps.setString(1, collection);
      ps.setInt(2, KillChild.DIMENSION);
      ps.setLong(3, setId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        assertThat(rs.getLong(1)).as("chunks").isEqualTo(CHUNKS);
        assertThat(rs.getLong(2)).as("vector rows in set %d", setId).isEqualTo(CHUNKS);
        assertThat(rs.getLong(3)).as("chunks with a vector in set %d", setId).isEqualTo(CHUNKS);
        assertThat(rs.getLong(4)).as("vectors of another dimension").isZero();
      }
    }
  }

  private List<String> invalidIndexes() throws SQLException {
    return strings(
        "SELECT c.relname FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid ="
            + " i.indexrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE"
            + " n.nspname = ? AND NOT i.indisvalid");
  }

  /** The embeddings partitions, attached or not, whose set does not exist. */
  private List<String> tablesWithoutSet() throws SQLException {
    return strings(
        "SELECT c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid ="
            + " c.relnamespace WHERE n.nspname = ? AND c.relkind = 'r' AND c.relname ~"
            + " '^embeddings_[0-9]+$' AND substr(c.relname, 12)::bigint NOT IN (SELECT id FROM "
            + q(db.name())
            + ".embedding_sets)");
  }

  private List<String> strings(String sql) throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, db.name());
      List<String> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      return out;
    }
  }

  private static String q(String identifier) {
    return "\"" + identifier + "\"";
  }

  /** The child runs of one scenario, their kills and the embed log they share. */
  private final class Runs {
    private final Path dir;
    private final String op;
    private final String collection;
    private final long setId;
    private final Path log;
    private final List<String> killed = new ArrayList<>();
    private int run;

    Runs(Path dir, String op, String collection, long setId) {
      this.dir = dir;
      this.op = op;
      this.collection = collection;
      this.setId = setId;
      this.log = dir.resolve("embedded.log");
    }

    /**
     * Starts a child and kills it once it has embedded a random share (5% to 95%) of what is
     * missing.
     */
    void killDuringEmbedding(Random random, long missing) throws Exception {
      double share = 0.05 + 0.9 * random.nextDouble();
      long after = Math.max(1, Math.round(share * missing));
      Process p = start();
      String label = label();
      long deadline = System.nanoTime() + CHILD_TIMEOUT.toNanos();
      while (p.isAlive() && linesOf(label) < after) {
        assertThat(System.nanoTime()).as("%s embeds %d chunks", label, after).isLessThan(deadline);
        LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
      }
      kill(p, String.format("after %d of %d missing chunks were embedded", after, missing));
    }

    /**
     * Starts a child and kills it a random 0 to {@code maxDelayMs} ms after one of its sessions
     * started a statement that matches a LIKE pattern (CREATE INDEX of the activation, ALTER TABLE
     * ... DETACH of the drop).
     */
    void killDuring(Random random, String statement, int maxDelayMs) throws Exception {
      int delay = maxDelayMs == 0 ? 0 : random.nextInt(maxDelayMs);
      Process p = start();
      String label = label();
      long deadline = System.nanoTime() + CHILD_TIMEOUT.toNanos();
      while (p.isAlive() && !running(label, statement)) {
        assertThat(System.nanoTime()).as("%s runs %s", label, statement).isLessThan(deadline);
        LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
      }
      LockSupport.parkNanos(Duration.ofMillis(delay).toNanos());
      kill(p, String.format("%d ms into %s", delay, statement));
    }

    /** Starts a child and lets it finish; it must exit 0. */
    void complete() throws Exception {
      Process p = start();
      String label = label();
      assertThat(p.waitFor(CHILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
          .as("%s finishes", label)
          .isTrue();
      String out = Files.readString(dir.resolve(label + ".out"));
      assertThat(p.exitValue())
          .as("exit code of %s: %s%s", label, out, Files.readString(dir.resolve(label + ".err")))
          .isZero();
      System.out.println(label + " completed: " + out.strip());
    }

    private Process start() throws IOException {
      run++;
      String label = label();
      String url =
          db.jdbcUrl() + (db.jdbcUrl().contains("?") ? "&" : "?") + "ApplicationName=" + label;
      List<String> command =
          new ArrayList<>(
              List.of(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx256m",
                  "-Dorg.jooq.no-logo=true",
                  "-Dorg.jooq.no-tips=true",
                  "-cp",
                  System.getProperty("java.class.path"),
                  KillChild.class.getName(),
                  "op=" + op,
                  "url=" + url,
                  "schema=" + db.name(),
                  "collection=" + collection,
                  "set=" + setId,
                  "log=" + log,
                  "run=" + label,
                  "delayMs=" + DELAY_MS,
                  "batch=" + BATCH,
                  "concurrency=" + CONCURRENCY));
      return new ProcessBuilder(command)
          .redirectOutput(dir.resolve(label + ".out").toFile())
          .redirectError(dir.resolve(label + ".err").toFile())
          .start();
    }

    private String label() {
      return op + "-run-" + run;
    }

    private void kill(Process p, String when) throws Exception {
      String label = label();
      if (!p.isAlive()) {
        String out = Files.readString(dir.resolve(label + ".out")).strip();
        assertThat(p.exitValue())
            .as(
                "%s ended before the kill: %s",
                label, Files.readString(dir.resolve(label + ".err")))
            .isZero();
        System.out.println(label + " finished before the kill " + when + ": " + out);
        return;
      }
      p.destroyForcibly();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as("exit code of %s after SIGKILL", label).isEqualTo(128 + 9);
      killed.add(label);
      System.out.println(
          label + " killed (SIGKILL) " + when + "; it had embedded " + linesOf(label) + " chunks");
    }

    private boolean running(String label, String statement) throws SQLException {
      try (Connection c = db.dataSource().getConnection();
          PreparedStatement ps =
              c.prepareStatement(
                  "SELECT count(*) FROM pg_catalog.pg_stat_activity WHERE application_name = ?"
                      + " AND state = 'active' AND query LIKE ?")) {
        ps.setString(1, label);
        ps.setString(2, statement);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getLong(1) > 0;
        }
      }
    }

    private long linesOf(String label) throws IOException {
      return entries().stream().filter(e -> e[0].equals(label)).count();
    }

    /** The complete lines of the log, as {run, text}. */
    private List<String[]> entries() throws IOException {
      if (!Files.exists(log)) {
        return List.of();
      }
      String content = Files.readString(log);
      int end = content.lastIndexOf('\n');
      List<String[]> out = new ArrayList<>();
      if (end < 0) {
        return out;
      }
      for (String line : content.substring(0, end).split("\n", -1)) {
        out.add(line.split("\t", 2));
      }
      return out;
    }

    /** Checks the embed log against the invariants in the class comment. */
    void assertEmbedLog(String collection, long setId) throws IOException {
      Map<String, Long> idOf = new HashMap<>();
      for (Chunk c : Corpus.chunks(store, collection, setId)) {
        idOf.put(c.text(), c.id());
      }
      Map<String, Set<Long>> byRun = new LinkedHashMap<>();
      Map<Long, Integer> perChunk = new HashMap<>();
      for (String[] e : entries()) {
        Long id = idOf.get(e[1]);
        assertThat(id).as("logged text '%s' is a chunk's", e[1]).isNotNull();
        assertThat(byRun.computeIfAbsent(e[0], r -> new HashSet<>()).add(id))
            .as("chunk %d embedded twice within %s", id, e[0])
            .isTrue();
        perChunk.merge(id, 1, Integer::sum);
      }
      assertThat(perChunk.keySet()).as("chunks embedded").containsAll(idOf.values());
      List<String> labels = new ArrayList<>(byRun.keySet());
      long again = 0;
      for (int i = 0; i < labels.size(); i++) {
        Set<Long> later = new HashSet<>();
        for (int j = i + 1; j < labels.size(); j++) {
          later.addAll(byRun.get(labels.get(j)));
        }
        long redone = byRun.get(labels.get(i)).stream().filter(later::contains).count();
        again += redone;
        System.out.println(
            labels.get(i)
                + ": embedded "
                + byRun.get(labels.get(i)).size()
                + ", of which a later run embedded again "
                + redone);
        if (redone > 0) {
          assertThat(killed).as("runs killed").contains(labels.get(i));
        }
        assertThat(redone)
            .as(
                "chunks %s embedded that were embedded again (in flight at the kill)",
                labels.get(i))
            .isLessThanOrEqualTo(OUTSTANDING_CHUNKS);
      }
      assertThat(perChunk.values().stream().mapToLong(Integer::longValue).sum())
          .as("embeddings in all runs")
          .isEqualTo(CHUNKS + again);
      System.out.println(
          op
              + ": "
              + killed.size()
              + " kills, "
              + CHUNKS
              + " chunks, "
              + again
              + " embedded more than once (bound: "
              + killed.size() * OUTSTANDING_CHUNKS
              + ")");
    }
  }
}
