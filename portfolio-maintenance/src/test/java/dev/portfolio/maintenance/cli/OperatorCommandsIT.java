package dev.portfolio.maintenance.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import dev.portfolio.core.hashing.HashingEmbedder;
import dev.portfolio.core.model.Chunk;
import dev.portfolio.core.model.CollectionSpec;
import dev.portfolio.core.model.DocumentStatus;
import dev.portfolio.core.spi.ProgressReporter;
import dev.portfolio.index.pgvector.PgVectorStore;
import dev.portfolio.index.pgvector.TestStores;
import dev.portfolio.index.testing.PostgresSchemaExtension;
import dev.portfolio.index.testing.TestSchema;
import dev.portfolio.maintenance.cli.JarProcess.Result;
import dev.portfolio.maintenance.reembed.ReembedOptions;
import dev.portfolio.maintenance.testing.Corpus;
import dev.portfolio.maintenance.testing.Fixture;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The operator commands of the built jar, run as a separate process against PostgreSQL:
 * diagnostics, stats, verify, retry-failed, cleanup deleted and orphans, delete-source. One small
 * collection ({@value #DOCS} documents of 3 chunks, all embedded) in the class's schema; each test
 * makes the defect its command is for, behind the store's back where the store would refuse.
 */
@ExtendWith(PostgresSchemaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorCommandsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String C = "ops";
  private static final int DOCS = 12;
  private static final String[] EMBEDDER = {
    "--embedder", "hashing", "--embedder-opt", "dimension=8"
  };

  private TestSchema db;
  private Map<String, String> env;
  private HikariDataSource pool;
  private PgVectorStore store;

  @BeforeAll
  void load(TestSchema schema) {
    db = schema;
    TestStores.install(db);
    pool = TestStores.pool(db);
    store = PgVectorStore.builder(pool).schema(db.name()).build();
    env = Map.of("PORTFOLIO_JDBC_URL", db.jdbcUrl(), "PORTFOLIO_SCHEMA", db.name());
    Fixture.load(store, C, 8, DOCS, 3);
    Fixture.maintenance(store, new HashingEmbedder(8), ProgressReporter.SILENT)
        .reembed(ReembedOptions.builder(C).build());
  }

  @AfterAll
  void close() {
    store.close();
    pool.close();
  }

  /** Runs the jar in its own JVM: once per command, as starting a JVM takes seconds here. */
  private Result jar(String... args) throws Exception {
    return shown(args, JarProcess.run(env, args));
  }

  /** Runs the command line in this JVM on the same database, for the variations of a command. */
  private Result run(String... args) {
    InProcess r = InProcess.run(env, args);
    return shown(args, new Result(r.exitCode(), r.out(), r.err()));
  }

  private static Result shown(String[] args, Result r) {
    // The real output, for README.md's examples.
    System.out.println("$ portfolio " + String.join(" ", args) + "\n" + r);
    return r;
  }

  /** The arguments of a retry-failed run, with the collection's embedder. */
  private static String[] retry(String... args) {
    List<String> all = new ArrayList<>(List.of("retry-failed"));
    all.addAll(List.of(args));
    all.addAll(List.of("--embedder", "hashing", "--embedder-opt", "dimension=8"));
    return all.toArray(String[]::new);
  }

  private static JsonNode json(Result r, int exitCode) throws Exception {
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(exitCode);
    return JSON.readTree(r.out());
  }

  private void sql(String... statements) throws Exception {
    try (Connection c = db.dataSource().getConnection();
        Statement st = c.createStatement()) {
      for (String s : statements) {
        st.execute(s);
      }
    }
  }

  private String table(String name) {
    return "\"" + db.name() + "\"." + name;
  }

  @Test
  @Order(1)
  void diagnosticsPrintsTablesPerCollectionAndSetAndTheSameAsJson() throws Exception {
    long setId = store.activeSet(C).id();
    Result human = jar("diagnostics");
    assertThat(human.exitCode()).as(human.toString()).isZero();
    assertThat(human.out())
        .startsWith("Diagnostics at ")
        .contains("Configuration", "Collections", "Embedding sets", "Storage: ")
        .containsPattern("\n  store\\.schema +" + db.name() + "\n")
        .containsPattern("\n  ops +12 +0 +36 +3 +0 +0 ")
        .containsPattern("\n  ops +" + setId + " +active +hashing:hashing-v1 +8 +36 +100.00% ")
        .doesNotContain("password=portfolio");
    assertThat(human.out())
        .as("no embedder: the line says why and where one is given")
        .containsPattern(
            "\n  embedder +not used by diagnostics; commands that embed take --embedder or"
                + " PORTFOLIO_EMBEDDER \\(each set's model is under Embedding sets\\)\n")
        .doesNotContainPattern("embedder +none");
    assertThat(human.err()).isEmpty();

    JsonNode d = json(run("diagnostics", "--json"), 0);
    assertThat(d.get("takenAt").asText()).endsWith("Z");
    assertThat(d.get("configuration").get("embedder").asText())
        .as("the JSON is unchanged")
        .isEqualTo("none");
    assertThat(d.get("configuration").get("store.schema").asText()).isEqualTo(db.name());
    JsonNode ops = d.get("collections").get(0);
    assertThat(ops.get("name").asText()).isEqualTo(C);
    assertThat(ops.get("documents").asLong()).isEqualTo(DOCS);
    assertThat(ops.get("documentsByStatus").get("pending").asLong())
        .as("upserted without vectors, embedded by reembed")
        .isEqualTo(DOCS);
    assertThat(ops.get("chunks").asLong()).isEqualTo(36);
    assertThat(ops.get("missing").asLong()).isZero();
    assertThat(ops.get("activeSet").get("id").asLong()).isEqualTo(setId);
    assertThat(ops.get("activeSet").get("vectors").asLong()).isEqualTo(36);
    assertThat(ops.get("activeSet").get("annIndex").asText()).isEqualTo("valid");
    assertThat(ops.get("buildingSet").isNull()).isTrue();
    assertThat(d.get("storage").findValuesAsText("name")).contains("chunks", "embeddings_" + setId);
    assertThat(d.get("totalBytes").asLong()).isPositive();
  }

  @Test
  @Order(2)
  void statsReportsCountsIndexHealthAndPerformance() throws Exception {
    JsonNode s = json(jar("stats", "--json"), 0);
    assertThat(s.get("workspace").isNull()).isTrue();
    assertThat(s.get("documents").asLong()).isEqualTo(DOCS);
    assertThat(s.get("chunks").asLong()).isEqualTo(36);
    assertThat(s.get("sources").asLong()).isEqualTo(3);
    assertThat(s.get("storeBytes").asLong()).isPositive();
    assertThat(s.get("indexHealth").get("level").asText()).isIn("healthy", "degraded", "critical");
    assertThat(s.get("indexHealth").get("findings").isArray()).isTrue();
    assertThat(s.get("performance").get("windowSeconds").asLong()).isEqualTo(900);
    assertThat(s.get("performance").get("operations").findValuesAsText("operation"))
        .as("the fixture's upserts, from the operation log")
        .contains("upsert");

    Result w = run("stats", "--workspace", "nobody", "--window", "1h");
    assertThat(w.exitCode()).as(w.toString()).isZero();
    assertThat(w.out())
        .startsWith("Statistics at ")
        .containsPattern("\n  documents +0\n")
        .contains("Index health: ", "Performance over the last 3600 s");
  }

  @Test
  @Order(3)
  void verifyExitsZeroWhenCleanAndOneWithTheProblemsItFinds() throws Exception {
    long setId = store.activeSet(C).id();
    Result clean = run("verify", "-c", C);
    assertThat(clean.exitCode()).as(clean.toString()).isZero();
    assertThat(clean.out()).startsWith("Verified 36 vectors in 1 sets in ").contains("no problem");
    assertThat(clean.err())
        .as("piped: plain lines that end with the figures, not the summary printed on stdout")
        .contains("verify embeddings [ops]: started, 36 to do\n")
        .containsPattern("verify embeddings \\[ops\\]: done in \\d:\\d\\d, 36/36 at [0-9,.]+/s\n$")
        .doesNotContain("\r");

    long stale = Corpus.chunks(store, C, setId).stream().mapToLong(Chunk::id).min().orElseThrow();
    sql(
        "UPDATE "
            + table("embeddings_" + setId)
            + " SET content_hash = 'older text' WHERE chunk_id = "
            + stale);
    Result found = jar("verify");
    assertThat(found.exitCode()).as(found.toString()).isEqualTo(ExitCodes.FAILURE);
    assertThat(found.out())
        .startsWith("Verified 36 vectors in 1 sets in ")
        .contains(": problems found")
        .containsPattern(
            "\n  ops +" + setId + " +active +hashing:hashing-v1 +36 +stale +1 +" + stale);
    assertThat(found.err())
        .startsWith("verify embeddings: started, 36 to do\n")
        .containsPattern(
            "\nverify embeddings: done in \\d:\\d\\d, 36/36 at [0-9,.]+/s\n"
                + "1 problem found\\. Stale vectors: 'portfolio reembed -c NAME --only-stale'"
                + " re-embeds them\\.\n$");

    JsonNode v = json(run("verify", "--json", "--progress", "none"), ExitCodes.FAILURE);
    assertThat(v.get("clean").asBoolean()).isFalse();
    assertThat(v.get("examined").asLong()).isEqualTo(36);
    assertThat(v.get("totals").get("stale").asLong()).isEqualTo(1);
    assertThat(v.get("totals").get("nonFinite").asLong()).isZero();
    JsonNode set = v.get("sets").get(0);
    assertThat(set.get("setId").asLong()).isEqualTo(setId);
    assertThat(set.get("state").asText()).isEqualTo("active");
    JsonNode staleFinding = set.get("findings").get(4);
    assertThat(staleFinding.get("kind").asText()).isEqualTo("stale");
    assertThat(staleFinding.get("sampleChunkIds").get(0).asLong()).isEqualTo(stale);

    Result bySet = run("verify", "-c", C, "--set", Long.toString(setId), "--progress", "none");
    assertThat(bySet.exitCode()).as(bySet.toString()).isEqualTo(ExitCodes.FAILURE);
    assertThat(bySet.out()).containsPattern("\n  ops +" + setId + " +active .* stale +1 +" + stale);
    Result noSet = run("verify", "-c", C, "--set", "999999");
    assertThat(noSet.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(noSet.err())
        .isEqualTo(
            "portfolio verify: No embedding set 999999 in [ops]; the sets there are ["
                + setId
                + "].\n");

    // Repair, as the advice says, so that the later tests start clean.
    Fixture.maintenance(store, new HashingEmbedder(8), ProgressReporter.SILENT)
        .reembed(
            ReembedOptions.builder(C)
                .mode(dev.portfolio.maintenance.reembed.ReembedMode.STALE)
                .build());
  }

  @Test
  @Order(4)
  void retryFailedRecoversWhatItCanAndExitsOneForWhatItGaveUp() throws Exception {
    store.updateStatus(C, "doc-0", DocumentStatus.FAILED, "rejected once");
    store.updateStatus(C, "doc-1", DocumentStatus.FAILED, "rejected once");
    for (int i = 0; i < 3; i++) {
      store.updateStatus(C, "doc-2", DocumentStatus.FAILED, "rejected " + (i + 1) + " times");
    }

    Result dry = run(retry("--max-attempts", "2", "--dry-run"));
    assertThat(dry.exitCode()).as(dry.toString()).isZero();
    assertThat(dry.out())
        .startsWith("retry-failed ops (set ")
        .contains("[dry run]: 3 failed documents, would retry 2 (")
        .contains("and give up 1");
    assertThat(store.findDocument(C, "doc-0").orElseThrow().status())
        .isEqualTo(DocumentStatus.FAILED);

    Result r = jar(retry("-c", C, "--max-attempts", "2"));
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.FAILURE);
    assertThat(r.out())
        .contains("3 failed documents examined, 2 retried: 2 recovered, 0 failed again, 1 given up")
        .containsPattern("\ndoc-2 +gave-up +3 +rejected 3 times\n");
    assertThat(r.err())
        .contains(
            "1 document is still failing (1 given up: marked permanent, never retried again)");
    assertThat(store.findDocument(C, "doc-0").orElseThrow().status())
        .isEqualTo(DocumentStatus.READY);

    JsonNode again = json(run(retry("--json", "--progress", "none")), 0);
    assertThat(again.get("collection").asText()).isEqualTo(C);
    assertThat(again.get("examined").asLong()).isEqualTo(1);
    assertThat(again.get("alreadyPermanent").asLong()).isEqualTo(1);
    assertThat(again.get("retried").asLong()).isZero();
    assertThat(again.get("documents")).isEmpty();
    assertThat(again.get("usage").get("requests").asLong()).isZero();
  }

  @Test
  @Order(5)
  void cleanupDeletedPurgesSoftDeletedDocumentsOlderThanAnAge() throws Exception {
    assertThat(store.softDelete(C, "doc-3")).isTrue();
    assertThat(store.softDelete(C, "doc-4")).isTrue();

    Result young = run("cleanup", "deleted", "--older-than", "1h");
    assertThat(young.exitCode()).as(young.toString()).isZero();
    assertThat(young.out())
        .startsWith("cleanup-deleted (deleted before ")
        .contains(": 0 documents, 0 chunks, 0 vectors removed");

    Result dry = run("cleanup", "deleted", "--dry-run");
    assertThat(dry.out())
        .startsWith(
            "cleanup-deleted (every soft-deleted document) [dry run]: would remove 2 documents,"
                + " 6 chunks, 6 vectors from 1 collections; nothing was changed");
    assertThat(store.findDocument(C, "doc-3")).isPresent();

    JsonNode r = json(jar("cleanup", "deleted", "-c", C, "--batch-size", "1", "--json"), 0);
    assertThat(r.get("deletedBefore").isNull()).isTrue();
    assertThat(r.get("dryRun").asBoolean()).isFalse();
    assertThat(r.get("documents").asLong()).isEqualTo(2);
    assertThat(r.get("chunks").asLong()).isEqualTo(6);
    assertThat(r.get("vectors").asLong()).isEqualTo(6);
    assertThat(r.get("collections").get(0).get("batches").asInt()).isEqualTo(2);
    assertThat(r.get("vacuum").findValuesAsText("table"))
        .contains("documents", "chunks", "embeddings");
    assertThat(r.get("vacuum").findValuesAsText("status")).allMatch(s -> s.equals("done"));
    assertThat(store.findDocument(C, "doc-3")).isEmpty();
  }

  @Test
  @Order(6)
  void cleanupOrphansCountsThenRemovesVectorsWhoseChunkIsGone() throws Exception {
    long setId = store.activeSet(C).id();
    String chunks = table("chunks");
    sql(
        "ALTER TABLE " + chunks + " DISABLE TRIGGER chunks_delete_embeddings",
        "DELETE FROM "
            + chunks
            + " WHERE ordinal = 0 AND document_id = (SELECT id FROM "
            + table("documents")
            + " WHERE key = 'doc-5')",
        "ALTER TABLE " + chunks + " ENABLE TRIGGER chunks_delete_embeddings");

    Result dry = jar("cleanup", "orphans", "--dry-run");
    assertThat(dry.exitCode()).as(dry.toString()).isZero();
    assertThat(dry.out())
        .startsWith("cleanup-orphans [dry run]: 0 chunks without document, ")
        .contains("1 vectors without chunk")
        .containsPattern("\nvectors-without-chunk +1 +-\n");

    JsonNode r = json(run("cleanup", "orphans", "--batch-size", "1", "--json"), 0);
    assertThat(r.get("found").asLong()).isEqualTo(1);
    assertThat(r.get("removed").asLong()).isEqualTo(1);
    JsonNode kinds = r.get("orphans");
    assertThat(kinds.findValuesAsText("kind"))
        .containsExactly(
            "chunks_without_document",
            "ready_documents_without_chunks",
            "vectors_without_chunk",
            "vectors_without_set");
    assertThat(kinds.get(2).get("removed").asLong()).isEqualTo(1);
    assertThat(r.get("retiredSets")).isEmpty();
    assertThat(
            Fixture.maintenance(store, null, ProgressReporter.SILENT)
                .cleanupOrphans(true, 100)
                .found())
        .isZero();
    assertThat(store.activeSet(C).id()).isEqualTo(setId);
  }

  @Test
  @Order(7)
  void deleteSourceNeedsYesAndTheCollectionWhenThereAreSeveral() throws Exception {
    long before = store.stats(C).liveDocuments();
    Result noYes = run("delete-source", "src-0", "-c", C);
    assertThat(noYes.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(noYes.err()).contains("add --yes to confirm");

    Result dry = run("delete-source", "src-0", "--dry-run");
    assertThat(dry.exitCode()).as(dry.toString()).isZero();
    assertThat(dry.out()).startsWith("delete-source ops 'src-0' [dry run]: would remove ");
    assertThat(store.stats(C).liveDocuments()).isEqualTo(before);

    JsonNode r = json(jar("delete-source", "src-0", "-c", C, "--yes", "--json"), 0);
    assertThat(r.get("collection").asText()).isEqualTo(C);
    assertThat(r.get("sourceId").asText()).isEqualTo("src-0");
    assertThat(r.get("documents").asLong()).isPositive();
    assertThat(r.get("chunks").asLong()).isPositive();
    assertThat(store.stats(C).liveDocuments()).isEqualTo(before - r.get("documents").asLong());

    store.createCollection(CollectionSpec.of("ops-two", "m:x", 4));
    Result which = run("delete-source", "src-1", "--yes");
    assertThat(which.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(which.err())
        .startsWith(
            "portfolio delete-source: there are 2 collections (ops, ops-two); name one with -c NAME\n");
    Result gone = run("delete-source", "src-1", "-c", "nope", "--yes");
    assertThat(gone.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(gone.err()).contains("nope").doesNotContain("\tat ");
  }
}
