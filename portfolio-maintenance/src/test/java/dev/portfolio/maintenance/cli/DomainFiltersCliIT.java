package dev.portfolio.maintenance.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portfolio.core.model.CollectionInfo;
import dev.portfolio.core.model.CollectionSpec;
import dev.portfolio.core.model.MetadataFilters;
import dev.portfolio.maintenance.cli.JarProcess.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built {@code portfolio} jar run as a separate process against PostgreSQL: {@code collections
 * migrate | verify | rollback} of a plan whose type declares metadata filters, with a collection
 * that existed before the plan and lacks them.
 */
class DomainFiltersCliIT extends JarCliFixture {
  private static List<String> texts(JsonNode array) {
    List<String> out = new java.util.ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  @Test
  void filtersAreDryRunAddedToAnExistingCollectionVerifiedAndKeptByARollback(@TempDir Path dir)
      throws Exception {
    Path plan = dir.resolve("plan.json");
    Files.writeString(
        plan,
        """
        {
          "pattern": "kb_{sanitized_source_title}_{type}",
          "sources": [ {"id": "handbook", "title": "Handbook"} ],
          "types": [
            {"name": "docs", "model": "hashing:hashing-v1", "dimension": 8,
             "filters": ["product", "lang"]},
            {"name": "code", "model": "hashing:code-v1", "dimension": 16}
          ]
        }
        """);
    CollectionInfo docs =
        store.createCollection(CollectionSpec.of("kb_handbook_docs", "hashing:hashing-v1", 8));
    String index = "documents_" + docs.id() + "_filters";

    Result dry = run("collections", "migrate", "--plan", plan.toString(), "--dry-run");
    assertThat(dry.exitCode()).as(dry.toString()).isZero();
    assertThat(dry.out())
        .contains(
            "FILTERS", "lang,product", "would-add-filters", "would add filters [lang, product]")
        .contains(
            "migrate-domains [dry run]: 2 expected, 1 to create, 0 already existed, 1 filters to"
                + " add, 0 failed; nothing was changed");
    assertThat(store.filters(docs.name()).keys()).as("a dry run writes nothing").isEmpty();
    assertThat(store.findCollection("kb_handbook_code")).isEmpty();

    Result incomplete = run("collections", "verify", "--plan", plan.toString());
    assertThat(incomplete.exitCode()).as(incomplete.toString()).isEqualTo(ExitCodes.FAILURE);
    assertThat(incomplete.out())
        .contains("filters-incomplete", "filters [lang, product] are not declared")
        .contains(
            "verify-domains: 2 expected, 0 ok, 1 missing, 0 mismatched, 1 filters incomplete");

    Result first = run("collections", "migrate", "--plan", plan.toString(), "--json");
    JsonNode migrated = json(first);
    assertThat(migrated.get("created").asInt()).isEqualTo(1);
    assertThat(migrated.get("filtersAdded").asInt()).isEqualTo(1);
    assertThat(texts(migrated.get("createdCollections"))).containsExactly("kb_handbook_code");
    JsonNode docsRow = migrated.get("collections").get(0);
    assertThat(docsRow.get("outcome").asText()).isEqualTo("filters_added");
    assertThat(texts(docsRow.get("filters"))).containsExactly("lang", "product");
    assertThat(texts(docsRow.get("filtersAdded"))).containsExactly("lang", "product");
    assertThat(docsRow.get("filterIndex").asText()).isEqualTo("valid");
    assertThat(docsRow.get("reason").asText())
        .isEqualTo("added filters [lang, product]; built its filter index " + index);
    assertThat(texts(migrated.get("collections").get(1).get("filters"))).isEmpty();
    MetadataFilters filters = store.filters(docs.name());
    assertThat(filters.keys()).containsExactly("lang", "product");
    assertThat(filters.index()).isEqualTo(MetadataFilters.IndexState.VALID);
    Path runFile = dir.resolve("run.json");
    Files.writeString(runFile, first.out());

    JsonNode verified = json(run("collections", "verify", "--plan", plan.toString(), "--json"));
    assertThat(verified.get("ok").asBoolean()).isTrue();
    assertThat(verified.get("filtersIncomplete").asInt()).isZero();
    assertThat(texts(verified.get("collections").get(0).get("foundFilters")))
        .containsExactly("lang", "product");

    Result again = run("collections", "migrate", "--plan", plan.toString());
    assertThat(again.exitCode()).as(again.toString()).isZero();
    assertThat(again.out())
        .contains("migrate-domains: 2 expected, 0 created, 2 already existed, 0 filters added,");

    JsonNode rolled =
        json(
            run(
                "collections",
                "rollback",
                "--plan",
                plan.toString(),
                "--created",
                runFile.toString(),
                "--yes",
                "--json"));
    assertThat(texts(rolled.get("droppedCollections"))).containsExactly("kb_handbook_code");
    assertThat(store.filters(docs.name()).keys())
        .as("the collection that existed before keeps the filters the run added")
        .containsExactly("lang", "product");
  }
}
