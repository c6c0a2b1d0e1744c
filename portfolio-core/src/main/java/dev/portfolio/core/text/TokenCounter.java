package dev.portfolio.core.text;

/**
 * Counts the tokens of a text, for sizing chunks and estimating embedding cost. Implementations
 * must be thread-safe and deterministic, and should be monotonic: appending text never lowers the
 * count.
 *
 * <p>{@link #approximate()} needs no model files. An embedder that knows its tokenizer can supply
 * an exact counter instead.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface TokenCounter {
  /**
   * Counts the tokens of a text.
   *
   * @param text the text, not null
   * @return the number of tokens, at least 0
   */
  int count(CharSequence text);

  /**
   * Counts the tokens of {@code text[start, end)}. The default counts {@code
   * text.subSequence(start, end)}; implementations may override it to avoid the copy.
   *
   * @param text the text, not null
   * @param start the first index, inclusive
   * @param end the last index, exclusive
   * @return the number of tokens, at least 0
   */
  default int count(CharSequence text, int start, int end) {
    return count(text.subSequence(start, end));
  }

  /**
   * Returns the built-in approximate counter. It reads the text by code point:
   *
   * <ul>
   *   <li>whitespace ({@link Character#isWhitespace(int)} or {@link Character#isSpaceChar(int)})
   *       separates tokens and counts nothing;
   *   <li>a word, a run of letters and digits, counts {@code ceil(length / 4)} tokens, with its
   *       length in code points: one token up to 4, two up to 8, and so on; combining marks inside
   *       a word do not add to its length;
   *   <li>every Han, Hiragana, Katakana or Hangul letter counts one token on its own;
   *   <li>every other code point (punctuation, symbols, emoji, control and format characters)
   *       counts one token; a combining mark that follows such a character belongs to it.
   * </ul>
   *
   * <p>For English prose this over-counts common subword tokenizers by about 10-30%, which keeps
   * chunks within a model's limit. It is additive across whitespace: the count of {@code "a b"} is
   * the count of {@code "a"} plus that of {@code "b"}.
   *
   * @return the shared approximate counter
   */
  static TokenCounter approximate() {
    return ApproximateTokenCounter.INSTANCE;
  }
}
