package dev.portfolio.maintenance.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.error.PortfolioException;
import dev.portfolio.core.hashing.HashingEmbedder;
import dev.portfolio.core.memory.InMemoryVectorStore;
import dev.portfolio.core.spi.ProgressReporter;
import dev.portfolio.maintenance.Maintenance;
import dev.portfolio.maintenance.modelswitch.SwitchOptions;
import dev.portfolio.maintenance.reembed.ReembedOptions;
import dev.portfolio.maintenance.testing.Corpus;
import dev.portfolio.maintenance.testing.Fixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Health checks on the in-memory store, the report's JSON, and option validation. */
class HealthCheckTest {
  private final InMemoryVectorStore store = new InMemoryVectorStore();
  private final HashingEmbedder embedder = new HashingEmbedder(8);
  private final Maintenance maintenance =
      Fixture.maintenance(store, embedder, ProgressReporter.SILENT);

  private void load(String name) {
    Fixture.load(store, name, 8, 3, 2);
    maintenance.reembed(ReembedOptions.builder(name).build());
  }

  @Test
  void checksTheInMemoryStoreCannotAnswerAreInfoNotSupportedNeverPass() {
    load("docs");

    HealthReport r = maintenance.healthCheck(HealthCheckOptions.defaults());

    assertThat(r.status()).isEqualTo(HealthStatus.INFO);
    assertThat(r.exitCode()).isZero();
    for (HealthCheckKind k :
        List.of(
            HealthCheckKind.ANN_INDEX, HealthCheckKind.PLANNER_STATISTICS, HealthCheckKind.BLOAT)) {
      assertThat(r.check(k).status()).as(k.id()).isEqualTo(HealthStatus.INFO);
      assertThat(r.check(k).detail())
          .startsWith("not supported by this store (InMemoryVectorStore)");
      assertThat(r.check(k).remedy()).isNull();
    }
    assertThat(r.check(HealthCheckKind.KEYWORD_INDEX).status())
        .as("the in-memory store examines its keyword index")
        .isEqualTo(HealthStatus.PASS);
    assertThat(r.check(HealthCheckKind.STUCK_JOBS).detail())
        .isEqualTo("not checked: no job queue given");
    assertThat(r.check(HealthCheckKind.TRUNCATED_CHUNKS).status())
        .as("the facade's embedder has the collection's model: its input limit applies")
        .isEqualTo(HealthStatus.PASS);
    assertThat(r.collections()).containsExactly("docs");
  }

  @Test
  void missingEmbeddingsFailAndFixReembedsThemInlineWithTheFacadesEmbedder() {
    load("docs");
    store.upsert("docs", List.of(Corpus.repeated("late", 3, "no vector yet")));

    HealthReport before = maintenance.healthCheck(HealthCheckOptions.defaults());
    HealthReport after = maintenance.healthCheck(HealthCheckOptions.builder().fix(true).build());

    CheckResult missing = before.check(HealthCheckKind.MISSING_EMBEDDINGS);
    assertThat(missing.status()).isEqualTo(HealthStatus.FAIL);
    assertThat(missing.count()).isEqualTo(3);
    assertThat(missing.samples()).hasSize(3).allMatch(s -> s.startsWith("docs:"));
    assertThat(before.exitCode()).isEqualTo(HealthReport.EXIT_FAIL);
    assertThat(after.repairs())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.action()).isEqualTo("reembed missing chunks of docs inline");
              assertThat(r.outcome()).isEqualTo(RepairOutcome.DONE);
              assertThat(r.count()).isEqualTo(3);
            });
    assertThat(after.check(HealthCheckKind.MISSING_EMBEDDINGS).status())
        .isEqualTo(HealthStatus.PASS);
  }

  @Test
  void withoutAnEmbedderTheReembedRepairIsSkippedSayingWhy() {
    load("docs");
    store.upsert("docs", List.of(Corpus.repeated("late", 1, "no vector yet")));
    Maintenance bare = Fixture.maintenance(store, null, ProgressReporter.SILENT);

    HealthReport r = bare.healthCheck(HealthCheckOptions.builder().fix(true).build());

    assertThat(r.repairs())
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.outcome()).isEqualTo(RepairOutcome.SKIPPED);
              assertThat(x.detail()).contains("needs an embedder of the collection's model");
            });
    assertThat(r.check(HealthCheckKind.MISSING_EMBEDDINGS).status()).isEqualTo(HealthStatus.FAIL);
    assertThat(r.check(HealthCheckKind.TRUNCATED_CHUNKS).detail())
        .contains("needs the embedder of the collection's model");
  }

  @Test
  void aRetiredSetIsInfoUntilItIsOlderThanTheThreshold() {
    load("docs");
    HashingEmbedder next = new HashingEmbedder(4);
    maintenance.switchModel("docs", next, SwitchOptions.defaults());
    Maintenance nextFacade = Fixture.maintenance(store, next, ProgressReporter.SILENT);

    HealthReport young = nextFacade.healthCheck(HealthCheckOptions.defaults());
    HealthReport old =
        nextFacade.healthCheck(
            HealthCheckOptions.builder().retiredSetMaxAge(Duration.ofNanos(1)).build());

    assertThat(young.check(HealthCheckKind.RETIRED_SETS).status()).isEqualTo(HealthStatus.INFO);
    assertThat(young.check(HealthCheckKind.RETIRED_SETS).count()).isEqualTo(1);
    assertThat(young.exitCode()).isZero();
    assertThat(old.check(HealthCheckKind.RETIRED_SETS).status()).isEqualTo(HealthStatus.FAIL);
    assertThat(old.check(HealthCheckKind.RETIRED_SETS).remedy())
        .contains("switch-model drop-retired");
  }

  @Test
  void theJsonDocumentHasTheDocumentedSchema() throws Exception {
    load("docs");

    HealthReport r = maintenance.healthCheck(HealthCheckOptions.builder().deep(true).build());
    JsonNode json = new ObjectMapper().readTree(r.toJson());

    List<String> keys = new ArrayList<>();
    json.fieldNames().forEachRemaining(keys::add);
    assertThat(keys)
        .containsExactly(
            "schemaVersion",
            "status",
            "exitCode",
            "startedAt",
            "elapsedMs",
            "collections",
            "deep",
            "fix",
            "checks",
            "repairs");
    assertThat(json.get("schemaVersion").asInt()).isEqualTo(HealthReport.SCHEMA_VERSION);
    assertThat(json.get("status").asText()).isEqualTo("info");
    assertThat(json.get("checks")).hasSize(HealthCheckKind.values().length);
    JsonNode first = json.get("checks").get(0);
    List<String> checkKeys = new ArrayList<>();
    first.fieldNames().forEachRemaining(checkKeys::add);
    assertThat(checkKeys)
        .containsExactly("name", "status", "count", "samples", "detail", "remedy", "repairable");
    assertThat(first.get("name").asText()).isEqualTo("orphaned-chunks");
    assertThat(r.toString())
        .contains("NAME", "STATUS", "COUNT", "REMEDY")
        .contains("health INFO: ");
  }

  @Test
  void anUnknownCollectionFailsWithNotFoundBeforeAnyWork() {
    assertThatThrownBy(
            () -> maintenance.healthCheck(HealthCheckOptions.builder().collections("nope").build()))
        .isInstanceOfSatisfying(
            PortfolioException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
  }

  @Test
  void invalidOptionsNameTheFieldAndTheValue() {
    assertThatThrownBy(() -> HealthCheckOptions.builder().minCoverage(1.5).build())
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("health.minCoverage must be between 0 and 1 (was 1.5)");
    assertThatThrownBy(() -> HealthCheckOptions.builder().sampleSize(0).build())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("health.sampleSize");
    assertThatThrownBy(() -> HealthCheckOptions.builder().buildingSetMaxAge(Duration.ZERO).build())
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("health.buildingSetMaxAge must be positive (was PT0S)");
  }
}
