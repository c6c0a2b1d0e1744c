package dev.portfolio.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class EmbeddingSetTest {
  private static final Instant CREATED = Instant.parse("2025-01-01T00:00:00Z");
  private static final Instant LATER = Instant.parse("2025-02-01T00:00:00Z");

  @Test
  void withStateKeepsTheLastActivationWhenNoneIsGiven() {
    EmbeddingSet active =
        new EmbeddingSet(7, "docs", "m", 3, SetState.ACTIVE, CREATED, CREATED, null);

    EmbeddingSet retired = active.withState(SetState.RETIRED, null, LATER);

    assertThat(retired.state()).isEqualTo(SetState.RETIRED);
    assertThat(retired.activatedAt()).isEqualTo(CREATED);
    assertThat(retired.retiredAt()).isEqualTo(LATER);
    assertThat(retired.createdAt()).isEqualTo(CREATED);
    assertThat(retired.id()).isEqualTo(7);
    assertThat(retired.withState(SetState.ACTIVE, LATER, null))
        .isEqualTo(new EmbeddingSet(7, "docs", "m", 3, SetState.ACTIVE, CREATED, LATER, null));
  }
}
