package dev.portfolio.maintenance.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portfolio.core.hashing.HashingEmbedder;
import dev.portfolio.core.spi.ProgressReporter;
import dev.portfolio.maintenance.cli.JarProcess.Result;
import dev.portfolio.maintenance.reembed.ReembedOptions;
import dev.portfolio.maintenance.testing.Corpus;
import dev.portfolio.maintenance.testing.Fixture;
import dev.portfolio.maintenance.testing.Superuser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code portfolio health} as an operator runs it: the shaded jar in its own JVM against PostgreSQL
 * with defects present (an invalid ANN index, chunks without a vector), exit 3; then {@code --fix}
 * repairs them and exits 0, and a plain run passes.
 */
class HealthCliIT extends JarCliFixture {
  @Test
  void healthExitsThreeOnADefectAndZeroAfterFix(@TempDir Path dir) throws Exception {
    Fixture.load(store, "cli-health", 8, 4, 2);
    Fixture.maintenance(store, new HashingEmbedder(8), ProgressReporter.SILENT)
        .reembed(ReembedOptions.builder("cli-health").build());
    store.upsert("cli-health", List.of(Corpus.repeated("late", 2, "arrived without a vector")));
    long set = store.activeSet("cli-health").id();
    Superuser.execute(
        db,
        "UPDATE pg_catalog.pg_index SET indisvalid = false WHERE indexrelid = '\""
            + db.name()
            + "\".embeddings_"
            + set
            + "_ann'::regclass");

    Result sick = JarProcess.run(env, "health", "-c", "cli-health");

    assertThat(sick.exitCode()).as(sick.toString()).isEqualTo(ExitCodes.HEALTH_FAIL);
    assertThat(sick.out())
        .contains("NAME", "STATUS", "COUNT", "REMEDY")
        .containsPattern("ann-index +FAIL +1 +Rebuild the index concurrently")
        .containsPattern("missing-embeddings +FAIL +2 ")
        .containsPattern("content-integrity +PASS +0 +-")
        .contains("health FAIL: ");

    Path report = dir.resolve("health.json");
    Result fixed =
        JarProcess.run(
            env,
            "health",
            "-c",
            "cli-health",
            "--fix",
            "--embedder",
            "hashing",
            "--embedder-opt",
            "dimension=8",
            "--json",
            "--output",
            report.toString());

    assertThat(fixed.exitCode()).as(fixed.toString()).isZero();
    JsonNode json = JSON.readTree(fixed.out());
    assertThat(json.get("schemaVersion").asInt()).isEqualTo(1);
    assertThat(json.get("fix").asBoolean()).isTrue();
    assertThat(json.get("exitCode").asInt()).isZero();
    assertThat(json.get("repairs").findValuesAsText("check"))
        .contains("ann-index", "missing-embeddings");
    assertThat(json.get("repairs").findValuesAsText("outcome")).containsOnly("done");
    assertThat(JSON.readTree(Files.readString(report))).isEqualTo(json);

    Result healthy = JarProcess.run(env, "health", "-c", "cli-health", "--deep");
    assertThat(healthy.exitCode()).as(healthy.toString()).isZero();
    assertThat(healthy.out()).containsPattern("ann-index +PASS");
    assertThat(store.hasAnnIndex("cli-health")).isTrue();
  }
}
