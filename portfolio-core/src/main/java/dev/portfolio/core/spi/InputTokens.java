package dev.portfolio.core.spi;

import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.text.TokenCounter;
import dev.portfolio.core.validation.Inputs;

/**
 * How much text an embedder reads whole, and how it counts it: the basis for sizing chunks so that
 * the model sees all of every chunk.
 *
 * @param counter counts a text's tokens as the model's tokenizer does, without the special tokens
 *     the model adds around every input (such as {@code [CLS]} and {@code [SEP]})
 * @param maxTokens the most tokens of text (as {@code counter} counts them) the model reads without
 *     truncating: {@link EmbedderInfo#maxInputTokens()} less the special tokens
 * @param exact true when {@code counter} is the model's own tokenizer, false when it is an estimate
 *     (a remote model's documented rule of thumb, or {@link TokenCounter#approximate()})
 * @since 0.1.0
 */
public record InputTokens(TokenCounter counter, int maxTokens, boolean exact) {
  /** Validates the components. */
  public InputTokens {
    Inputs.requireNonNull("counter", counter);
    if (maxTokens < 1) {
      throw new InvalidInputException(
          "maxTokens", "maxTokens must be at least 1 (was " + maxTokens + ")");
    }
  }

  /**
   * The estimate for an embedder that exposes no tokenizer: {@link TokenCounter#approximate()} up
   * to {@link EmbedderInfo#maxInputTokens()}.
   *
   * @param info the embedder's description, not null
   * @return an inexact budget
   */
  public static InputTokens estimated(EmbedderInfo info) {
    Inputs.requireNonNull("info", info);
    return new InputTokens(TokenCounter.approximate(), info.maxInputTokens(), false);
  }

  /**
   * Counts a text's tokens with {@link #counter()}.
   *
   * @param text the text, not null
   * @return the token count
   */
  public int count(CharSequence text) {
    return counter.count(text);
  }

  /**
   * Tells whether the model reads a text whole.
   *
   * @param text the text, not null
   * @return true when its count is at most {@link #maxTokens()}
   */
  public boolean fits(CharSequence text) {
    return counter.count(text) <= maxTokens;
  }
}
