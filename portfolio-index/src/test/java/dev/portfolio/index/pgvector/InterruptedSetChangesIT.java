package dev.portfolio.index.pgvector;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.portfolio.core.model.Chunk;
import dev.portfolio.core.model.ChunkQuery;
import dev.portfolio.core.model.CollectionSpec;
import dev.portfolio.core.model.Distance;
import dev.portfolio.core.model.EmbeddingSet;
import dev.portfolio.core.model.EmbeddingState;
import dev.portfolio.core.model.EmbeddingUpdate;
import dev.portfolio.core.model.SetState;
import dev.portfolio.index.internal.AnnIndexSql;
import dev.portfolio.index.testing.PostgresSchemaExtension;
import dev.portfolio.index.testing.TestSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a process killed in the middle of a set change leaves on the server, and how the next call
 * deals with it (found by the maintenance module's kill test): a drop killed after the set's row
 * was deleted, and an index build whose server session outlives its killed client.
 */
@ExtendWith(PostgresSchemaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InterruptedSetChangesIT {
  private static final int DIMENSION = 16;
  private HikariDataSource pool;
  private PgVectorStore store;
  private TestSchema db;

  @BeforeAll
  void open(TestSchema schema) {
    db = schema;
    TestStores.install(db);
    pool = TestStores.pool(db);
    store = PgVectorStore.builder(pool).schema(db.name()).build();
  }

  @AfterAll
  void close() {
    store.close();
    pool.close();
  }

  @Test
  void finishInterruptedDropsDropsThePartitionsOfSetsWhoseRowIsGone() throws SQLException {
    EmbeddingSet building = filledBuildingSet("drops", 20);
    EmbeddingSet kept = filledBuildingSet("kept", 5);
    // A dropSet killed between its two steps: the row deleted, the partition still there.
    execute("DELETE FROM " + q(db.name()) + ".embedding_sets WHERE id = " + building.id());
    assertThat(table(building.id())).isTrue();

    assertThat(store.finishInterruptedDrops()).isEqualTo(1);

    assertThat(table(building.id())).isFalse();
    assertThat(table(kept.id())).isTrue();
    assertThat(store.buildingSet("kept")).contains(kept);
    assertThat(store.finishInterruptedDrops()).isZero();
  }

  @Test
  void activateWaitsForAnIndexBuildAnotherSessionIsRunningInsteadOfDroppingIt() throws Exception {
    EmbeddingSet building = filledBuildingSet("orphan", 200);
    String createIndex =
        AnnIndexSql.render(
            new dev.portfolio.index.internal.AnnIndexBuilder(pool, db.name(), 16, 64, 0)
                .createQuery(building.id(), DIMENSION, Distance.COSINE, true));
    try (Connection snapshot = db.dataSource().getConnection();
        Connection builder = db.dataSource().getConnection()) {
      // An open snapshot holds CREATE INDEX CONCURRENTLY in its wait phase, its index invalid:
      // what the server session of a killed process looks like while it goes on building.
      snapshot.setAutoCommit(false);
      snapshot.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      try (Statement s = snapshot.createStatement()) {
        s.execute("SELECT 1");
      }
      ExecutorService threads = Executors.newFixedThreadPool(2);
      CompletableFuture<Void> otherBuild =
          CompletableFuture.runAsync(
              () -> {
                try (Statement s = builder.createStatement()) {
                  s.execute(createIndex);
                } catch (SQLException e) {
                  throw new IllegalStateException(e);
                }
              },
              threads);
      // The build's index is in the catalog, invalid, while it waits for the snapshot.
      await(
          () -> buildInProgress(building.id()) && Boolean.FALSE.equals(validity(building.id())),
          "the other session's build to wait for the snapshot");

      AtomicReference<Thread> activating = new AtomicReference<>();
      CompletableFuture<EmbeddingSet> activation =
          CompletableFuture.supplyAsync(
              () -> {
                activating.set(Thread.currentThread());
                return store.activateSet("orphan", building.id());
              },
              threads);
      await(
          () ->
              activating.get() != null && activating.get().getState() == Thread.State.TIMED_WAITING,
          new Object() {
            @Override
            public String toString() {
              Thread t = activating.get();
              return "activateSet to wait for the other build: "
                  + (t == null ? "not started" : java.util.Arrays.toString(t.getStackTrace()));
            }
          });
      assertThat(activation).isNotDone();

      snapshot.commit();
      otherBuild.get(60, TimeUnit.SECONDS);
      EmbeddingSet active = activation.get(60, TimeUnit.SECONDS);

      assertThat(active.id()).isEqualTo(building.id());
      assertThat(active.state()).isEqualTo(SetState.ACTIVE);
      assertThat(validity(building.id())).isTrue();
      assertThat(store.hasAnnIndex("orphan")).isTrue();
      threads.shutdown();
    }
  }

  @Test
  void aChunkDeletedWhileItsVectorGoesIntoABuildingSetLeavesNoVectorOnceTheSetIsActive()
      throws SQLException {
    store.createCollection(CollectionSpec.of("race", "old-model", DIMENSION));
    for (int d = 0; d < 3; d++) {
      store.upsert("race", List.of(TestStores.doc("doc-" + d, 4, DIMENSION, d)));
    }
    EmbeddingSet building = store.createBuildingSet("race", "new-model", DIMENSION);
    List<Chunk> chunks =
        store
            .listChunks(
                ChunkQuery.of("race", 100)
                    .inSet(building.id())
                    .withEmbeddingState(EmbeddingState.MISSING))
            .items();
    List<EmbeddingUpdate> updates = new ArrayList<>();
    for (Chunk c : chunks) {
      updates.add(
          new EmbeddingUpdate(
              c.id(), TestStores.vector(c.id(), DIMENSION), "new-model", c.contentHash()));
    }
    long victim = chunks.get(0).id();
    try (Connection deleter = pool.getConnection()) {
      // What an upsert that replaces the document does, still uncommitted: the chunk deleted, and
      // with it (trigger) its vectors, of which the building set has none yet.
      deleter.setAutoCommit(false);
      try (Statement s = deleter.createStatement()) {
        s.execute("DELETE FROM " + q(db.name()) + ".chunks WHERE id = " + victim);
      }
      // Writes into a building set take no document locks: the writer still sees the chunk.
      assertThat(store.writeVectors("race", building.id(), updates)).isEqualTo(chunks.size());
      deleter.commit();
    }
    String vectorsOfVictim =
        "SELECT count(*) FROM "
            + q(db.name())
            + ".embeddings WHERE set_id = "
            + building.id()
            + " AND chunk_id = "
            + victim;
    assertThat(single(vectorsOfVictim)).isEqualTo("1");

    store.activateSet("race", building.id());

    assertThat(single(vectorsOfVictim)).isEqualTo("0");
    assertThat(
            single(
                "SELECT count(*) FROM "
                    + q(db.name())
                    + ".embeddings WHERE set_id = "
                    + building.id()))
        .isEqualTo(String.valueOf(chunks.size() - 1));
  }

  /** A collection whose building set holds a vector for each of its chunks. */
  private EmbeddingSet filledBuildingSet(String collection, int documents) {
    store.createCollection(CollectionSpec.of(collection, "old-model", DIMENSION));
    for (int d = 0; d < documents; d++) {
      store.upsert(collection, List.of(TestStores.doc("doc-" + d, 10, DIMENSION, d)));
    }
    EmbeddingSet building = store.createBuildingSet(collection, "new-model", DIMENSION);
    List<EmbeddingUpdate> updates = new ArrayList<>();
    try (var chunks =
        store.streamChunks(
            ChunkQuery.of(collection, 1000)
                .inSet(building.id())
                .withEmbeddingState(EmbeddingState.ANY))) {
      for (Chunk c : (Iterable<Chunk>) chunks::iterator) {
        updates.add(
            new EmbeddingUpdate(
                c.id(), TestStores.vector(c.id(), DIMENSION), "new-model", c.contentHash()));
      }
    }
    assertThat(store.writeVectors(collection, building.id(), updates)).isEqualTo(documents * 10);
    return building;
  }

  private boolean buildInProgress(long setId) {
    return single(
            "SELECT count(*) FROM pg_catalog.pg_stat_progress_create_index WHERE relid ="
                + " to_regclass('"
                + q(db.name())
                + "."
                + AnnIndexSql.partitionName(setId)
                + "')")
        .equals("1");
  }

  private Boolean validity(long setId) {
    try (Connection c = pool.getConnection()) {
      return AnnIndexSql.validity(c, db.name(), AnnIndexSql.indexName(setId));
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private boolean table(long setId) {
    return single(
            "SELECT to_regclass('"
                + q(db.name())
                + "."
                + AnnIndexSql.partitionName(setId)
                + "') IS NOT NULL")
        .equals("t");
  }

  private String single(String sql) {
    try (Connection c = pool.getConnection();
        PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getString(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private void execute(String sql) throws SQLException {
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static void await(java.util.function.BooleanSupplier condition, Object what) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting for %s", what).isLessThan(deadline);
      LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
    }
  }

  private static String q(String identifier) {
    return "\"" + identifier + "\"";
  }
}
