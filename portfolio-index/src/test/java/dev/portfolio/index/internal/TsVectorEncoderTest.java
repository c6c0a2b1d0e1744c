package dev.portfolio.index.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.text.KeywordTokenizer;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TsVectorEncoderTest {
  private final TsVectorEncoder encoder = new TsVectorEncoder();

  private String tsv(String text) {
    encoder.encode(text);
    return TsVectorText.text(encoder.toByteArray());
  }

  private static String words(String word, int times) {
    return IntStream.range(0, times).mapToObj(i -> word).collect(Collectors.joining(" "));
  }

  @Test
  void encodesTheWireFormatTsvectorrecvReads() {
    int length = encoder.encode("b A");

    assertThat(length).isEqualTo(encoder.length()).isEqualTo(16);
    assertThat(encoder.lexemeCount()).isEqualTo(2);
    assertThat(encoder.toByteArray())
        .containsExactly(0, 0, 0, 2, 'a', 0, 0, 1, 0, 2, 'b', 0, 0, 1, 0, 1);
    assertThat(encoder.buffer()).startsWith(encoder.toByteArray());
  }

  @Test
  void emptyTextAndTextWithoutWordsGiveTheEmptyTsvector() {
    for (String text : List.of("", "   ", "... -- !?", "\u00a0\u2028")) {
      assertThat(encoder.encode(text)).isEqualTo(4);
      assertThat(encoder.toByteArray()).containsExactly(0, 0, 0, 0);
      assertThat(encoder.lexemeCount()).isZero();
    }
  }

  @Test
  void positionsAreTheOneBasedWordIndexAndRepeatsShareALexeme() {
    assertThat(tsv("The cat, the HAT; the end.")).isEqualTo("'cat':2 'end':6 'hat':4 'the':1,3,5");
    assertThat(tsv("example.com 3.14")).isEqualTo("'14':4 '3':3 'com':2 'example':1");
  }

  @Test
  void positionsAreClampedTo16383AndAClampedPositionIsNotRepeated() {
    String text = words("w", 16_380) + " a b c d e f a c";

    assertThat(tsv(text))
        .startsWith("'a':16381,16383 'b':16382 'c':16383 'd':16383 'e':16383 'f':16383 'w':1,2,3,");
    assertThat(TsVectorText.decode(encoder.toByteArray()).get("w")).hasSize(255);
  }

  @Test
  void aLexemeKeepsItsFirst255Positions() {
    Map<String, List<Integer>> lexemes =
        TsVectorText.decode(bytes("x " + words("repeat", 400) + " y"));

    assertThat(lexemes.get("repeat")).hasSize(255).startsWith(2, 3).endsWith(256);
    assertThat(lexemes.get("y")).containsExactly(402);
    assertThat(lexemes.get("x")).containsExactly(1);
  }

  @Test
  void wordsOf2048BytesOrMoreAreSkippedWithoutTakingAPosition() {
    assertThat(tsv("x " + "a".repeat(2048) + " y")).isEqualTo("'x':1 'y':2");
    assertThat(tsv("x " + "é".repeat(1024) + " y")).isEqualTo("'x':1 'y':2");
    assertThat(tsv("x " + "a".repeat(100_000) + " y " + "b".repeat(3000))).isEqualTo("'x':1 'y':2");
    assertThat(tsv("x " + "a".repeat(2047) + " y"))
        .isEqualTo("'" + "a".repeat(2047) + "':2 'x':1 'y':3");
    assertThat(tsv("x " + "é".repeat(1023) + "a y"))
        .isEqualTo("'x':1 'y':3 '" + "é".repeat(1023) + "a':2");
    // The limit applies to the normalised word: U+FB03 (ﬃ) becomes "ffi".
    assertThat(tsv("\ufb03".repeat(682) + "ab c")).isEqualTo("'c':1");
    assertThat(tsv("\ufb03".repeat(682) + "a c")).isEqualTo("'c':2 '" + "ffi".repeat(682) + "a':1");
  }

  @Test
  void lexemesAreSortedByTheirUtf8BytesNotByUtf16() {
    // U+FA0E is a CJK ideograph without decomposition; U+20000 sorts before it in UTF-16 (D840).
    String text = "\ud840\udc00 \ufa0e z é ё а ab a b ba ab1 a1 1 10 9";

    assertThat(tsv(text))
        .isEqualTo(
            "'1':13 '10':14 '9':15 'a':8 'a1':12 'ab':7 'ab1':11 'b':9 'ba':10 'z':3 'é':4"
                + " 'а':6 'ё':5 '\ufa0e':2 '\ud840\udc00':1");
  }

  @Test
  void wordsAreTheKeywordTokenizersWordsNormalisedAndLowerCased() {
    assertThat(tsv("Café ΟΔΟΣ İstanbul Straße ﬁne ①②"))
        .isEqualTo(tsvOf("Café ΟΔΟΣ İstanbul Straße ﬁne ①②"));
    assertThat(tsv("ΟΔΟΣ")).isEqualTo("'οδος':1");
    assertThat(tsv("abc123 1e10 3.14 ٣٤ x\u0301y"))
        .isEqualTo("'14':4 '1e10':2 '3':3 'abc123':1 'x\u0301y':6 '٣٤':5");
  }

  @Test
  void matchesTheReferenceForRandomTextsWithOneEncoderReused() {
    SplittableRandom random = new SplittableRandom(42);
    // The last two make the encoder lower-case the whole text (final sigma, dotted capital I);
    // odd texts leave them out, so that it lower-cases character by character.
    String[] pieces = {
      "a",
      "B",
      "z",
      "0",
      "7",
      "e",
      " ",
      "  ",
      ".",
      "-",
      "\n",
      "é",
      "E\u0301",
      "ß",
      "ς",
      "ж",
      "Ё",
      "你",
      "好",
      "\ud840\udc00",
      "\ufa0e",
      "क",
      "ि",
      "्",
      "\u200d",
      "\u0301",
      "①",
      "ﬃ",
      "\u3316",
      "ǅ",
      "\ud83d\ude00",
      "\ud800",
      "\udbff",
      "٣",
      "1e5",
      "x".repeat(700),
      "é".repeat(400),
      "\ud801\udc00",
      "\u1e9e",
      "\u212b",
      "ΣΑΣ",
      "İ"
    };
    for (int t = 0; t < 2000; t++) {
      StringBuilder s = new StringBuilder();
      int n = random.nextInt(t % 200 == 0 ? 5000 : 200);
      for (int i = 0; i < n; i++) {
        s.append(pieces[random.nextInt(pieces.length - 2 * (t % 2))]);
      }
      String text = s.toString();
      assertThat(tsv(text)).as("text %s", t).isEqualTo(tsvOf(text));
    }
  }

  @Test
  void largeTextsWithManyDistinctWordsMatchTheReference() {
    SplittableRandom random = new SplittableRandom(7);
    StringBuilder s = new StringBuilder();
    while (s.length() < 99_000) {
      s.append(Integer.toString(random.nextInt(1 << 30), 36)).append(' ');
    }
    String text = s.toString();

    assertThat(tsv(text)).isEqualTo(tsvOf(text));
    assertThat(encoder.lexemeCount()).isGreaterThan(10_000);
    assertThat(tsv("small text after a big one"))
        .isEqualTo("'a':4 'after':3 'big':5 'one':6 'small':1 'text':2");
  }

  @Test
  void keywordsBeyondTheTsvectorSizeLimitAreRejectedLikeToTsvector() {
    // 25,000 distinct words of three squared katakana: NFKC makes each ~39 bytes.
    String text = TsVectorEncoderTest.oversized();

    assertThatThrownBy(() -> encoder.encode(text))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "Chunk text is too long for PostgreSQL's tsvector: its 24994 distinct keywords and"
                + " their positions take 1069190 bytes, max 1048575 (to_tsvector fails the same"
                + " way). Split the chunk into smaller chunks.");
    assertThat(encoder.length()).isZero();
    assertThat(encoder.lexemeCount()).isZero();
    assertThat(tsv("still works")).isEqualTo("'still':1 'works':2");
  }

  @Test
  void textIsRequired() {
    assertThatThrownBy(() -> encoder.encode(null)).isInstanceOf(NullPointerException.class);
  }

  /** A 100,000-character text whose tsvector needs 1,069,190 bytes (to_tsvector reports that). */
  static String oversized() {
    int[] pool = {
      0x3316, 0x3307, 0x3315, 0x3317, 0x3319, 0x331A, 0x3320, 0x332B, 0x332E, 0x3332, 0x3334,
      0x3336, 0x3347, 0x334A, 0x3356, 0x3300, 0x3301, 0x3302, 0x3304, 0x3308, 0x330C, 0x330D,
      0x3312, 0x3313, 0x331B, 0x331F, 0x3321, 0x332D, 0x3333, 0x333D, 0x3343, 0x3348, 0x334C,
      0x334D, 0x3351, 0x3354, 0x337F, 0x0F77, 0x0F79, 0x3303, 0x3305, 0x3306, 0x3309, 0x330A,
      0x330B, 0x330E, 0x330F, 0x3310, 0x3311, 0x3314, 0x3318, 0x331C, 0x331D, 0x331E, 0x3322,
      0x3323, 0x3324, 0x3325, 0x3326, 0x3327
    };
    StringBuilder s = new StringBuilder();
    for (int i = 0; s.length() + 4 <= 100_000; i++) {
      int x = i;
      for (int j = 0; j < 3; j++) {
        s.appendCodePoint(pool[x % pool.length]);
        x /= pool.length;
      }
      s.append(' ');
    }
    return s.toString();
  }

  private byte[] bytes(String text) {
    encoder.encode(text);
    return encoder.toByteArray();
  }

  private static String tsvOf(String text) {
    return TsVectorText.render(TsVectorText.reference(KeywordTokenizer.words(text)));
  }
}
