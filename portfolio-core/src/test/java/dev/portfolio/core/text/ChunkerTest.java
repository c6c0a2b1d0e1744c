package dev.portfolio.core.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portfolio.core.error.InvalidInputException;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ChunkerTest {

  private static Chunker tokens(int size, int overlap) {
    return new Chunker(ChunkerOptions.builder().size(size).overlap(overlap).build());
  }

  private static Chunker characters(int size, int overlap) {
    return new Chunker(
        ChunkerOptions.builder().unit(ChunkUnit.CHARACTERS).size(size).overlap(overlap).build());
  }

  private static List<String> texts(List<TextChunk> chunks) {
    return chunks.stream().map(TextChunk::text).toList();
  }

  @Test
  void emptyAndBlankTextGiveNoChunks() {
    assertThat(Chunker.withDefaults().chunk("")).isEmpty();
    assertThat(Chunker.withDefaults().chunk(" \n\t\r\n \u3000 ")).isEmpty();
  }

  @Test
  void nullTextIsRejectedNamingTheArgument() {
    assertThatThrownBy(() -> Chunker.withDefaults().chunk(null))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("text must not be null");
    assertThatThrownBy(() -> new Chunker(null))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("options must not be null");
  }

  @Test
  void shortTextIsOneTrimmedChunkWithAdjustedOffsets() {
    String text = "  \n Hello world.  \n";

    List<TextChunk> chunks = Chunker.withDefaults().chunk(text);

    assertThat(chunks).containsExactly(new TextChunk(0, "Hello world.", 4, 16, 5));
  }

  @Test
  void chunksEndAtParagraphBreaksRatherThanFillingUp() {
    String p1 = "The first paragraph talks about cats. Cats sleep a lot.";
    String p2 = "The second paragraph is about dogs. Dogs bark.";
    String p3 = "Birds sing. Fish swim. Frogs jump. Bees buzz. Cows moo. Owls hoot.";
    String text = p1 + "\n\n" + p2 + "\n\n" + p3;
    int size = TokenCounter.approximate().count(p1 + p2) + 4;

    List<TextChunk> chunks = tokens(size, 0).chunk(text);

    assertThat(texts(chunks)).containsExactly(p1 + "\n\n" + p2, p3);
  }

  @Test
  void crLfBlankLinesAreParagraphBreaks() {
    String text = "Alpha beta gamma delta.\r\n\r\nEpsilon zeta. Eta theta iota kappa lambda mu.";

    List<TextChunk> chunks = characters(45, 0).chunk(text);

    assertThat(texts(chunks))
        .containsExactly(
            "Alpha beta gamma delta.", "Epsilon zeta. Eta theta iota kappa lambda mu.");
  }

  @Test
  void chunksEndAtSentenceBreaksWithinAParagraph() {
    String text =
        "One two three four five. Six seven eight nine ten. Eleven twelve thirteen fourteen."
            + " Fifteen sixteen seventeen. Eighteen nineteen twenty.";

    List<TextChunk> chunks = characters(60, 0).chunk(text);

    assertThat(texts(chunks))
        .containsExactly(
            "One two three four five. Six seven eight nine ten.",
            "Eleven twelve thirteen fourteen. Fifteen sixteen seventeen.",
            "Eighteen nineteen twenty.");
  }

  @Test
  void aSentenceLongerThanTheSizeIsCutBetweenWords() {
    String text = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda";

    List<TextChunk> chunks = characters(20, 0).chunk(text);

    assertThat(texts(chunks))
        .containsExactly(
            "alpha beta gamma", "delta epsilon zeta", "eta theta iota kappa", "lambda");
    assertThat(chunks).allSatisfy(c -> assertThat(c.text().length()).isLessThanOrEqualTo(20));
  }

  @Test
  void overlapRepeatsTheTrailingWordsOfThePreviousChunk() {
    String text = IntStream.range(0, 30).mapToObj(i -> "w" + i).collect(Collectors.joining(" "));

    List<TextChunk> chunks = characters(20, 6).chunk(text);

    assertThat(chunks.get(0).text()).isEqualTo("w0 w1 w2 w3 w4 w5 w6");
    assertThat(chunks.get(1).text()).isEqualTo("w5 w6 w7 w8 w9 w10");
    assertThat(chunks.get(2).text()).startsWith("w9 w10 ");
    assertThat(chunks.getLast().text()).endsWith("w29");
  }

  @Test
  void overlapPrefersToStartAtASentence() {
    String text = "Aa bb cc dd. Ee ff gg. Hh ii jj kk ll mm.";

    List<TextChunk> chunks = characters(22, 12).chunk(text);

    assertThat(texts(chunks)).startsWith("Aa bb cc dd. Ee ff gg.", "Ee ff gg. Hh ii jj kk");
  }

  @Test
  void anOverLongWordIsCutIntoPiecesThatFit() {
    String word = "x".repeat(100);

    assertThat(characters(30, 0).chunk("go " + word + " end"))
        .extracting(TextChunk::text)
        .containsExactly(
            "go", "x".repeat(30), "x".repeat(30), "x".repeat(30), "x".repeat(10) + " end");
    assertThat(tokens(5, 0).chunk("a".repeat(100)))
        .hasSize(5)
        .allSatisfy(c -> assertThat(c.text()).hasSize(20))
        .allSatisfy(c -> assertThat(c.tokenCount()).isEqualTo(5));
  }

  @Test
  void cutsNeverSplitASurrogatePair() {
    String emoji = "\ud83d\ude00".repeat(50);

    List<TextChunk> chunks = characters(7, 0).chunk(emoji);

    assertThat(chunks).hasSize(8);
    assertThat(chunks.get(0).text()).isEqualTo("\ud83d\ude00".repeat(7));
    assertThat(chunks.getLast().text()).isEqualTo("\ud83d\ude00");
  }

  @Test
  void cutsKeepACombiningMarkWithItsLetter() {
    String text = "e\u0301".repeat(20);

    List<TextChunk> chunks = characters(5, 0).chunk(text);

    assertThat(chunks)
        .hasSize(10)
        .allSatisfy(c -> assertThat(c.text()).isEqualTo("e\u0301e\u0301"));
  }

  @Test
  void cutsKeepAnEmojiSequenceWhole() {
    String family = "\ud83d\udc68\u200d\ud83d\udc69\u200d\ud83d\udc67";
    String text = family.repeat(4);

    List<TextChunk> chunks = characters(12, 0).chunk(text);

    assertThat(texts(chunks)).containsExactly(family + family, family + family);
  }

  @Test
  void aGraphemeLongerThanTheSizeIsCutBetweenCodePoints() {
    String zalgo = "a" + "\u0301".repeat(9);

    List<TextChunk> chunks = characters(4, 0).chunk(zalgo);

    assertThat(texts(chunks))
        .containsExactly(zalgo.substring(0, 4), zalgo.substring(4, 8), zalgo.substring(8));
  }

  @Test
  void cjkTextIsCutAtSentenceEndsAndBetweenCharacters() {
    String text = "我们今天去公园。天气很好！我们玩得很开心。";

    assertThat(texts(tokens(14, 0).chunk(text))).containsExactly("我们今天去公园。天气很好！", "我们玩得很开心。");
    assertThat(texts(tokens(5, 0).chunk("我们今天去公园散步"))).containsExactly("我们今天去", "公园散步");
  }

  @Test
  void tokenCountUsesTheConfiguredCounter() {
    TokenCounter characters = CharSequence::length;
    Chunker chunker =
        new Chunker(ChunkerOptions.builder().size(10).overlap(0).tokenCounter(characters).build());

    List<TextChunk> chunks = chunker.chunk("aaaa bbbb cccc dddd");

    assertThat(texts(chunks)).containsExactly("aaaa bbbb", "cccc dddd");
    assertThat(chunks).extracting(TextChunk::tokenCount).containsExactly(9, 9);
  }

  @Test
  void aCounterThatCountsOneCharacterAboveTheSizeIsReported() {
    TokenCounter expensive = text -> 3 * text.length();
    Chunker chunker =
        new Chunker(ChunkerOptions.builder().size(2).overlap(0).tokenCounter(expensive).build());

    assertThatThrownBy(() -> chunker.chunk("ok x"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("counts 3 tokens for the single character U+006F at index 0")
        .hasMessageContaining("more than chunker.size (2)");
  }

  @Test
  void chunkingIsDeterministic() {
    String text = ChunkerPropertyTest.randomText(new java.util.Random(3), 5000);
    Chunker chunker = tokens(40, 10);

    assertThat(chunker.chunk(text)).isEqualTo(chunker.chunk(text));
  }

  @Test
  void aMegabyteOfTextIsChunkedWithinTheSize() {
    String text = ChunkerPropertyTest.randomText(new java.util.Random(11), 1_000_000);

    List<TextChunk> chunks = Chunker.withDefaults().chunk(text);

    ChunkerPropertyTest.assertInvariants(text, ChunkerOptions.defaults(), chunks);
    assertThat(chunks.size()).isGreaterThan(100);
  }
}
