package dev.portfolio.core.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portfolio.core.error.InvalidInputException;
import org.junit.jupiter.api.Test;

class ChunkerOptionsTest {

  @Test
  void forEmbedderSizesChunksToTheModelsBudgetCountedWithItsCounter() {
    TokenCounter chars = CharSequence::length;
    ChunkerOptions small =
        ChunkerOptions.forEmbedder(new dev.portfolio.core.spi.InputTokens(chars, 254, true));
    assertThat(small.size()).isEqualTo(254);
    assertThat(small.overlap()).isEqualTo(31);
    assertThat(small.unit()).isEqualTo(ChunkUnit.TOKENS);
    assertThat(small.tokenCounter()).isSameAs(chars);

    ChunkerOptions large =
        ChunkerOptions.forEmbedder(new dev.portfolio.core.spi.InputTokens(chars, 8191, false));
    assertThat(large.size()).isEqualTo(ChunkerOptions.DEFAULT_SIZE);

    ChunkerOptions reserved =
        ChunkerOptions.forEmbedder(new dev.portfolio.core.spi.InputTokens(chars, 254, true), 20);
    assertThat(reserved.size()).isEqualTo(234);
  }

  @Test
  void forEmbedderRejectsAReserveThatLeavesNoRoomForText() {
    var budget = new dev.portfolio.core.spi.InputTokens(TokenCounter.approximate(), 254, true);
    assertThatThrownBy(() -> ChunkerOptions.forEmbedder(budget, 254))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("reservedTokens must be between 0 and 253")
        .hasMessageContaining("shorten the title or heading prefix");
  }

  @Test
  void defaultsAre512TokensWith64TokensOfOverlap() {
    ChunkerOptions options = ChunkerOptions.defaults();
    assertThat(options.unit()).isEqualTo(ChunkUnit.TOKENS);
    assertThat(options.size()).isEqualTo(512);
    assertThat(options.overlap()).isEqualTo(64);
    assertThat(options.tokenCounter()).isSameAs(TokenCounter.approximate());
    assertThat(ChunkerOptions.builder().build()).isEqualTo(options);
  }

  @Test
  void buildRejectsOverlapNotBelowSizeNamingBothFields() {
    assertThatThrownBy(() -> ChunkerOptions.builder().size(512).overlap(600).build())
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("chunker.overlap must be less than chunker.size (was 600 >= 512)")
        .extracting(e -> ((InvalidInputException) e).argument())
        .isEqualTo("chunker.overlap");
    assertThatThrownBy(() -> ChunkerOptions.builder().size(10).overlap(10).build())
        .hasMessage("chunker.overlap must be less than chunker.size (was 10 >= 10)");
  }

  @Test
  void buildRejectsSizeOutOfRange() {
    assertThatThrownBy(() -> ChunkerOptions.builder().size(0).overlap(0).build())
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("chunker.size must be between 1 and 50000 (was 0)");
    assertThatThrownBy(() -> ChunkerOptions.builder().size(50_001).build())
        .hasMessage("chunker.size must be between 1 and 50000 (was 50001)");
  }

  @Test
  void buildRejectsNegativeOverlap() {
    assertThatThrownBy(() -> ChunkerOptions.builder().overlap(-1).build())
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("chunker.overlap must not be negative (was -1); use 0 for no overlap");
  }

  @Test
  void buildRejectsNullUnitAndCounter() {
    assertThatThrownBy(() -> ChunkerOptions.builder().unit(null).build())
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("chunker.unit must not be null; use CHARACTERS or TOKENS");
    assertThatThrownBy(() -> ChunkerOptions.builder().tokenCounter(null).build())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("chunker.tokenCounter must not be null");
  }

  @Test
  void buildAcceptsTheExtremes() {
    ChunkerOptions smallest = ChunkerOptions.builder().size(1).overlap(0).build();
    ChunkerOptions largest = ChunkerOptions.builder().size(50_000).overlap(49_999).build();
    assertThat(smallest.size()).isEqualTo(1);
    assertThat(largest.overlap()).isEqualTo(49_999);
  }

  @Test
  void toBuilderCopiesEverySetting() {
    TokenCounter counter = CharSequence::length;
    ChunkerOptions options =
        ChunkerOptions.builder()
            .unit(ChunkUnit.CHARACTERS)
            .size(100)
            .overlap(10)
            .tokenCounter(counter)
            .build();
    assertThat(options.toBuilder().build()).isEqualTo(options).hasSameHashCodeAs(options);
    assertThat(options.toBuilder().size(101).build()).isNotEqualTo(options);
    assertThat(options.toString())
        .startsWith("ChunkerOptions[unit=CHARACTERS, size=100, overlap=10, tokenCounter=");
  }
}
