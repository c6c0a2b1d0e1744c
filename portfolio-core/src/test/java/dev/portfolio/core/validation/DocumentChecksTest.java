package dev.portfolio.core.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.portfolio.core.model.ChunkInput;
import dev.portfolio.core.model.DocumentInput;
import dev.portfolio.core.model.Embedding;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DocumentChecksTest {
  private static DocumentInput doc(String key, ChunkInput... chunks) {
    return DocumentInput.builder(key).chunks(List.of(chunks)).build();
  }

  private static ChunkInput embedded(int ordinal, float... v) {
    return ChunkInput.embedded(ordinal, "text " + ordinal, Embedding.of(v), "m");
  }

  @Test
  void aValidDocumentHasNoProblem() {
    assertThat(DocumentChecks.problem(doc("k", embedded(0, 1, 2, 3), ChunkInput.of(1, "t")), 3))
        .isEmpty();
  }

  @Test
  void aDocumentWithoutChunksIsRejected() {
    assertThat(DocumentChecks.problem(doc("empty"), 3))
        .hasValue(
            "document has no chunks; store at least one (a document without content cannot be"
                + " searched, and would look like an interrupted write to health checks)");
    assertThat(DocumentChecks.batchProblems(List.of(doc("empty"), doc("full", embedded(0, 1))), 1))
        .containsOnlyKeys(0);
  }

  @Test
  void reasonsNameTheChunkOrdinal() {
    assertThat(DocumentChecks.problem(doc("k", embedded(0, 1, 2, 3), embedded(4, 1, 2)), 3))
        .hasValue(
            "chunk 4: the embedding has 2 dimensions but the collection stores 3. Embed it with"
                + " the collection's model, or store it in a collection of 2 dimensions.");
    assertThat(DocumentChecks.problem(doc("k", ChunkInput.of(7, "")), 3))
        .hasValue("chunk 7: text is empty or blank");
    assertThat(DocumentChecks.problem(doc("k", ChunkInput.of(2, null)), 3))
        .hasValue("chunk 2: text is null");
    assertThat(DocumentChecks.problem(doc("k", ChunkInput.of(1, "a"), ChunkInput.of(1, "b")), 3))
        .hasValue(
            "chunk ordinal 1 appears more than once; ordinals must be unique within a document");
    assertThat(
            DocumentChecks.problem(
                doc("k", new ChunkInput(3, "t", 0, null, null, Map.of("", "v"))), 3))
        .hasValue("chunk 3: metadata has an empty key");
  }

  @Test
  void documentLevelProblemsAreReported() {
    assertThat(
            DocumentChecks.problem(DocumentInput.builder("k").metadata("a\u0000b", "v").build(), 3))
        .hasValue(
            "document metadata key \"a\\u0000b\" contains a NUL character (U+0000); remove it");
    assertThat(DocumentChecks.problem(DocumentInput.builder("k").fingerprint("f\u0000").build(), 3))
        .hasValue("fingerprint contains a NUL character (U+0000); remove it");
    assertThat(DocumentChecks.problem(null, 3)).hasValue("document is null");
  }

  @Test
  void batchProblemsRejectEveryRepeatOfAKeyAfterTheFirst() {
    List<DocumentInput> batch =
        Arrays.asList(
            doc("a", ChunkInput.of(0, "")),
            doc("b", ChunkInput.of(0, "fine")),
            doc("a", ChunkInput.of(0, "fine")),
            null,
            doc("a", ChunkInput.of(0, "fine again")));

    Map<Integer, String> problems = DocumentChecks.batchProblems(batch, 3);

    assertThat(problems)
        .containsExactly(
            entry(0, "chunk 0: text is empty or blank"),
            entry(
                2,
                "key \"a\" appears more than once in this batch (first at index 0); send each"
                    + " document once per batch"),
            entry(3, "document is null"),
            entry(
                4,
                "key \"a\" appears more than once in this batch (first at index 0); send each"
                    + " document once per batch"));
    assertThat(DocumentChecks.batchProblems(List.of(), 3)).isEmpty();
  }
}
