package dev.portfolio.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Checks the chunker's guarantees over many seeded random texts and options. */
class ChunkerPropertyTest {
  private static final String[] WORDS = {
    "the", "a", "retrieval", "embedding", "index", "vector", "PostgreSQL", "x", "ok", "Hello",
    "naïve", "café", "über", "don't", "e-mail", "3.14", "2024", "(see", "below)", "URL:",
  };
  private static final String[] EMOJI = {
    "\ud83d\ude00",
    "\ud83d\ude80",
    "\u2764\ufe0f",
    "\ud83d\udc4d\ud83c\udffd",
    "\ud83d\udc68\u200d\ud83d\udc69\u200d\ud83d\udc67\u200d\ud83d\udc66",
    "\ud83c\uddeb\ud83c\uddf7",
  };
  private static final String[] GAPS = {
    " ", " ", " ", " ", "  ", "\t", "\n", "\n\n", "\r\n", "\r\n\r\n", "\n \n\n", "\u3000", "\u2029",
  };
  private static final String[] ENDS = {". ", "! ", "? ", "。", ".\n", "… "};

  /** Builds a random text of roughly {@code length} chars mixing scripts, emoji and layouts. */
  static String randomText(Random random, int length) {
    StringBuilder sb = new StringBuilder(length + 64);
    if (random.nextInt(4) == 0) {
      sb.append(GAPS[random.nextInt(GAPS.length)]);
    }
    while (sb.length() < length) {
      int kind = random.nextInt(100);
      if (kind < 55) {
        String word = WORDS[random.nextInt(WORDS.length)];
        sb.append(random.nextInt(8) == 0 ? capitalize(word) : word);
      } else if (kind < 65) {
        int n = 1 + random.nextInt(12);
        for (int i = 0; i < n; i++) {
          sb.appendCodePoint(
              random.nextInt(10) == 0
                  ? 0x20000 + random.nextInt(500)
                  : 0x4E00 + random.nextInt(2000));
        }
      } else if (kind < 72) {
        sb.append(EMOJI[random.nextInt(EMOJI.length)]);
      } else if (kind < 79) {
        int n = 1 + random.nextInt(5);
        for (int i = 0; i < n; i++) {
          sb.append((char) ('a' + random.nextInt(26)));
          int marks = random.nextInt(4);
          for (int m = 0; m < marks; m++) {
            sb.append((char) (0x300 + random.nextInt(0x70)));
          }
        }
      } else if (kind < 82) {
        // No spaces at all: a long run, sometimes in Thai.
        int n = 20 + random.nextInt(random.nextInt(10) == 0 ? 3000 : 200);
        for (int i = 0; i < n; i++) {
          sb.append(
              random.nextBoolean()
                  ? (char) ('a' + random.nextInt(26))
                  : (char) (0x0E01 + random.nextInt(40)));
        }
      } else if (kind < 83 && random.nextInt(10) == 0) {
        sb.append("Z".repeat(5000 + random.nextInt(20_000)));
      } else if (kind < 93) {
        sb.append(ENDS[random.nextInt(ENDS.length)]);
        continue;
      } else {
        sb.append(",;:-—/\"'".charAt(random.nextInt(8)));
      }
      sb.append(GAPS[random.nextInt(GAPS.length)]);
    }
    return sb.toString();
  }

  private static String capitalize(String word) {
    return Character.toUpperCase(word.charAt(0)) + word.substring(1);
  }

  private static ChunkerOptions randomOptions(Random random, TokenCounter counter) {
    int[] sizes = {1, 2, 3, 5, 8, 13, 16, 32, 50, 100, 200, 512};
    int size = random.nextBoolean() ? sizes[random.nextInt(sizes.length)] : 1 + random.nextInt(300);
    int overlap =
        switch (random.nextInt(4)) {
          case 0 -> 0;
          case 1 -> size - 1;
          default -> random.nextInt(size);
        };
    return ChunkerOptions.builder()
        .unit(random.nextBoolean() ? ChunkUnit.TOKENS : ChunkUnit.CHARACTERS)
        .size(size)
        .overlap(overlap)
        .tokenCounter(counter)
        .build();
  }

  @Test
  void chunksKeepEveryGuaranteeOverRandomTextsAndOptions() {
    Random random = new Random(20240611L);
    for (int round = 0; round < 400; round++) {
      String text =
          randomText(random, random.nextInt(4) == 0 ? random.nextInt(20) : random.nextInt(6000));
      ChunkerOptions options = randomOptions(random, TokenCounter.approximate());
      List<TextChunk> chunks = new Chunker(options).chunk(text);
      assertInvariants(text, options, chunks);
      assertThat(new Chunker(options).chunk(text)).as("deterministic").isEqualTo(chunks);
    }
  }

  @Test
  void chunksKeepEveryGuaranteeWithACounterThatIsNotAdditive() {
    // Counts every char, whitespace included, in threes: the sum of the words' counts differs from
    // the count of the chunk, so the chunker must check real counts.
    TokenCounter thirds = text -> (text.length() + 2) / 3;
    Random random = new Random(99);
    for (int round = 0; round < 200; round++) {
      String text = randomText(random, random.nextInt(3000));
      ChunkerOptions options =
          randomOptions(random, thirds).toBuilder().unit(ChunkUnit.TOKENS).build();
      assertInvariants(text, options, new Chunker(options).chunk(text));
    }
  }

  @Test
  void chunksOfTextWithoutAnySpaceKeepEveryGuarantee() {
    Random random = new Random(5);
    for (int round = 0; round < 50; round++) {
      StringBuilder sb = new StringBuilder();
      int n = random.nextInt(5000);
      for (int i = 0; i < n; i++) {
        switch (random.nextInt(4)) {
          case 0 -> sb.append(EMOJI[random.nextInt(EMOJI.length)]);
          case 1 -> sb.append("e\u0301");
          default -> sb.append((char) ('a' + random.nextInt(26)));
        }
      }
      String text = sb.toString();
      ChunkerOptions options = randomOptions(random, TokenCounter.approximate());
      assertInvariants(text, options, new Chunker(options).chunk(text));
    }
  }

  static void assertInvariants(String text, ChunkerOptions options, List<TextChunk> chunks) {
    String context = options + " on a text of " + text.length() + " chars";
    if (text.isBlank()) {
      assertThat(chunks).as(context).isEmpty();
      return;
    }
    assertThat(chunks).as(context).isNotEmpty();
    TokenCounter counter = options.tokenCounter();
    int covered = 0;
    TextChunk previous = null;
    for (int i = 0; i < chunks.size(); i++) {
      TextChunk chunk = chunks.get(i);
      String where =
          context + ", chunk " + i + " " + chunk.startOffset() + ".." + chunk.endOffset();
      assertThat(chunk.ordinal()).as(where).isEqualTo(i);
      assertThat(chunk.text())
          .as(where)
          .isEqualTo(text.substring(chunk.startOffset(), chunk.endOffset()))
          .isNotEmpty()
          .isEqualTo(chunk.text().strip());
      assertThat(measure(chunk.text(), options))
          .as(where + " size")
          .isLessThanOrEqualTo(options.size());
      assertThat(chunk.tokenCount()).as(where).isEqualTo(counter.count(chunk.text()));
      assertThat(splitsSurrogatePair(text, chunk.startOffset())).as(where + " start").isFalse();
      assertThat(splitsSurrogatePair(text, chunk.endOffset())).as(where + " end").isFalse();
      if (options.size() >= 10) {
        assertThat(splitsBeforeAMark(text, chunk.startOffset())).as(where + " start").isFalse();
        assertThat(splitsBeforeAMark(text, chunk.endOffset())).as(where + " end").isFalse();
      }
      assertThat(firstNonWhitespace(text, covered, chunk.startOffset()))
          .as(where + " leaves text uncovered before it")
          .isEqualTo(-1);
      covered = Math.max(covered, chunk.endOffset());
      if (previous != null) {
        assertThat(chunk.startOffset()).as(where).isGreaterThan(previous.startOffset());
        assertThat(chunk.endOffset()).as(where).isGreaterThan(previous.endOffset());
        if (options.overlap() == 0) {
          assertThat(chunk.startOffset()).as(where).isGreaterThanOrEqualTo(previous.endOffset());
        } else if (chunk.startOffset() < previous.endOffset()) {
          String shared = text.substring(chunk.startOffset(), previous.endOffset());
          assertThat(measure(shared, options))
              .as(where + " overlap")
              .isLessThanOrEqualTo(options.overlap());
        }
      }
      previous = chunk;
    }
    assertThat(firstNonWhitespace(text, covered, text.length()))
        .as(context + " leaves text uncovered at the end")
        .isEqualTo(-1);
  }

  private static long measure(String s, ChunkerOptions options) {
    return options.unit() == ChunkUnit.CHARACTERS
        ? s.codePointCount(0, s.length())
        : options.tokenCounter().count(s);
  }

  private static boolean splitsSurrogatePair(String text, int index) {
    return index > 0
        && index < text.length()
        && Character.isHighSurrogate(text.charAt(index - 1))
        && Character.isLowSurrogate(text.charAt(index));
  }

  private static boolean splitsBeforeAMark(String text, int index) {
    if (index <= 0 || index >= text.length()) {
      return false;
    }
    int cp = text.codePointAt(index);
    int type = Character.getType(cp);
    boolean mark =
        type == Character.NON_SPACING_MARK
            || type == Character.COMBINING_SPACING_MARK
            || type == Character.ENCLOSING_MARK
            || cp == 0x200D;
    return mark && !Character.isWhitespace(text.codePointBefore(index));
  }

  private static int firstNonWhitespace(String text, int from, int to) {
    for (int i = from; i < to; i++) {
      if (!Character.isWhitespace(text.charAt(i))) {
        return i;
      }
    }
    return -1;
  }
}
