package dev.portfolio.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portfolio.core.error.InvalidInputException;
import org.junit.jupiter.api.Test;

class HybridQueryTest {
  private static final Embedding V = Embedding.of(1, 0, 0);

  @Test
  void efSearchDefaultsToTheStoresAndIsPassedToTheVectorHalf() {
    HybridQuery q = HybridQuery.of("docs", V, "words", 5);
    assertThat(q.efSearch()).isZero();

    HybridQuery tuned =
        q.withEfSearch(200).withFilter(SearchFilter.builder().sourceId("s").build());
    VectorQuery vector = tuned.vectorQuery(20);

    assertThat(vector.efSearch()).isEqualTo(200);
    assertThat(vector.limit()).isEqualTo(20);
    assertThat(vector.filter().sourceIds()).containsExactly("s");
    assertThat(vector.vector()).isEqualTo(V);
  }

  @Test
  void efSearchOutOfRangeIsRejectedWithItsName() {
    assertThatThrownBy(() -> HybridQuery.of("docs", V, "words", 5).withEfSearch(1001))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("efSearch");
  }
}
