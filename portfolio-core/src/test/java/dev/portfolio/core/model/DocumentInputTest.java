package dev.portfolio.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portfolio.core.error.InvalidInputException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DocumentInputTest {
  private static final Embedding E = Embedding.of(1f, 0f);

  @Test
  void statusDefaultsToReadyWhenEveryChunkHasAnEmbedding() {
    DocumentInput doc =
        DocumentInput.builder("a")
            .chunk(ChunkInput.embedded(0, "one", E, "hashing:2"))
            .chunk(ChunkInput.embedded(1, "two", E, "hashing:2"))
            .build();

    assertThat(doc.status()).isEqualTo(DocumentStatus.READY);
  }

  @Test
  void statusDefaultsToPendingWhenAnyChunkLacksAnEmbedding() {
    DocumentInput doc =
        DocumentInput.builder("a")
            .chunk(ChunkInput.embedded(0, "one", E, "hashing:2"))
            .chunk(ChunkInput.of(1, "two"))
            .build();

    assertThat(doc.status()).isEqualTo(DocumentStatus.PENDING);
  }

  @Test
  void anExplicitStatusIsKept() {
    DocumentInput doc =
        DocumentInput.builder("a")
            .status(DocumentStatus.FAILED)
            .chunk(ChunkInput.of(0, "x"))
            .build();

    assertThat(doc.status()).isEqualTo(DocumentStatus.FAILED);
  }

  @Test
  void sourceIdDefaultsToTheKey() {
    assertThat(DocumentInput.builder("guide.md").build().sourceId()).isEqualTo("guide.md");
    assertThat(DocumentInput.builder("guide.md").sourceId("wiki").build().sourceId())
        .isEqualTo("wiki");
  }

  @Test
  void metadataAndChunksAreCopied() {
    Map<String, String> metadata = new HashMap<>(Map.of("lang", "en"));
    DocumentInput.Builder builder =
        DocumentInput.builder("a").metadata(metadata).chunk(ChunkInput.of(0, "x"));
    DocumentInput doc = builder.build();
    metadata.put("lang", "de");
    builder.metadata("extra", "1").chunk(ChunkInput.of(1, "y"));

    assertThat(doc.metadata()).containsExactly(Map.entry("lang", "en"));
    assertThat(doc.chunks()).hasSize(1);
    assertThatThrownBy(() -> doc.metadata().put("x", "y"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void invalidIdentityIsRejectedNamingTheField() {
    assertThatThrownBy(() -> DocumentInput.builder(" ").build())
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.argument()).isEqualTo("key"))
        .hasMessage("key must not be blank (was \" \")");
    assertThatThrownBy(() -> DocumentInput.builder("a").sourceId("s\0").build())
        .hasMessage("sourceId contains a NUL character (U+0000) at index 1; remove it.");
    assertThatThrownBy(() -> DocumentInput.builder("a").workspace("").build())
        .hasMessage("workspace must not be blank (was \"\")");
  }

  @Test
  void anEmbeddedChunkNeedsItsModel() {
    assertThatThrownBy(() -> ChunkInput.embedded(0, "x", E, null))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("embeddingModel must not be null");
  }
}
