package dev.portfolio.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.InvalidInputException;
import org.junit.jupiter.api.Test;

class EmbeddingTest {
  private static final double EPS = 1e-9;

  @Test
  void nanIsRejectedWithItsIndex() {
    assertThatThrownBy(() -> Embedding.of(0.1f, 0.2f, Float.NaN))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> {
              assertThat(e.argument()).isEqualTo("embedding");
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
            })
        .hasMessage(
            "embedding component 2 is NaN; every component must be a finite number. Check the"
                + " embedder's output.");
  }

  @Test
  void infinitiesAreRejectedWithTheirIndex() {
    assertThatThrownBy(() -> Embedding.of(Float.POSITIVE_INFINITY))
        .hasMessageStartingWith("embedding component 0 is Infinity;");
    assertThatThrownBy(() -> Embedding.of(1f, Float.NEGATIVE_INFINITY))
        .hasMessageStartingWith("embedding component 1 is -Infinity;");
  }

  @Test
  void doublesThatOverflowAFloatAreRejected() {
    assertThatThrownBy(() -> Embedding.ofDoubles(1.0, 1e39))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("embedding component 1 is Infinity;");
  }

  @Test
  void emptyNullAndOversizedVectorsAreRejected() {
    assertThatThrownBy(() -> Embedding.of())
        .hasMessage("embedding must have at least one component");
    assertThatThrownBy(() -> Embedding.of((float[]) null)).hasMessage("embedding must not be null");
    assertThatThrownBy(() -> Embedding.ofDoubles((double[]) null))
        .hasMessage("embedding must not be null");
    assertThatThrownBy(() -> Embedding.of(new float[16_001]))
        .hasMessage("embedding dimension must be between 1 and 16000 (was 16001)");
  }

  @Test
  void componentsAreCopiedInAndOut() {
    float[] source = {1f, 2f, 3f};
    Embedding e = Embedding.of(source);
    source[0] = 99f;
    e.toArray()[1] = 99f;

    assertThat(e.toArray()).containsExactly(1f, 2f, 3f);
    assertThat(e.dimension()).isEqualTo(3);
    assertThat(e.get(2)).isEqualTo(3f);
  }

  @Test
  void equalComponentsMakeEqualEmbeddings() {
    Embedding a = Embedding.of(0.5f, -1f);
    Embedding b = Embedding.ofDoubles(0.5, -1.0);

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(Embedding.of(0.5f, -1f, 0f)).isNotEqualTo(Embedding.of(0.5f, 1f));
    assertThat(a).isNotEqualTo(new float[] {0.5f, -1f});
  }

  @Test
  void dotProductNormAndL2Distance() {
    Embedding a = Embedding.of(1f, 2f, 3f);
    Embedding b = Embedding.of(4f, 5f, 6f);

    assertThat(a.dot(b)).isEqualTo(32.0);
    assertThat(Embedding.of(3f, 4f).norm()).isEqualTo(5.0);
    assertThat(Embedding.of(0f, 0f).l2Distance(Embedding.of(3f, 4f))).isEqualTo(5.0);
    assertThat(a.l2Distance(a)).isZero();
  }

  @Test
  void cosineSimilarityIgnoresLengthAndIsZeroForTheZeroVector() {
    Embedding x = Embedding.of(1f, 0f);

    assertThat(x.cosineSimilarity(Embedding.of(0f, 1f))).isCloseTo(0.0, within(EPS));
    assertThat(Embedding.of(1f, 2f, 3f).cosineSimilarity(Embedding.of(2f, 4f, 6f)))
        .isCloseTo(1.0, within(EPS));
    assertThat(x.cosineSimilarity(Embedding.of(-3f, 0f))).isCloseTo(-1.0, within(EPS));
    assertThat(x.cosineSimilarity(Embedding.of(0f, 0f))).isZero();
    assertThat(Embedding.of(0f, 0f).isZero()).isTrue();
    assertThat(x.isZero()).isFalse();
  }

  @Test
  void differentDimensionsAreAMismatch() {
    Embedding two = Embedding.of(1f, 2f);
    Embedding three = Embedding.of(1f, 2f, 3f);

    assertThatThrownBy(() -> two.dot(three))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.DIMENSION_MISMATCH))
        .hasMessage("Dimension mismatch: 2 vs 3");
    assertThatThrownBy(() -> two.l2Distance(three)).hasMessage("Dimension mismatch: 2 vs 3");
    assertThatThrownBy(() -> two.cosineSimilarity(three)).hasMessage("Dimension mismatch: 2 vs 3");
  }

  @Test
  void distancesAndScoresFollowEachMetric() {
    Embedding a = Embedding.of(1f, 0f);
    Embedding b = Embedding.of(0f, 2f);

    assertThat(Distance.COSINE.distance(a, b)).isCloseTo(1.0, within(EPS));
    assertThat(Distance.COSINE.score(0.25)).isEqualTo(0.75);
    assertThat(Distance.L2.distance(a, b)).isCloseTo(Math.sqrt(5), within(EPS));
    assertThat(Distance.L2.score(2.0)).isEqualTo(-2.0);
    assertThat(Distance.INNER_PRODUCT.distance(a, Embedding.of(3f, 1f))).isEqualTo(-3.0);
    assertThat(Distance.INNER_PRODUCT.score(-3.0)).isEqualTo(3.0);
  }

  @Test
  void toStringShowsTheDimensionAndTheFirstComponents() {
    assertThat(Embedding.of(1f, 2f)).hasToString("Embedding[dim=2: 1.0, 2.0]");
    assertThat(Embedding.of(1f, 2f, 3f, 4f)).hasToString("Embedding[dim=4: 1.0, 2.0, 3.0, ...]");
  }
}
