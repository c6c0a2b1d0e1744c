package dev.portfolio.maintenance.verify;

import static dev.portfolio.maintenance.testing.Fixture.maintenance;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.portfolio.core.inspect.VectorScanQuery;
import dev.portfolio.core.model.Chunk;
import dev.portfolio.core.spi.ProgressEvent;
import dev.portfolio.core.spi.ProgressReporter;
import dev.portfolio.index.pgvector.PgVectorStore;
import dev.portfolio.index.pgvector.TestStores;
import dev.portfolio.index.testing.PostgresSchemaExtension;
import dev.portfolio.index.testing.TestSchema;
import dev.portfolio.maintenance.testing.RecordingReporter;
import dev.portfolio.maintenance.testing.Scene;
import dev.portfolio.maintenance.testing.Superuser;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Verification on PostgreSQL against rows corrupted behind the store's back: each kind of problem
 * is written with SQL (as a superuser where the schema's CHECK or pgvector itself forbids it), then
 * verification must count it and name the chunk.
 */
@ExtendWith(PostgresSchemaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VerifyEmbeddingsIT {
  private static final long ORPHAN_ID = 999_999_999L;

  private TestSchema db;
  private HikariDataSource pool;
  private PgVectorStore store;
  private Scene scene;
  private long setId;
  private long dimensionId;
  private long nanId;
  private long infinityId;
  private long zeroId;
  private long modelId;
  private long staleId;

  @BeforeAll
  void corrupt(TestSchema schema) throws SQLException {
    db = schema;
    TestStores.install(db);
    pool = TestStores.pool(db);
    store = PgVectorStore.builder(pool).schema(db.name()).build();
    scene = Scene.load(store, "corrupt");
    setId = store.activeSet("corrupt").id();
    List<Chunk> c = scene.chunks();
    dimensionId = c.get(40).id();
    nanId = c.get(41).id();
    infinityId = c.get(42).id();
    zeroId = c.get(43).id();
    modelId = c.get(44).id();
    staleId = c.get(45).id();
    String s = "\"" + db.name() + "\".";
    String partition = s + "embeddings_" + setId;
    Superuser.execute(
        db,
        // the ANN index would evaluate (embedding::vector(8)) for every corrupted row
        "DROP INDEX " + s + "embeddings_" + setId + "_ann",
        "ALTER TABLE " + partition + " DROP CONSTRAINT embeddings_" + setId + "_dimension_check",
        "UPDATE " + partition + " SET embedding = '[1,2,3]' WHERE chunk_id = " + dimensionId,
        "UPDATE "
            + partition
            + " SET embedding = array_fill(0, ARRAY[8])::vector"
            + " WHERE chunk_id = "
            + zeroId,
        "UPDATE " + partition + " SET model = 'rogue:model' WHERE chunk_id = " + modelId,
        "UPDATE " + partition + " SET content_hash = 'not-the-text' WHERE chunk_id = " + staleId,
        "INSERT INTO "
            + s
            + "embeddings (set_id, chunk_id, collection_id, content_hash, embedding)"
            + " SELECT "
            + setId
            + ", "
            + ORPHAN_ID
            + ", collection_id, 'x', embedding FROM "
            + partition
            + " WHERE chunk_id = "
            + modelId,
        // pgvector refuses NaN and infinities on every way in, so the bytes are written while the
        // detached partition's column is seen as bytea: dimension 8 (int16), unused (int16), then
        // 8 float4 values; then the partition is attached again
        "ALTER TABLE " + s + "embeddings DETACH PARTITION " + partition,
        "UPDATE pg_catalog.pg_attribute SET atttypid = 'bytea'::regtype WHERE attrelid = '"
            + partition
            + "'::regclass AND attname = 'embedding'",
        "UPDATE "
            + partition
            + " SET embedding = decode('08000000' || '0000c07f'"
            + " || repeat('0000803f', 7), 'hex') WHERE chunk_id = "
            + nanId,
        "UPDATE "
            + partition
            + " SET embedding = decode('08000000' || repeat('0000803f', 7)"
            + " || '000080ff', 'hex') WHERE chunk_id = "
            + infinityId,
        "UPDATE pg_catalog.pg_attribute SET atttypid = 'vector'::regtype WHERE attrelid = '"
            + partition
            + "'::regclass AND attname = 'embedding'",
        "ALTER TABLE "
            + s
            + "embeddings ATTACH PARTITION "
            + partition
            + " FOR VALUES IN ("
            + setId
            + ")");
    try (Connection conn = Superuser.connect(db);
        Statement st = conn.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT embedding::text FROM "
                    + partition
                    + " WHERE chunk_id IN ("
                    + nanId
                    + ", "
                    + infinityId
                    + ") ORDER BY chunk_id")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).startsWith("[NaN,1,");
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).endsWith(",1,-Infinity]");
    }
  }

  @AfterAll
  void close() {
    store.close();
    pool.close();
  }

  @Test
  void everyCorruptedVectorIsCountedAndNamedByItsChunk() {
    RecordingReporter reporter = new RecordingReporter();
    long logged = operationLogRows();

    VerifyReport report =
        maintenance(store, null, reporter)
            .verifyEmbeddings(VerifyOptions.builder().collections("corrupt").pageSize(16).build());

    SetVerification active = report.set("corrupt", setId).orElseThrow();
    assertThat(active.examined()).as("57 vectors and the orphan").isEqualTo(58);
    assertThat(active.finding(FindingKind.DIMENSION_MISMATCH).sampleChunkIds())
        .containsExactly(dimensionId);
    assertThat(active.finding(FindingKind.NON_FINITE).sampleChunkIds())
        .containsExactly(nanId, infinityId);
    assertThat(active.finding(FindingKind.ZERO_VECTOR).sampleChunkIds())
        .containsExactly(scene.zeroId(), zeroId);
    assertThat(active.finding(FindingKind.MODEL_MISMATCH).sampleChunkIds())
        .containsExactly(scene.foreignId(), modelId);
    List<Long> stale = new ArrayList<>(scene.staleIds());
    stale.add(staleId);
    assertThat(active.finding(FindingKind.STALE).sampleChunkIds()).containsExactlyElementsOf(stale);
    assertThat(active.finding(FindingKind.ORPHAN).sampleChunkIds()).containsExactly(ORPHAN_ID);
    assertThat(active.finding(FindingKind.ORPHAN).count()).isEqualTo(1);
    SetVerification building = report.set("corrupt", scene.buildingSet().id()).orElseThrow();
    assertThat(building.isClean()).isTrue();
    assertThat(building.examined()).isEqualTo(10);
    assertThat(report.toString())
        .contains("dimension_mismatch", "non_finite", "zero_vector", "model_mismatch", "orphan")
        .contains(nanId + "," + infinityId);
    assertThat(reporter.events("progressed", "verify embeddings")).hasSizeGreaterThanOrEqualTo(4);
    ProgressEvent done = reporter.events("finished", "verify embeddings").get(0);
    assertThat(done.current()).isEqualTo(68);
    assertThat(operationLogRows()).as("verification only reads").isEqualTo(logged);
  }

  @Test
  void aSampledRunExaminesOnlyTheSampledChunks() {
    List<Long> present = new ArrayList<>();
    for (Chunk c : scene.chunks().subList(3, scene.chunks().size())) {
      present.add(c.id());
    }
    present.add(ORPHAN_ID);
    long expected = present.stream().filter(id -> VectorScanQuery.sampled(id, 0.25)).count();

    VerifyReport report =
        maintenance(store, null, ProgressReporter.SILENT)
            .verifyEmbeddings(
                VerifyOptions.builder()
                    .collections("corrupt")
                    .sampleRate(0.25)
                    .pageSize(5)
                    .build());

    SetVerification active = report.set("corrupt", setId).orElseThrow();
    assertThat(active.examined()).isEqualTo(expected).isLessThan(present.size());
    for (FindingKind kind : FindingKind.values()) {
      assertThat(active.finding(kind).sampleChunkIds())
          .as(kind.name())
          .allMatch(id -> VectorScanQuery.sampled(id, 0.25));
    }
  }

  private long operationLogRows() {
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM \"" + db.name() + "\".operation_log")) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
