package dev.portfolio.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portfolio.core.error.InvalidInputException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SearchFilterTest {
  private static final Instant T = Instant.parse("2025-01-01T00:00:00Z");

  private static Document doc(DocumentStatus status, String source, String workspace) {
    return new Document(
        1,
        "docs",
        "k",
        source,
        workspace,
        status,
        null,
        Map.of("lang", "en"),
        null,
        0,
        T,
        T,
        status == DocumentStatus.DELETED ? T : null);
  }

  @Test
  void theDefaultFilterAdmitsEveryStatusButDeleted() {
    SearchFilter none = SearchFilter.none();

    assertThat(none.effectiveStatuses())
        .containsExactlyInAnyOrder(
            DocumentStatus.PENDING,
            DocumentStatus.PROCESSING,
            DocumentStatus.READY,
            DocumentStatus.FAILED);
    assertThat(none.matches(doc(DocumentStatus.READY, "s", null))).isTrue();
    assertThat(none.matches(doc(DocumentStatus.DELETED, "s", null))).isFalse();
    assertThat(SearchFilter.builder().build().matches(doc(DocumentStatus.DELETED, "s", null)))
        .isFalse();
  }

  @Test
  void deletedDocumentsAreFoundOnlyWhenAskedFor() {
    SearchFilter deleted = SearchFilter.builder().status(DocumentStatus.DELETED).build();

    assertThat(deleted.effectiveStatuses()).containsExactly(DocumentStatus.DELETED);
    assertThat(deleted.matches(doc(DocumentStatus.DELETED, "s", null))).isTrue();
    assertThat(deleted.matches(doc(DocumentStatus.READY, "s", null))).isFalse();
  }

  @Test
  void everyConditionMustHold() {
    SearchFilter filter =
        SearchFilter.builder()
            .sourceId("wiki")
            .sourceId("blog")
            .workspace("team-a")
            .metadata("lang", "en")
            .build();

    assertThat(filter.matches(doc(DocumentStatus.READY, "blog", "team-a"))).isTrue();
    assertThat(filter.matches(doc(DocumentStatus.READY, "mail", "team-a"))).isFalse();
    assertThat(filter.matches(doc(DocumentStatus.READY, "wiki", "team-b"))).isFalse();
    assertThat(filter.matches(doc(DocumentStatus.READY, "wiki", null))).isFalse();
    assertThat(
            SearchFilter.builder()
                .metadata("lang", "de")
                .build()
                .matches(doc(DocumentStatus.READY, "wiki", null)))
        .isFalse();
  }

  @Test
  void invalidConditionsAreRejectedNamingTheField() {
    assertThatThrownBy(() -> SearchFilter.builder().sourceId(""))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.argument()).isEqualTo("filter.sourceId"))
        .hasMessage("filter.sourceId must not be blank (was \"\")");
    assertThatThrownBy(() -> SearchFilter.builder().workspace("a\0b").build())
        .hasMessage("filter.workspace contains a NUL character (U+0000) at index 1; remove it.");
    assertThatThrownBy(() -> SearchFilter.builder().metadata("la\0ng", "en").build())
        .hasMessage(
            "filter.metadata is invalid: metadata key \"la\\u0000ng\" contains a NUL character"
                + " (U+0000); remove it");
  }

  @Test
  void includeDeletedAdmitsEveryStatus() {
    SearchFilter all = SearchFilter.builder().includeDeleted().build();

    assertThat(all.effectiveStatuses()).containsExactlyInAnyOrder(DocumentStatus.values());
    for (DocumentStatus status : DocumentStatus.values()) {
      assertThat(all.matches(doc(status, "s", null))).as("%s", status).isTrue();
    }
    assertThat(
            SearchFilter.builder()
                .includeDeleted()
                .sourceId("other")
                .build()
                .matches(doc(DocumentStatus.DELETED, "s", null)))
        .as("the other conditions still hold")
        .isFalse();
  }

  @Test
  void documentKeysAreValidatedAndBounded() {
    assertThatThrownBy(() -> SearchFilter.builder().documentKey(" "))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> assertThat(e.argument()).isEqualTo("filter.documentKey"));
    List<String> tooMany =
        IntStream.rangeClosed(0, SearchFilter.MAX_DOCUMENT_KEYS).mapToObj(i -> "k" + i).toList();
    assertThatThrownBy(() -> SearchFilter.builder().documentKeys(tooMany).build())
        .hasMessage(
            "filter.documentKeys names 10001 keys; at most 10000 are allowed. Split the work into"
                + " several calls.");
    assertThat(
            SearchFilter.builder()
                .documentKey("a")
                .build()
                .matches(doc(DocumentStatus.READY, "s", null)))
        .as("doc() has another key")
        .isFalse();
  }
}
