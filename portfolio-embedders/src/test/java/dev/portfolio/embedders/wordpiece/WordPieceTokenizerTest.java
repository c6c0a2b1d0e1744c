package dev.portfolio.embedders.wordpiece;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portfolio.core.error.InvalidInputException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hand-checked cases: each expectation was worked out from the rules of the BERT normalizer,
 * pre-tokenizer and WordPiece model, and agrees with the HuggingFace reference.
 */
class WordPieceTokenizerTest {
  private static WordPieceTokenizer tokenizer;

  @BeforeAll
  static void load() throws IOException {
    try (InputStream in =
        WordPieceTokenizerTest.class
            .getClassLoader()
            .getResourceAsStream("all-minilm-l6-v2-q-tokenizer.json")) {
      tokenizer = WordPieceTokenizer.read(in, "all-minilm-l6-v2-q-tokenizer.json");
    }
  }

  @Test
  void encodesWithClsAndSepAroundLowerCasedWords() {
    assertThat(tokenizer.encode("Hello, World!", 256))
        .containsExactly(101, 7592, 1010, 2088, 999, 102);
  }

  @Test
  void stripsAccentsAfterDecomposing() {
    assertThat(tokenizer.tokenize("Café naïve RÉSUMÉ")).containsExactly("cafe", "naive", "resume");
    assertThat(tokenizer.tokenize("e\u0301")).containsExactly("e");
    assertThat(tokenizer.tokenize("İstanbul")).containsExactly("istanbul");
  }

  @Test
  void lowerCasesEachCodePointWithoutFinalSigmaRule() {
    assertThat(tokenizer.tokenize("ΣΑΣ")).containsExactly("σ", "##α", "##σ");
  }

  @Test
  void splitsCjkIdeographsIntoSingleCharacterWords() {
    assertThat(tokenizer.tokenize("北京大学")).containsExactly("北", "京", "大", "学");
  }

  @Test
  void isolatesAsciiAndUnicodePunctuationButKeepsSymbolsInWords() {
    assertThat(tokenizer.tokenize("don't $5 «x»"))
        .containsExactly("don", "'", "t", "$", "5", "«", "x", "»");
    assertThat(tokenizer.tokenize("€100")).containsExactly("€", "##100");
  }

  @Test
  void splitsUnknownWordsIntoSubwordPieces() {
    assertThat(tokenizer.tokenize("embeddings PostgreSQL"))
        .containsExactly("em", "##bed", "##ding", "##s", "post", "##gre", "##s", "##q", "##l");
  }

  @Test
  void mapsWordsWithoutAnySplitToUnknown() {
    assertThat(tokenizer.tokenize("ǆ")).containsExactly("[UNK]");
  }

  @Test
  void mapsWordsLongerThanOneHundredCharactersToASingleUnknown() {
    String longWord = "a".repeat(101);
    assertThat(tokenizer.tokenize(longWord)).containsExactly("[UNK]");
    assertThat(tokenizer.tokenize("a".repeat(100))).hasSizeGreaterThan(1);
  }

  @Test
  void removesControlAndFormatCharactersAndTreatsAllSpacesAsSeparators() {
    assertThat(tokenizer.tokenize("a\u200bb\u0000c\ufeffd")).containsExactly("abc", "##d");
    assertThat(tokenizer.tokenize("tab\there\u00a0nbsp\u3000x"))
        .containsExactly("tab", "here", "n", "##bs", "##p", "x");
  }

  @Test
  void keepsSpecialTokensWrittenLiterallyInTheText() {
    assertThat(tokenizer.encode("[MASK] is here", 256)).containsExactly(101, 103, 2003, 2182, 102);
    assertThat(tokenizer.tokenize("[mask]")).containsExactly("[", "mask", "]");
  }

  @Test
  void truncatesToMaxLengthKeepingClsAndSep() {
    String text = "word ".repeat(300);
    int[] ids = tokenizer.encode(text, 256);
    assertThat(ids).hasSize(256);
    assertThat(ids[0]).isEqualTo(101);
    assertThat(ids[255]).isEqualTo(102);
    assertThat(tokenizer.encode(text, 8))
        .containsExactly(101, 2773, 2773, 2773, 2773, 2773, 2773, 102);
  }

  @Test
  void encodesEmptyTextAsClsAndSepOnly() {
    assertThat(tokenizer.encode("", 256)).containsExactly(101, 102);
    assertThat(tokenizer.countTokens("   ")).isZero();
  }

  @Test
  void countsTokensWithoutSpecials() {
    assertThat(tokenizer.countTokens("Hello, World!")).isEqualTo(4);
    assertThat(tokenizer.specialTokensPerSequence()).isEqualTo(2);
    assertThat(tokenizer.vocabularySize()).isEqualTo(30522);
  }

  @Test
  void rejectsMaxLengthThatLeavesNoRoomForText() {
    assertThatThrownBy(() -> tokenizer.encode("x", 2))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("maxLength must be between 3 and 2147483647 (was 2)");
  }

  @Test
  void rejectsTokenizerFilesOfOtherModelTypes() {
    String json =
        "{\"model\":{\"type\":\"BPE\",\"vocab\":{\"a\":0}},\"normalizer\":null,"
            + "\"pre_tokenizer\":null}";
    assertThatThrownBy(() -> read(json))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "Tokenizer file test.json uses model type 'BPE'; the onnx embedder supports BERT"
                + " WordPiece tokenizers only (model: WordPiece). Use the tokenizer.json exported"
                + " with a BERT-family model.");
  }

  @Test
  void rejectsTokenizerFilesWhoseUnknownTokenIsMissing() {
    String json =
        "{\"model\":{\"type\":\"WordPiece\",\"unk_token\":\"[UNK]\",\"vocab\":{\"a\":0}}}";
    assertThatThrownBy(() -> read(json))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "Tokenizer file test.json is invalid: model.unk_token \"[UNK]\" is not in the"
                + " vocabulary.");
  }

  @Test
  void rejectsContentThatIsNotJson() {
    assertThatThrownBy(() -> read("not json"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("Tokenizer file test.json is not valid JSON: ");
  }

  @Test
  void reportsAMissingFileWithItsPath() {
    Path missing = Path.of("/nonexistent/tokenizer.json");
    assertThatThrownBy(() -> WordPieceTokenizer.load(missing))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("Cannot read tokenizer file /nonexistent/tokenizer.json: ")
        .hasMessageEndingWith("Point tokenizerPath at a HuggingFace tokenizer.json.");
  }

  @Test
  void readsAMinimalTokenizerWithoutNormalizerOrPostProcessor() {
    String json =
        "{\"model\":{\"type\":\"WordPiece\",\"unk_token\":\"[UNK]\","
            + "\"vocab\":{\"[UNK]\":0,\"Ab\":1,\"##c\":2}}}";
    WordPieceTokenizer minimal = read(json);
    assertThat(minimal.encode("Abc ab", 16)).containsExactly(1, 2, 0);
    assertThat(minimal.specialTokensPerSequence()).isZero();
  }

  private static WordPieceTokenizer read(String json) {
    return WordPieceTokenizer.read(
        new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "test.json");
  }
}
