package dev.portfolio.embedders.internal;

/**
 * Estimates how many tokens a remote model will count for a text, without its tokenizer. The
 * estimate errs high so that batches stay under a service's per-request token limit: one token per
 * three ASCII characters and one per other character (CJK and most non-Latin scripts take about one
 * token per character or more), at least one per text.
 */
public final class TokenEstimator {
  private TokenEstimator() {}

  /**
   * Estimates the tokens of a text.
   *
   * @param text the text, not null
   * @return the estimate, at least 1
   */
  public static long estimate(String text) {
    long ascii = 0;
    long other = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        ascii++;
      } else if (!Character.isLowSurrogate(c)) {
        other++;
      }
    }
    return Math.max(1, (ascii + 2) / 3 + other);
  }
}
