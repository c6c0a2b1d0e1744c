package dev.portfolio.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class TokenCounterTest {
  private final TokenCounter counter = TokenCounter.approximate();

  @Test
  void whitespaceAloneCountsNothing() {
    assertThat(counter.count("")).isZero();
    assertThat(counter.count(" \t\n\r\u00a0\u3000")).isZero();
  }

  @Test
  void shortWordsCountOneTokenEach() {
    assertThat(counter.count("the cat sat")).isEqualTo(3);
    assertThat(counter.count("2024")).isEqualTo(1);
  }

  @Test
  void longWordsCountOneTokenPerFourCharacters() {
    assertThat(counter.count("tokens")).isEqualTo(2);
    assertThat(counter.count("information")).isEqualTo(3);
    assertThat(counter.count("abcdefgh")).isEqualTo(2);
    assertThat(counter.count("abcdefghi")).isEqualTo(3);
  }

  @Test
  void punctuationMarksCountOneTokenEach() {
    assertThat(counter.count("Hi, you!")).isEqualTo(4);
    assertThat(counter.count("a.b")).isEqualTo(3);
    assertThat(counter.count("...")).isEqualTo(3);
  }

  @Test
  void cjkLettersCountOneTokenEach() {
    assertThat(counter.count("你好世界")).isEqualTo(4);
    assertThat(counter.count("こんにちは")).isEqualTo(5);
    assertThat(counter.count("한국어")).isEqualTo(3);
    assertThat(counter.count("東京Tower")).isEqualTo(4);
  }

  @Test
  void emojiCountOneTokenAndTheirVariationSelectorsNothing() {
    assertThat(counter.count("\ud83d\ude00")).isEqualTo(1);
    assertThat(counter.count("\u2764\ufe0f")).isEqualTo(1);
    assertThat(counter.count("I \u2764\ufe0f it")).isEqualTo(3);
  }

  @Test
  void combiningMarksDoNotChangeTheCount() {
    assertThat(counter.count("cafe\u0301")).isEqualTo(counter.count("caf\u00e9")).isEqualTo(1);
    assertThat(counter.count("re\u0301sume\u0301s")).isEqualTo(2);
  }

  @Test
  void countIsAdditiveAcrossWhitespace() {
    Random random = new Random(7);
    String[] parts = {"word", "information", "你好", "\ud83d\ude00", "e\u0301", "a.b", "!", "x"};
    for (int round = 0; round < 500; round++) {
      String a = parts[random.nextInt(parts.length)] + parts[random.nextInt(parts.length)];
      String b = parts[random.nextInt(parts.length)] + parts[random.nextInt(parts.length)];
      assertThat(counter.count(a + " \n" + b)).isEqualTo(counter.count(a) + counter.count(b));
    }
  }

  @Test
  void rangeCountEqualsCountOfTheSubstring() {
    String text = "Hello, wonderful 世界 \ud83d\ude00 information!";
    for (int start = 0; start <= text.length(); start++) {
      for (int end = start; end <= text.length(); end++) {
        assertThat(counter.count(text, start, end))
            .as("[%d, %d)", start, end)
            .isEqualTo(counter.count(text.substring(start, end)));
      }
    }
  }

  @Test
  void fittingEndIsTheLongestPrefixWithinTheLimit() {
    ApproximateTokenCounter approximate = ApproximateTokenCounter.INSTANCE;
    String text = "Hello, wonderful 世界 \ud83d\ude00 informationretrieval e\u0301te\u0301!";
    for (int max = 0; max <= 12; max++) {
      int expected = 0;
      for (int end = 0; end <= text.length(); end++) {
        boolean boundary =
            end == 0 || end == text.length() || !Character.isLowSurrogate(text.charAt(end));
        if (boundary && counter.count(text, 0, end) <= max) {
          expected = end;
        }
      }
      assertThat(approximate.fittingEnd(text, 0, text.length(), max))
          .as("max %d", max)
          .isEqualTo(expected);
    }
  }

  @Test
  void defaultRangeCountUsesTheSubsequence() {
    TokenCounter lengths = CharSequence::length;
    assertThat(lengths.count("abcdef", 1, 4)).isEqualTo(3);
  }
}
