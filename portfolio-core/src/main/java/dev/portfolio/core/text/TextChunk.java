package dev.portfolio.core.text;

import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.validation.Inputs;

/**
 * One piece of a text produced by {@link Chunker#chunk(String)}. The text is exactly {@code
 * original.substring(startOffset, endOffset)}: it never starts or ends with whitespace and is never
 * empty.
 *
 * @param ordinal the position of the chunk in the text, from 0
 * @param text the chunk text
 * @param startOffset the index of the chunk's first {@code char} in the original text, inclusive
 * @param endOffset the index after the chunk's last {@code char} in the original text, exclusive
 * @param tokenCount the tokens of {@code text} as counted by the chunker's {@link TokenCounter}
 * @since 0.1.0
 */
public record TextChunk(int ordinal, String text, int startOffset, int endOffset, int tokenCount) {
  /** Validates the components. */
  public TextChunk {
    Inputs.requireNonNull("text", text);
    if (ordinal < 0 || startOffset < 0 || tokenCount < 0) {
      throw new InvalidInputException(
          "chunk",
          "ordinal, startOffset and tokenCount must not be negative (were "
              + ordinal
              + ", "
              + startOffset
              + ", "
              + tokenCount
              + ")");
    }
    if (endOffset - startOffset != text.length()) {
      throw new InvalidInputException(
          "chunk",
          "endOffset - startOffset must equal the text length (were "
              + startOffset
              + ", "
              + endOffset
              + " for "
              + text.length()
              + " chars)");
    }
  }
}
