package dev.portfolio.maintenance.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.portfolio.core.hashing.HashingEmbedder;
import dev.portfolio.core.model.Chunk;
import dev.portfolio.core.model.ChunkInput;
import dev.portfolio.core.model.DocumentInput;
import dev.portfolio.core.model.DocumentStatus;
import dev.portfolio.core.model.Embedding;
import dev.portfolio.core.model.EmbeddingUpdate;
import dev.portfolio.core.spi.ProgressReporter;
import dev.portfolio.index.pgvector.PgVectorStore;
import dev.portfolio.index.pgvector.TestStores;
import dev.portfolio.index.testing.PostgresSchemaExtension;
import dev.portfolio.index.testing.TestSchema;
import dev.portfolio.maintenance.Maintenance;
import dev.portfolio.maintenance.jobs.JobRequest;
import dev.portfolio.maintenance.jobs.PgJobQueue;
import dev.portfolio.maintenance.reembed.ReembedOptions;
import dev.portfolio.maintenance.testing.Corpus;
import dev.portfolio.maintenance.testing.Fixture;
import dev.portfolio.maintenance.testing.Superuser;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Health checks on PostgreSQL against defects made for real: rows changed behind the store's back,
 * NaN and wrong-dimension vectors written as a superuser, an index marked invalid in {@code
 * pg_index}, orphans left with foreign keys disabled, a job whose lease ran out. Each test checks,
 * repairs with {@code fix} where the check is repairable, and checks again. Small data: seconds.
 */
@ExtendWith(PostgresSchemaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HealthCheckIT {
  private static final int DIMENSION = 8;

  private TestSchema db;
  private HikariDataSource pool;
  private PgVectorStore store;
  private HashingEmbedder embedder;
  private Maintenance maintenance;
  private PgJobQueue queue;

  @BeforeAll
  void open(TestSchema schema) {
    db = schema;
    TestStores.install(db);
    pool = TestStores.pool(db);
    store = PgVectorStore.builder(pool).schema(db.name()).build();
    embedder = new HashingEmbedder(DIMENSION);
    maintenance = Fixture.maintenance(store, embedder, ProgressReporter.SILENT);
    queue = PgJobQueue.on(store);
  }

  @AfterAll
  void close() {
    store.close();
    pool.close();
  }

  /** A collection of documents with two chunks each, every chunk embedded. */
  private String embeddedCollection(int documents) {
    String name = "h" + UUID.randomUUID().toString().substring(0, 8);
    Fixture.load(store, name, DIMENSION, documents, 2);
    maintenance.reembed(ReembedOptions.builder(name).build());
    return name;
  }

  private HealthReport check(String collection, boolean fix) {
    return maintenance.healthCheck(
        HealthCheckOptions.builder().collections(collection).fix(fix).jobQueue(null).build());
  }

  private String inCollection(String collection) {
    return "collection_id = (SELECT id FROM "
        + s()
        + "collections WHERE name = '"
        + collection
        + "')";
  }

  private String s() {
    return "\"" + db.name() + "\".";
  }

  @Test
  void aHealthyCollectionPassesEveryCheckTheStoreCanAnswer() {
    String c = embeddedCollection(4);

    HealthReport r =
        maintenance.healthCheck(
            HealthCheckOptions.builder()
                .collections(c)
                .deep(true)
                .jobQueue(queue)
                .maxInputTokens(1000)
                .build());

    assertThat(r.failures()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(r.checks()).hasSize(HealthCheckKind.values().length);
    for (HealthCheckKind k :
        List.of(
            HealthCheckKind.MISSING_EMBEDDINGS,
            HealthCheckKind.STALE_EMBEDDINGS,
            HealthCheckKind.CONTENT_INTEGRITY,
            HealthCheckKind.INVALID_VECTORS,
            HealthCheckKind.KEYWORD_INDEX,
            HealthCheckKind.ANN_INDEX,
            HealthCheckKind.TRUNCATED_CHUNKS,
            HealthCheckKind.STUCK_JOBS,
            HealthCheckKind.FAILED_DOCUMENTS)) {
      assertThat(r.check(k).status()).as(k.id()).isEqualTo(HealthStatus.PASS);
    }
    assertThat(r.check(HealthCheckKind.MISSING_EMBEDDINGS).detail()).contains("100.0% covered");
    assertThat(r.check(HealthCheckKind.METADATA_COMPLETENESS).status())
        .isEqualTo(HealthStatus.INFO);
    assertThat(r.check(HealthCheckKind.METADATA_COMPLETENESS).detail())
        .startsWith("not configured");
    assertThat(r.toJson()).contains("\"schemaVersion\" : 1").contains("\"status\" : \"");
  }

  @Test
  void missingStaleZeroAndForeignVectorsFailThenFixReembedsThemInline() {
    String c = embeddedCollection(5);
    store.upsert(c, List.of(Corpus.repeated("late", 2, "arrived after the re-embed")));
    List<Chunk> chunks = Corpus.chunks(store, c, 0);
    Chunk stale = chunks.get(0);
    Chunk zero = chunks.get(1);
    Chunk foreign = chunks.get(2);
    store.writeVectors(
        c,
        0,
        List.of(
            new EmbeddingUpdate(
                stale.id(), Embedding.of(1, 0, 0, 0, 0, 0, 0, 0), stale.embeddingModel(), "old"),
            new EmbeddingUpdate(
                zero.id(),
                Embedding.of(new float[DIMENSION]),
                zero.embeddingModel(),
                zero.contentHash())));
    store.updateEmbeddings(
        c,
        List.of(
            new EmbeddingUpdate(
                foreign.id(), Embedding.of(0, 1, 0, 0, 0, 0, 0, 0), "other:model", "x")));

    HealthReport before = check(c, false);

    assertThat(before.exitCode()).isEqualTo(3);
    CheckResult missing = before.check(HealthCheckKind.MISSING_EMBEDDINGS);
    assertThat(missing.status()).isEqualTo(HealthStatus.FAIL);
    assertThat(missing.count()).isEqualTo(2);
    assertThat(missing.detail()).contains("83.3% covered (2 of 12 missing)");
    assertThat(before.check(HealthCheckKind.STALE_EMBEDDINGS).samples())
        .contains(c + ":" + stale.id());
    CheckResult invalid = before.check(HealthCheckKind.INVALID_VECTORS);
    assertThat(invalid.status()).isEqualTo(HealthStatus.FAIL);
    assertThat(invalid.samples()).containsExactly(c + ":" + zero.id());
    CheckResult other = before.check(HealthCheckKind.FOREIGN_MODEL_VECTORS);
    assertThat(other.count()).isEqualTo(1);
    assertThat(other.samples()).containsExactly(c + ":" + foreign.id());
    assertThat(other.remedy()).isEqualTo(HealthCheckKind.FOREIGN_MODEL_VECTORS.remedy());

    HealthReport fixed = check(c, true);

    assertThat(fixed.repairs()).extracting(Repair::outcome).containsOnly(RepairOutcome.DONE);
    assertThat(fixed.repairs()).extracting(Repair::kind).contains(HealthCheckKind.STALE_EMBEDDINGS);
    assertThat(fixed.failures()).isEmpty();
    assertThat(fixed.exitCode()).isZero();
    Fixture.assertEveryChunkEmbeddedBy(store, c, store.activeSet(c).id(), embedder);
    assertThat(check(c, false).failures()).isEmpty();
  }

  @Test
  void fixQueuesAReembedJobWhenAJobQueueIsGiven() {
    String c = embeddedCollection(2);
    store.upsert(c, List.of(Corpus.repeated("late", 1, "not embedded yet")));

    HealthReport r =
        maintenance.healthCheck(
            HealthCheckOptions.builder().collections(c).fix(true).jobQueue(queue).build());

    Repair repair = r.repairs().get(0);
    assertThat(repair.kind()).isEqualTo(HealthCheckKind.MISSING_EMBEDDINGS);
    assertThat(repair.outcome()).isEqualTo(RepairOutcome.QUEUED);
    long jobId = Long.parseLong(repair.detail().replaceAll("^job (\\d+) .*$", "$1"));
    assertThat(queue.require(jobId).kind()).isEqualTo("reembed");
    assertThat(queue.require(jobId).params().require("collection")).isEqualTo(c);
    assertThat(r.check(HealthCheckKind.MISSING_EMBEDDINGS).status())
        .as("no worker ran the job yet")
        .isEqualTo(HealthStatus.FAIL);
    queue.cancel(jobId);
  }

  @Test
  void nanAndWrongDimensionVectorsWrittenBySqlAreDeletedAndReembedded() throws SQLException {
    String c = embeddedCollection(3);
    long set = store.activeSet(c).id();
    List<Chunk> chunks = Corpus.chunks(store, c, 0);
    long nan = chunks.get(1).id();
    long wrong = chunks.get(2).id();
    String partition = s() + "embeddings_" + set;
    Superuser.execute(
        db,
        "DROP INDEX " + s() + "embeddings_" + set + "_ann",
        "ALTER TABLE " + partition + " DROP CONSTRAINT embeddings_" + set + "_dimension_check",
        "UPDATE " + partition + " SET embedding = '[1,2,3]' WHERE chunk_id = " + wrong,
        // pgvector refuses NaN on every way in: write the bytes while the column is bytea
        "ALTER TABLE " + s() + "embeddings DETACH PARTITION " + partition,
        "UPDATE pg_catalog.pg_attribute SET atttypid = 'bytea'::regtype WHERE attrelid = '"
            + partition
            + "'::regclass AND attname = 'embedding'",
        "UPDATE "
            + partition
            + " SET embedding = decode('08000000' || '0000c07f' || repeat('0000803f', 7), 'hex')"
            + " WHERE chunk_id = "
            + nan,
        "UPDATE pg_catalog.pg_attribute SET atttypid = 'vector'::regtype WHERE attrelid = '"
            + partition
            + "'::regclass AND attname = 'embedding'",
        "ALTER TABLE "
            + s()
            + "embeddings ATTACH PARTITION "
            + partition
            + " FOR VALUES IN ("
            + set
            + ")");

    HealthReport before = check(c, false);

    assertThat(before.check(HealthCheckKind.INVALID_VECTORS).samples())
        .containsExactly(c + ":" + nan);
    assertThat(before.check(HealthCheckKind.DIMENSION_MISMATCH).samples())
        .containsExactly(c + ":" + wrong);
    assertThat(before.check(HealthCheckKind.ANN_INDEX).status())
        .as("a missing index below 10,000 vectors is worth knowing, not a failure")
        .isEqualTo(HealthStatus.INFO);

    HealthReport fixed = check(c, true);

    assertThat(fixed.repairs())
        .filteredOn(x -> x.action().contains("bad vectors"))
        .singleElement()
        .satisfies(x -> assertThat(x.action()).contains("delete 2 bad vectors"));
    assertThat(fixed.check(HealthCheckKind.INVALID_VECTORS).status()).isEqualTo(HealthStatus.PASS);
    assertThat(fixed.check(HealthCheckKind.DIMENSION_MISMATCH).status())
        .isEqualTo(HealthStatus.PASS);
    assertThat(fixed.check(HealthCheckKind.MISSING_EMBEDDINGS).status())
        .isEqualTo(HealthStatus.PASS);
    Fixture.assertEveryChunkEmbeddedBy(store, c, set, embedder);
    store.createAnnIndex(c);
  }

  @Test
  void staleStatisticsAndDeadRowsFailAndFixVacuumsAndAnalysesThem() throws SQLException {
    String c = "h" + UUID.randomUUID().toString().substring(0, 8);
    Fixture.load(store, c, DIMENSION, 1_200, 1);
    String documents = s() + "documents";
    // Autovacuum must not repair the table behind the test's back.
    Superuser.execute(db, "ALTER TABLE " + documents + " SET (autovacuum_enabled = false)");
    try {
      Superuser.execute(db, "ANALYZE " + documents);
      // Every document of the collection rewritten behind the store's back: 1,200 changed rows
      // since the last ANALYZE and 1,200 dead row versions.
      Superuser.execute(
          db, "UPDATE " + documents + " SET updated_at = updated_at WHERE " + inCollection(c));
      // Backends report their table statistics when they end: wait for them.
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      HealthReport before = check(c, false);
      while (before.check(HealthCheckKind.PLANNER_STATISTICS).status() != HealthStatus.FAIL
          && System.nanoTime() < deadline) {
        Thread.onSpinWait();
        before = check(c, false);
      }

      assertThat(before.check(HealthCheckKind.PLANNER_STATISTICS).status())
          .isEqualTo(HealthStatus.FAIL);
      assertThat(before.check(HealthCheckKind.PLANNER_STATISTICS).detail()).contains("documents");
      assertThat(before.check(HealthCheckKind.BLOAT).status())
          .as("dead rows are reported (FAIL from half the table)")
          .isIn(HealthStatus.INFO, HealthStatus.FAIL);

      HealthReport fixed = check(c, true);

      assertThat(fixed.repairs())
          .anySatisfy(
              r -> {
                assertThat(r.outcome()).isEqualTo(RepairOutcome.DONE);
                assertThat(r.action()).contains("VACUUM (ANALYZE)").contains("documents");
              });
      assertThat(fixed.check(HealthCheckKind.PLANNER_STATISTICS).status())
          .as(fixed.check(HealthCheckKind.PLANNER_STATISTICS).detail() + " / " + fixed.repairs())
          .isNotEqualTo(HealthStatus.FAIL);
      assertThat(fixed.check(HealthCheckKind.BLOAT).status()).isEqualTo(HealthStatus.PASS);
    } finally {
      Superuser.execute(db, "ALTER TABLE " + documents + " RESET (autovacuum_enabled)");
    }
  }

  @Test
  void anInvalidAnnIndexFailsAndFixRebuildsIt() throws SQLException {
    String c = embeddedCollection(2);
    long set = store.activeSet(c).id();
    Superuser.execute(
        db,
        "UPDATE pg_catalog.pg_index SET indisvalid = false WHERE indexrelid = '"
            + s()
            + "embeddings_"
            + set
            + "_ann'::regclass");

    HealthReport before = check(c, false);

    CheckResult ann = before.check(HealthCheckKind.ANN_INDEX);
    assertThat(ann.status()).isEqualTo(HealthStatus.FAIL);
    assertThat(ann.samples()).containsExactly(c + ":" + set);
    assertThat(ann.detail()).contains("index invalid");

    HealthReport fixed = check(c, true);

    assertThat(fixed.repairs())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.kind()).isEqualTo(HealthCheckKind.ANN_INDEX);
              assertThat(r.outcome()).isEqualTo(RepairOutcome.DONE);
              assertThat(r.action()).contains("rebuild the invalid ANN index");
            });
    assertThat(fixed.check(HealthCheckKind.ANN_INDEX).status()).isEqualTo(HealthStatus.PASS);
    assertThat(store.hasAnnIndex(c)).isTrue();
  }

  @Test
  void anInvalidMetadataFilterIndexFailsAndFixRebuildsIt() throws SQLException {
    String c = embeddedCollection(2);
    store.defineFilters(c, java.util.Set.of("lang"));
    String index = store.filters(c).indexName();
    Superuser.execute(
        db,
        "UPDATE pg_catalog.pg_index SET indisvalid = false WHERE indexrelid = '"
            + s()
            + index
            + "'::regclass");

    HealthReport before = check(c, false);

    CheckResult ann = before.check(HealthCheckKind.ANN_INDEX);
    assertThat(ann.status()).isEqualTo(HealthStatus.FAIL);
    assertThat(ann.samples()).as("reported once").containsExactly(c + ":" + index);
    assertThat(ann.detail())
        .isEqualTo(c + " metadata filter index " + index + " invalid (filters [lang])");

    HealthReport fixed = check(c, true);

    assertThat(fixed.repairs())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.kind()).isEqualTo(HealthCheckKind.ANN_INDEX);
              assertThat(r.outcome()).isEqualTo(RepairOutcome.DONE);
              assertThat(r.action())
                  .isEqualTo(
                      "rebuild the invalid metadata filter index "
                          + index
                          + " of "
                          + c
                          + " concurrently");
            });
    assertThat(fixed.check(HealthCheckKind.ANN_INDEX).status()).isEqualTo(HealthStatus.PASS);
    assertThat(store.filters(c).index())
        .isEqualTo(dev.portfolio.core.model.MetadataFilters.IndexState.VALID);
  }

  @Test
  void orphansLeftWithForeignKeysOffAreRemovedByFix() throws SQLException {
    String c = embeddedCollection(3);
    Superuser.execute(
        db,
        "SET session_replication_role = replica",
        "DELETE FROM " + s() + "documents WHERE key = 'doc-0' AND " + inCollection(c),
        "DELETE FROM "
            + s()
            + "chunks WHERE document_id = (SELECT id FROM "
            + s()
            + "documents WHERE key = 'doc-1' AND "
            + inCollection(c)
            + ")",
        "SET session_replication_role = origin",
        "UPDATE "
            + s()
            + "documents SET status = 'ready' WHERE key = 'doc-1' AND "
            + inCollection(c));

    HealthReport before = check(c, false);

    assertThat(before.check(HealthCheckKind.ORPHANED_CHUNKS).count()).isEqualTo(2);
    assertThat(before.check(HealthCheckKind.ORPHANED_VECTORS).count())
        .as("the vectors of doc-1's chunks")
        .isEqualTo(2);
    assertThat(before.check(HealthCheckKind.DOCUMENTS_WITHOUT_CHUNKS).count()).isEqualTo(1);

    HealthReport fixed = check(c, true);

    assertThat(fixed.repairs())
        .extracting(Repair::action)
        .contains("remove orphaned rows (whole store)");
    for (HealthCheckKind k :
        List.of(
            HealthCheckKind.ORPHANED_CHUNKS,
            HealthCheckKind.ORPHANED_VECTORS,
            HealthCheckKind.DOCUMENTS_WITHOUT_CHUNKS)) {
      assertThat(fixed.check(k).status()).as(k.id()).isEqualTo(HealthStatus.PASS);
    }
    assertThat(store.findDocument(c, "doc-1")).isEmpty();
  }

  @Test
  void textTsvectorMetadataFailuresAndTruncationAreReportedButNotRepaired() {
    String c = embeddedCollection(4);
    store.upsert(
        c,
        List.of(
            DocumentInput.builder("long")
                .metadata("owner", "ops")
                .chunks(List.of(new ChunkInput(0, "a long chunk of text", 50, null, null, null)))
                .build()));
    maintenance.reembed(ReembedOptions.builder(c).build());
    List<Chunk> chunks = Corpus.chunks(store, c, 0);
    long tampered = chunks.get(0).id();
    long wordless = chunks.get(1).id();
    try (var conn = pool.getConnection();
        var st = conn.createStatement()) {
      st.execute(
          "UPDATE " + s() + "chunks SET text = 'changed behind the store' WHERE id = " + tampered);
      st.execute("UPDATE " + s() + "chunks SET text_tsv = ''::tsvector WHERE id = " + wordless);
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
    store.updateStatus(c, "doc-3", DocumentStatus.FAILED, "rejected by the model");

    HealthCheckOptions.Builder options =
        HealthCheckOptions.builder()
            .collections(c)
            .requiredMetadataKeys(c, "owner")
            .maxInputTokens(10)
            .buildingSetMaxAge(Duration.ofDays(1));
    HealthReport before = maintenance.healthCheck(options.build());

    CheckResult integrity = before.check(HealthCheckKind.CONTENT_INTEGRITY);
    assertThat(integrity.status()).isEqualTo(HealthStatus.FAIL);
    assertThat(integrity.samples()).containsExactly(c + ":" + tampered);
    assertThat(before.check(HealthCheckKind.KEYWORD_INDEX).samples())
        .containsExactly(c + ":" + wordless);
    CheckResult metadata = before.check(HealthCheckKind.METADATA_COMPLETENESS);
    assertThat(metadata.status()).isEqualTo(HealthStatus.FAIL);
    assertThat(metadata.count()).as("every document but 'long'").isEqualTo(4);
    CheckResult truncated = before.check(HealthCheckKind.TRUNCATED_CHUNKS);
    assertThat(truncated.status()).isEqualTo(HealthStatus.INFO);
    assertThat(truncated.count()).isEqualTo(1);
    CheckResult failed = before.check(HealthCheckKind.FAILED_DOCUMENTS);
    assertThat(failed.status()).as("1 of 5 is above 1%").isEqualTo(HealthStatus.FAIL);
    assertThat(failed.samples()).containsExactly(c + ":doc-3");
    assertThat(before.check(HealthCheckKind.STALE_EMBEDDINGS).status())
        .as("the tampered chunk's hash was not updated, so its vector does not look stale")
        .isEqualTo(HealthStatus.PASS);

    HealthReport after = maintenance.healthCheck(options.fix(true).build());

    assertThat(after.repairs()).isEmpty();
    assertThat(after.check(HealthCheckKind.CONTENT_INTEGRITY).status())
        .isEqualTo(HealthStatus.FAIL);
    assertThat(after.exitCode()).isEqualTo(3);
  }

  @Test
  void documentsLackingADeclaredFilterKeyFailMetadataCompletenessUnlessOptionsNameOtherKeys() {
    String c = embeddedCollection(4);
    store.upsert(
        c,
        List.of(
            DocumentInput.builder("tagged")
                .metadata("lang", "fr")
                .chunks(List.of(ChunkInput.of(0, "bonjour tout le monde")))
                .build()));
    maintenance.reembed(ReembedOptions.builder(c).build());
    store.defineFilters(c, java.util.Set.of("lang"));

    CheckResult fromFilters = check(c, false).check(HealthCheckKind.METADATA_COMPLETENESS);
    CheckResult fromOptions =
        maintenance
            .healthCheck(
                HealthCheckOptions.builder()
                    .collections(c)
                    .requiredMetadataKeys(c, "owner")
                    .jobQueue(null)
                    .build())
            .check(HealthCheckKind.METADATA_COMPLETENESS);

    assertThat(fromFilters.status()).isEqualTo(HealthStatus.FAIL);
    assertThat(fromFilters.count()).as("every document but 'tagged'").isEqualTo(4);
    assertThat(fromFilters.detail())
        .isEqualTo(
            c
                + " 4 of 5 documents lack one of [lang] (its declared filters: filtered searches"
                + " cannot find them)");
    assertThat(fromFilters.samples()).contains(c + ":doc-0").doesNotContain(c + ":tagged");
    assertThat(fromOptions.count()).as("the options' keys replace the filters").isEqualTo(5);
    assertThat(fromOptions.detail()).isEqualTo(c + " 5 of 5 documents lack one of [owner]");
  }

  @Test
  void aStalledModelSwitchAndAJobPastItsLeaseFail() throws SQLException {
    String c = embeddedCollection(2);
    store.createBuildingSet(c, "hashing:next", 4);
    long job = queue.submit(JobRequest.builder("reembed").param("collection", c).build()).id();
    try (var conn = pool.getConnection();
        var st = conn.createStatement()) {
      st.execute(
          "UPDATE "
              + s()
              + "jobs SET status = 'running', lease_owner = 'dead-worker',"
              + " lease_expires_at = now() - interval '1 hour', started_at = now() WHERE id = "
              + job);
    }

    HealthReport young =
        maintenance.healthCheck(
            HealthCheckOptions.builder().collections(c).jobQueue(queue).build());
    HealthReport old =
        maintenance.healthCheck(
            HealthCheckOptions.builder()
                .collections(c)
                .jobQueue(queue)
                .buildingSetMaxAge(Duration.ofMillis(1))
                .build());

    assertThat(young.check(HealthCheckKind.STALLED_BUILDING_SET).status())
        .isEqualTo(HealthStatus.INFO);
    assertThat(old.check(HealthCheckKind.STALLED_BUILDING_SET).status())
        .isEqualTo(HealthStatus.FAIL);
    CheckResult stuck = old.check(HealthCheckKind.STUCK_JOBS);
    assertThat(stuck.status()).isEqualTo(HealthStatus.FAIL);
    assertThat(stuck.samples()).containsExactly(Long.toString(job));
    queue.cancel(job);
    maintenance.abandonSwitch(c);
  }
}
