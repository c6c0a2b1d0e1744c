package dev.portfolio.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portfolio.core.error.InvalidInputException;
import org.junit.jupiter.api.Test;

class CollectionSpecTest {
  @Test
  void ofRanksByCosineDistance() {
    CollectionSpec spec = CollectionSpec.of("docs", "onnx:all-minilm-l6-v2", 384);

    assertThat(spec.distance()).isEqualTo(Distance.COSINE);
    assertThat(spec.dimension()).isEqualTo(384);
  }

  @Test
  void invalidNameIsRejectedWithTheNamingRule() {
    assertThatThrownBy(() -> CollectionSpec.of("Docs", "m", 3))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.argument()).isEqualTo("collection"))
        .hasMessage(
            "Invalid collection name \"Docs\": it contains upper-case letters; use \"docs\"."
                + " Names must match ^[a-z0-9][a-z0-9_-]{0,62}$.");
  }

  @Test
  void blankModelIsRejected() {
    assertThatThrownBy(() -> CollectionSpec.of("docs", " ", 3))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.argument()).isEqualTo("model"))
        .hasMessage("model must not be blank (was \" \")");
    assertThatThrownBy(() -> CollectionSpec.of("docs", null, 3))
        .hasMessage("model must not be null");
  }

  @Test
  void dimensionMustBeWithinPgvectorLimits() {
    assertThat(CollectionSpec.of("big", "m", 16_000).dimension()).isEqualTo(16_000);
    assertThatThrownBy(() -> CollectionSpec.of("docs", "m", 0))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.argument()).isEqualTo("dimension"))
        .hasMessage("dimension must be between 1 and 16000 (was 0)");
    assertThatThrownBy(() -> CollectionSpec.of("docs", "m", 16_001))
        .hasMessage("dimension must be between 1 and 16000 (was 16001)");
  }

  @Test
  void distanceIsRequired() {
    assertThatThrownBy(() -> new CollectionSpec("docs", "m", 3, null))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("distance must not be null");
  }
}
