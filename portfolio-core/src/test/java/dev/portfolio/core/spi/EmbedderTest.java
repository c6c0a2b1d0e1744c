package dev.portfolio.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.hashing.HashingEmbedder;
import dev.portfolio.core.model.Embedding;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmbedderTest {
  private final HashingEmbedder hashing = new HashingEmbedder(16);
  private final List<InputType> types = new ArrayList<>();
  private final List<List<String>> calls = new ArrayList<>();

  /** Records each call, then embeds with {@link HashingEmbedder}. */
  private final Embedder recording =
      new Embedder() {
        @Override
        public EmbedderInfo info() {
          return hashing.info();
        }

        @Override
        public EmbeddingBatch embed(List<String> texts, InputType type) {
          calls.add(List.copyOf(texts));
          types.add(type);
          return hashing.embed(texts, type);
        }
      };

  @Test
  void embedQueryEmbedsOneTextAsAQuery() {
    Embedding query = recording.embedQuery("how to tune the index");

    assertThat(calls).containsExactly(List.of("how to tune the index"));
    assertThat(types).containsExactly(InputType.QUERY);
    assertThat(query)
        .isEqualTo(
            hashing.embed(List.of("how to tune the index"), InputType.QUERY).embeddings().get(0));
    assertThat(query.dimension()).isEqualTo(16);
  }

  @Test
  void embedQueryRejectsANullQueryBeforeAnyCall() {
    assertThatThrownBy(() -> recording.embedQuery(null))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("query must not be null");
    assertThat(calls).isEmpty();
  }
}
