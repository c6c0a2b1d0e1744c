package dev.portfolio.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UpsertResultTest {
  @Test
  void plusAddsCountsAndKeepsFailuresInOrder() {
    UpsertResult first =
        new UpsertResult(2, 1, 5, List.of(new UpsertResult.Failure("a", "text is null")));
    UpsertResult second =
        new UpsertResult(
            3, 0, 1, List.of(new UpsertResult.Failure("b", "chunk 2: text is empty or blank")));

    UpsertResult sum = first.plus(second);

    assertThat(sum.inserted()).isEqualTo(5);
    assertThat(sum.updated()).isEqualTo(1);
    assertThat(sum.unchanged()).isEqualTo(6);
    assertThat(sum.failed()).isEqualTo(2);
    assertThat(sum.written()).isEqualTo(6);
    assertThat(sum.failures()).extracting(UpsertResult.Failure::key).containsExactly("a", "b");
    assertThat(first.failed()).isEqualTo(1);
  }

  @Test
  void failuresAreCopiedAndImmutable() {
    List<UpsertResult.Failure> failures = new ArrayList<>();
    failures.add(new UpsertResult.Failure("a", "bad"));
    UpsertResult result = new UpsertResult(0, 0, 0, failures);
    failures.clear();

    assertThat(result.failures()).hasSize(1);
    assertThatThrownBy(() -> result.failures().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
