package dev.portfolio.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Bm25Test {
  private static final List<String> QUERY = List.of("pipe", "chown", "7", "file", "straße", "ﬁle");

  private static Map<String, Double> idf() {
    Map<String, Double> idf = new HashMap<>();
    for (String w : KeywordTokenizer.words(String.join(" ", QUERY))) {
      idf.put(w, 1.0 + w.length() / 10.0);
    }
    return idf;
  }

  @Test
  void scoringATextEqualsScoringItsWords() {
    List<String> texts =
        List.of(
            "",
            "   ",
            "Pipe(7) -- create a PIPE; pipes are files. chown FILE file-7 7 77",
            "CHOWN chown ChOwN, chown_file pipe7 7pipe",
            "Straße and STRASSE: ﬁle and file, Σίσυφος, naïve café pipe",
            "pipe",
            "no query word at all here");
    Map<String, Double> idf = idf();
    for (String text : texts) {
      assertThat(Bm25.scoreText(idf, text, 12.5))
          .as(text)
          .isEqualTo(Bm25.score(idf, KeywordTokenizer.words(text), 12.5));
    }
    assertThat(Bm25.scoreText(idf, texts.get(2), 12.5)).isPositive();
  }

  @Test
  void randomTextsScoreAlikeBothWays() {
    String alphabet = "abcPIPEfilechown 7.,-_()\\n\\tÄé";
    SplittableRandom random = new SplittableRandom(42);
    Map<String, Double> idf = idf();
    for (int i = 0; i < 2_000; i++) {
      StringBuilder text = new StringBuilder();
      int words = random.nextInt(0, 40);
      for (int w = 0; w < words; w++) {
        if (random.nextInt(3) == 0) {
          text.append(QUERY.get(random.nextInt(QUERY.size())));
        } else {
          for (int k = random.nextInt(1, 6); k > 0; k--) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length() - (i % 2 == 0 ? 2 : 0))));
          }
        }
        text.append(random.nextBoolean() ? ' ' : ',');
      }
      String t = text.toString();
      assertThat(Bm25.scoreText(idf, t, 9.0))
          .as(t)
          .isEqualTo(Bm25.score(idf, KeywordTokenizer.words(t), 9.0));
    }
  }
}
