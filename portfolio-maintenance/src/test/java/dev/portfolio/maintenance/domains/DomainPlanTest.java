package dev.portfolio.maintenance.domains;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.model.CollectionSpec;
import dev.portfolio.core.model.Distance;
import dev.portfolio.core.validation.Inputs;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DomainPlanTest {
  private static final DomainType DOCS = DomainType.of("docs", "onnx:all-minilm-l6-v2", 384);
  private static final DomainType CODE =
      new DomainType("code", "voyage:voyage-code-3", 1024, Distance.INNER_PRODUCT);

  @Test
  void theDefaultPatternGivesOneCollectionPerSourceAndTypeInOrder() {
    DomainPlan plan =
        DomainPlan.builder()
            .source("wiki-eng", "Engineering Wiki")
            .source("wiki-sales", "Ventes & Marketing")
            .type(DOCS)
            .type(CODE)
            .build();

    assertThat(plan.pattern()).isEqualTo("{sanitized_source_title}_{type}");
    assertThat(plan.collections())
        .extracting(DomainCollection::spec)
        .containsExactly(
            new CollectionSpec(
                "engineering_wiki_docs", "onnx:all-minilm-l6-v2", 384, Distance.COSINE),
            new CollectionSpec(
                "engineering_wiki_code", "voyage:voyage-code-3", 1024, Distance.INNER_PRODUCT),
            new CollectionSpec(
                "ventes_marketing_docs", "onnx:all-minilm-l6-v2", 384, Distance.COSINE),
            new CollectionSpec(
                "ventes_marketing_code", "voyage:voyage-code-3", 1024, Distance.INNER_PRODUCT));
    assertThat(plan.collection("wiki-sales", "code").name()).isEqualTo("ventes_marketing_code");
  }

  @Test
  void sourceIdAndLiteralsCanShapeTheName() {
    DomainPlan plan =
        DomainPlan.builder()
            .pattern("kb-{source_id}-{type}")
            .source("Confluence:ENG", "Engineering")
            .type(DOCS)
            .build();
    assertThat(plan.collections())
        .extracting(DomainCollection::name)
        .containsExactly("kb-confluence_eng-docs");
  }

  @Test
  void twoTitlesThatSanitiseAlikeAreACollisionNamingBoth() {
    assertThatThrownBy(
            () ->
                DomainPlan.builder()
                    .source("a", "Sales Team")
                    .source("b", "sales-team!")
                    .type(DOCS)
                    .build())
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "Collection name collision: \"sales_team_docs\" is the name of source \"a\" (title"
                + " \"Sales Team\") type docs and of source \"b\" (title \"sales-team!\") type docs."
                + " Change one of the titles, or add {source_id} to the pattern. Nothing was"
                + " created.");
  }

  @Test
  void addingTheSourceIdResolvesACollision() {
    DomainPlan plan =
        DomainPlan.builder()
            .pattern("{sanitized_source_title}_{source_id}_{type}")
            .source("a", "Sales Team")
            .source("b", "sales-team!")
            .type(DOCS)
            .build();
    assertThat(plan.collections())
        .extracting(DomainCollection::name)
        .containsExactly("sales_team_a_docs", "sales_team_b_docs");
  }

  @Test
  void cjkTitlesGetDistinctHashNames() {
    DomainPlan plan =
        DomainPlan.builder().source("tokyo", "東京").source("osaka", "大阪").type(DOCS).build();
    assertThat(plan.collections())
        .extracting(DomainCollection::name)
        .containsExactly(DomainNames.hash("東京") + "_docs", DomainNames.hash("大阪") + "_docs");
  }

  @Test
  void longTitlesAreShortenedToFitBesideTheTypeAndStayDistinct() {
    String common = "Quarterly engineering review of the platform infrastructure team, ";
    DomainPlan plan =
        DomainPlan.builder()
            .source("q1", common + "first quarter")
            .source("q2", common + "second quarter")
            .type(
                new DomainType(
                    "embeddings-large", "openai:text-embedding-3-large", 3072, Distance.COSINE))
            .build();
    for (DomainCollection c : plan.collections()) {
      assertThat(c.name())
          .hasSize(DomainNames.MAX_LENGTH)
          .endsWith("_" + DomainNames.hash(c.source().title()) + "_embeddings-large")
          .startsWith("quarterly_engineering_review");
      assertThat(Inputs.COLLECTION_NAME.matcher(c.name()).matches()).isTrue();
    }
  }

  @Test
  void twoLongFragmentsShareTheRoom() {
    String title = "t".repeat(80);
    String id = "i".repeat(80);
    DomainPlan plan =
        DomainPlan.builder()
            .pattern("{sanitized_source_title}-{source_id}-{type}")
            .source(id, title)
            .type(DOCS)
            .build();
    String name = plan.collections().get(0).name();
    assertThat(name).hasSizeLessThanOrEqualTo(DomainNames.MAX_LENGTH);
    assertThat(name)
        .endsWith("-docs")
        .contains(DomainNames.hash(title))
        .contains(DomainNames.hash(id));
  }

  @Test
  void aPatternThatLeavesNoRoomIsRejected() {
    DomainType longType = DomainType.of("t".repeat(50), "m", 4);
    assertThatThrownBy(
            () ->
                DomainPlan.builder()
                    .pattern("prefix-{sanitized_source_title}-{type}")
                    .source("s", "A title that is long enough")
                    .type(longType)
                    .build())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("leaves 5 characters for {sanitized_source_title} of source \"s\"");
  }

  @Test
  void invalidPatternsAreRejectedWithTheReason() {
    assertThatThrownBy(() -> plan("{title}_{type}"))
        .hasMessageContaining("unknown placeholder {title}");
    assertThatThrownBy(() -> plan("{sanitized_source_title}.{type}"))
        .hasMessageContaining("has \".\" outside placeholders");
    assertThatThrownBy(() -> plan("_{sanitized_source_title}_{type}"))
        .hasMessageContaining("starts with '_'");
    assertThatThrownBy(() -> plan("{sanitized_source_title}"))
        .hasMessageContaining("has no {type}, so the plan's 2 types would share each name");
    assertThatThrownBy(() -> plan("all_{type}"))
        .hasMessageContaining("has neither {sanitized_source_title} nor {source_id}");
  }

  @Test
  void repeatedSourcesOrTypesAndEmptyListsAreRejected() {
    assertThatThrownBy(
            () -> DomainPlan.builder().source("a", "A").source("a", "B").type(DOCS).build())
        .hasMessage("sources 0 and 1 have the same source id \"a\"; each must be unique");
    assertThatThrownBy(() -> DomainPlan.builder().source("a", "A").type(DOCS).type(DOCS).build())
        .hasMessage("types 0 and 1 have the same type name \"docs\"; each must be unique");
    assertThatThrownBy(() -> DomainPlan.builder().type(DOCS).build())
        .hasMessage("sources must not be empty");
    assertThatThrownBy(() -> DomainType.of("Docs", "m", 4))
        .hasMessageContaining("Invalid type name \"Docs\"");
  }

  @Test
  void aPlanIsReadFromJson(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("plan.json");
    Files.writeString(
        file,
        """
        {
          "pattern": "{sanitized_source_title}_{type}",
          "sources": [ {"id": "wiki-eng", "title": "Engineering Wiki"} ],
          "types": [
            {"name": "docs", "model": "onnx:all-minilm-l6-v2", "dimension": 384},
            {"name": "code", "model": "voyage:voyage-code-3", "dimension": 1024, "distance": "inner-product"}
          ]
        }
        """);
    DomainPlan plan = DomainPlan.read(file);
    assertThat(plan.collections())
        .extracting(DomainCollection::spec)
        .containsExactly(
            new CollectionSpec(
                "engineering_wiki_docs", "onnx:all-minilm-l6-v2", 384, Distance.COSINE),
            new CollectionSpec(
                "engineering_wiki_code", "voyage:voyage-code-3", 1024, Distance.INNER_PRODUCT));
  }

  @Test
  void badJsonIsRejectedNamingTheKey(@TempDir Path dir) {
    assertThatThrownBy(() -> DomainPlan.fromJson("{\"sources\": [}"))
        .hasMessageStartingWith("not valid JSON at line 1, column 14");
    assertThatThrownBy(
            () ->
                DomainPlan.fromJson(
                    "{\"sources\": [{\"id\": \"a\", \"title\": \"A\", \"titel\": \"x\"}], \"types\": []}"))
        .hasMessage("sources[0] has an unknown key \"titel\"; the keys are [id, title]");
    assertThatThrownBy(
            () ->
                DomainPlan.fromJson(
                    "{\"sources\": [{\"id\": \"a\", \"title\": \"A\"}], \"types\": [{\"name\": \"d\","
                        + " \"model\": \"m\", \"dimension\": 4, \"filter\": [\"lang\"]}]}"))
        .hasMessage(
            "types[0] has an unknown key \"filter\"; the keys are [dimension, distance, filters,"
                + " model, name]");
    assertThatThrownBy(
            () ->
                DomainPlan.fromJson(
                    "{\"sources\": [{\"id\": \"a\", \"title\": \"A\"}], \"types\": [{\"name\": \"d\","
                        + " \"model\": \"m\", \"dimension\": \"384\"}]}"))
        .hasMessage("types[0].dimension must be a whole number (was \"384\")");
    assertThatThrownBy(
            () ->
                DomainPlan.fromJson(
                    "{\"sources\": [{\"id\": \"a\", \"title\": \"A\"}], \"types\": [{\"name\": \"d\","
                        + " \"model\": \"m\", \"dimension\": 4, \"distance\": \"manhattan\"}]}"))
        .hasMessage("types[0].distance must be cosine, l2 or inner_product (was \"manhattan\")");
    Path missing = dir.resolve("nope.json");
    assertThatThrownBy(() -> DomainPlan.read(missing))
        .hasMessage("Plan file " + missing + " does not exist");
  }

  @Test
  void aTypeDeclaresItsMetadataFiltersInJsonAndAPlanWithoutThemStaysValid() {
    DomainPlan plan =
        DomainPlan.fromJson(
            """
            {
              "sources": [ {"id": "wiki-eng", "title": "Engineering Wiki"} ],
              "types": [
                {"name": "docs", "model": "m", "dimension": 8, "filters": ["product", "lang"]},
                {"name": "code", "model": "m", "dimension": 8, "filters": []},
                {"name": "imgs", "model": "m", "dimension": 4}
              ]
            }
            """);

    assertThat(plan.types())
        .extracting(DomainType::filters)
        .containsExactly(
            java.util.Set.of("lang", "product"), java.util.Set.of(), java.util.Set.of());
    assertThat(plan.collection("wiki-eng", "docs").type().filters())
        .as("sorted")
        .containsExactly("lang", "product");
    assertThat(DOCS.filters()).isEmpty();
    assertThat(DOCS.withFilters("lang").filters()).containsExactly("lang");
    assertThat(DOCS.withFilters("lang")).isEqualTo(DOCS.withFilters("lang"));
  }

  @Test
  void invalidFiltersAreRejectedNamingTheTypeAndKey() {
    assertThatThrownBy(() -> DomainPlan.fromJson(planWithFilters("\"lang\"")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "types[0].filters must be a JSON array of metadata keys, for example [\"lang\","
                + " \"product\"] (was \"lang\")");
    assertThatThrownBy(() -> DomainPlan.fromJson(planWithFilters("[\"lang\", 7]")))
        .hasMessage("types[0].filters[1] must be a JSON string, a metadata key (was 7)");
    assertThatThrownBy(() -> DomainPlan.fromJson(planWithFilters("[\"lang\", \"\"]")))
        .hasMessage("types[0].filters[1] is empty; a filter key names a document metadata key");
    assertThatThrownBy(() -> DomainPlan.fromJson(planWithFilters("[\"lang\", \"lang\"]")))
        .hasMessage("types[0].filters names \"lang\" twice; list each filter key once");
    assertThatThrownBy(() -> DomainPlan.fromJson(planWithFilters("[\" lang\"]")))
        .hasMessage(
            "types[0].filters[0] \" lang\" starts or ends with whitespace; remove it (metadata"
                + " keys match exactly)");
    assertThatThrownBy(() -> DomainPlan.fromJson(planWithFilters("[\"la\\nng\"]")))
        .hasMessage(
            "types[0].filters[0] \"la\\u000ang\" holds a control character at index 2; a filter key"
                + " must be printable");
    String longKey = "k".repeat(129);
    assertThatThrownBy(() -> DomainPlan.fromJson(planWithFilters("[\"" + longKey + "\"]")))
        .hasMessageStartingWith("types[0].filters[0] \"kkkk")
        .hasMessageEndingWith("\" has 129 characters; a filter key has at most 128");
    assertThatThrownBy(() -> DOCS.withFilters("a", "a"))
        .hasMessage("type.filters names \"a\" twice; list each filter key once");
    assertThat(DomainPlan.fromJson(planWithFilters("[\"" + "k".repeat(128) + "\"]")).types())
        .singleElement()
        .satisfies(t -> assertThat(t.filters()).hasSize(1));
  }

  private static String planWithFilters(String filters) {
    return "{\"sources\": [{\"id\": \"a\", \"title\": \"A\"}], \"types\": [{\"name\": \"d\","
        + " \"model\": \"m\", \"dimension\": 4, \"filters\": "
        + filters
        + "}]}";
  }

  private static DomainPlan plan(String pattern) {
    return DomainPlan.builder()
        .pattern(pattern)
        .source("a", "Alpha")
        .source("b", "Beta")
        .type(DOCS)
        .type(CODE)
        .build();
  }
}
