package dev.portfolio.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portfolio.core.error.InvalidInputException;
import org.junit.jupiter.api.Test;

class ChunkQueryTest {
  @Test
  void queriesReadTheActiveSetUnlessToldOtherwise() {
    assertThat(ChunkQuery.of("docs", 10).setId()).isZero();
    assertThat(new ChunkQuery("docs", null, null, 0, 10).setId()).isZero();
    assertThat(ChunkQuery.of("docs", 10).inSet(42).inSet(0).setId()).isZero();
  }

  @Test
  void aNegativeSetIdIsRejected() {
    assertThatThrownBy(() -> ChunkQuery.of("docs", 10).inSet(-1))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.argument()).isEqualTo("setId"))
        .hasMessage("setId must be >= 0, 0 meaning the active set (was -1)");
  }

  @Test
  void everyCopyKeepsTheSet() {
    SearchFilter filter = SearchFilter.builder().sourceId("s").build();
    ChunkQuery query = ChunkQuery.of("docs", 10).inSet(42);

    ChunkQuery next = query.withEmbeddingState(EmbeddingState.MISSING).withFilter(filter).after(7);

    assertThat(next).isEqualTo(new ChunkQuery("docs", filter, EmbeddingState.MISSING, 7, 10, 42));
  }

  @Test
  void nullFilterAndStateMeanEverything() {
    ChunkQuery query = new ChunkQuery("docs", null, null, 0, 10, 3);

    assertThat(query.filter()).isEqualTo(SearchFilter.none());
    assertThat(query.embeddingState()).isEqualTo(EmbeddingState.ANY);
    assertThat(query.setId()).isEqualTo(3);
  }
}
