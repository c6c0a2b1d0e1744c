package dev.portfolio.embedders.wordpiece;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compares token ids with the HuggingFace tokenizers library (through DJL, whose jar bundles the
 * native library, so this runs offline) on thousands of varied texts.
 */
class WordPieceTokenizerReferenceTest {
  private static final String TOKENIZER = "all-minilm-l6-v2-q-tokenizer.json";

  @TempDir static Path dir;

  private static HuggingFaceTokenizer reference;
  private static WordPieceTokenizer ours;

  @BeforeAll
  static void load() throws IOException {
    System.setProperty("offline", "true");
    Path file = dir.resolve("tokenizer.json");
    try (InputStream in =
        WordPieceTokenizerReferenceTest.class.getClassLoader().getResourceAsStream(TOKENIZER)) {
      assertThat(in).as("bundled tokenizer on the test class path").isNotNull();
      Files.copy(in, file);
    }
    reference =
        HuggingFaceTokenizer.builder()
            .optTokenizerPath(file)
            .optPadding(false)
            .optTruncation(true)
            .optMaxLength(256)
            .optAddSpecialTokens(true)
            .build();
    ours = WordPieceTokenizer.load(file);
  }

  @AfterAll
  static void close() {
    if (reference != null) {
      reference.close();
    }
  }

  @Test
  void tokenIdsMatchHuggingFaceOnThreeThousandVariedTexts() {
    List<String> texts = VariedTexts.generate(3000, 20240917L);
    List<String> mismatches = new ArrayList<>();
    int truncated = 0;
    for (String text : texts) {
      Encoding expected = reference.encode(text);
      long[] expectedIds = expected.getIds();
      int[] actual = ours.encode(text, 256);
      if (expectedIds.length == 256) {
        truncated++;
      }
      if (!Arrays.equals(expectedIds, Arrays.stream(actual).asLongStream().toArray())
          && mismatches.size() < 10) {
        mismatches.add(firstDifference(text, expected.getTokens()));
      }
    }
    assertThat(mismatches).as("texts whose ids differ").isEmpty();
    assertThat(truncated).as("texts long enough to be truncated at 256").isGreaterThan(100);
  }

  @Test
  void everyAssignedCodePointIsClassifiedAsTheReferenceDoes() {
    List<Integer> codePoints = new ArrayList<>();
    for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
      boolean uniformBlock =
          (cp >= 0x3400 && cp <= 0x9FFF)
              || (cp >= 0xAC00 && cp <= 0xD7A3)
              || (cp >= 0x17000 && cp <= 0x18CFF)
              || (cp >= 0x20000 && cp <= 0x3FFFF);
      if (Character.getType(cp) == Character.SURROGATE
          || (Character.getType(cp) == Character.UNASSIGNED && cp > 0x2FFFF)
          || (uniformBlock && cp % 31 != 0)) {
        continue;
      }
      codePoints.add(cp);
    }
    List<String> mismatches = new ArrayList<>();
    for (int from = 0; from < codePoints.size(); from += 4096) {
      List<Integer> chunk = codePoints.subList(from, Math.min(codePoints.size(), from + 4096));
      List<String> texts = new ArrayList<>(chunk.size());
      for (int cp : chunk) {
        texts.add("a" + Character.toString(cp) + "A");
      }
      Encoding[] expected = reference.batchEncode(texts);
      for (int k = 0; k < chunk.size(); k++) {
        long[] actual = Arrays.stream(ours.encode(texts.get(k), 256)).asLongStream().toArray();
        if (!Arrays.equals(expected[k].getIds(), actual) && mismatches.size() < 20) {
          mismatches.add(
              String.format(
                  "U+%04X expected %s actual %s",
                  chunk.get(k),
                  Arrays.toString(expected[k].getTokens()),
                  ours.tokenize(texts.get(k))));
        }
      }
    }
    assertThat(codePoints).hasSizeGreaterThan(150_000);
    assertThat(mismatches).as("code points tokenized differently").isEmpty();
  }

  private static String firstDifference(String text, String[] expected) {
    List<String> actual = new ArrayList<>();
    actual.add("[CLS]");
    actual.addAll(ours.tokenize(text));
    actual = new ArrayList<>(actual.subList(0, Math.min(actual.size(), 255)));
    actual.add("[SEP]");
    int i = 0;
    while (i < Math.min(expected.length, actual.size()) && expected[i].equals(actual.get(i))) {
      i++;
    }
    int from = Math.max(0, i - 3);
    String culprit = "";
    for (String piece : text.split(" ")) {
      long[] e = reference.encode(piece).getIds();
      long[] a = Arrays.stream(ours.encode(piece, 256)).asLongStream().toArray();
      if (!Arrays.equals(e, a)) {
        culprit = "\n  smallest differing piece: " + describe(piece);
        break;
      }
    }
    return describe(text)
        + culprit
        + "\n  from token "
        + from
        + " expected "
        + Arrays.asList(expected).subList(from, Math.min(expected.length, i + 4))
        + "\n  actual "
        + actual.subList(from, Math.min(actual.size(), i + 4));
  }

  private static String describe(String text) {
    StringBuilder sb = new StringBuilder();
    text.codePoints()
        .limit(200)
        .forEach(
            cp -> {
              if (cp < 0x20 || cp > 0x7e) {
                sb.append(String.format("\\u{%x}", cp));
              } else {
                sb.appendCodePoint(cp);
              }
            });
    return sb.toString();
  }
}
