package dev.portfolio.index.pgvector;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CandidateQueryTest {
  private static KeywordStats.Terms terms(long chunks, Map<String, Long> df) {
    return new KeywordStats.Terms(1, chunks, 100, df);
  }

  @Test
  void rareWordsAreOredFromTheRarestWhileTheirChunksAddUpToTheBound() {
    KeywordStats.Terms t =
        terms(100_000, Map.of("pipe", 500L, "fork", 10L, "process", 800L, "zzyzx", 0L));

    assertThat(Search.candidateQuery(List.of("pipe", "fork", "process", "zzyzx"), t, 0))
        .isEqualTo("'fork' | 'pipe'");
    assertThat(Search.candidateQuery(List.of("pipe", "fork"), t, 1)).isNull();
  }

  @Test
  void commonWordsAreAndedFromTheRarestUntilTheExpectedMatchesFitAndRelaxOneByOne() {
    KeywordStats.Terms t =
        terms(100_000, Map.of("the", 90_000L, "process", 20_000L, "child", 5_000L, "a", 80_000L));
    List<String> words = List.of("the", "process", "child", "a");

    // child: 5,000 expected; & process: 5,000 * 20,000 / 100,000 = 1,000, within the bound.
    assertThat(Search.candidateQuery(words, t, 0)).isEqualTo("'child' & 'process'");
    assertThat(Search.candidateQuery(words, t, 1)).isEqualTo("'child'");
    assertThat(Search.candidateQuery(words, t, 2)).isNull();
  }

  @Test
  void noCandidatesWhenNoWordIsInAnyChunk() {
    assertThat(Search.candidateQuery(List.of("zzyzx"), terms(10, Map.of("zzyzx", 0L)), 0)).isNull();
    assertThat(Search.candidateQuery(List.of("it's"), terms(10, Map.of("it's", 3L)), 0))
        .isEqualTo("'it\\'s'");
  }
}
