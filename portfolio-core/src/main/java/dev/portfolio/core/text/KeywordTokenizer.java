package dev.portfolio.core.text;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits text into the words keyword search matches on, so every store indexes and queries the same
 * words: the text is NFKC-normalised and lower-cased ({@link Locale#ROOT}), and a word is a run of
 * Unicode letters, digits and combining marks. Everything else separates words, so {@code
 * "example.com"} is {@code example} and {@code com}, and {@code "3.14"} is {@code 3} and {@code
 * 14}.
 *
 * @since 0.1.0
 */
public final class KeywordTokenizer {
  private KeywordTokenizer() {}

  /**
   * Returns the words of a text in order, with repeats.
   *
   * @param text the text, not null
   * @return the words, possibly empty
   */
  public static List<String> words(String text) {
    String normalised = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    List<String> words = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (int i = 0; i < normalised.length(); ) {
      int cp = normalised.codePointAt(i);
      if (isWordPart(cp)) {
        current.appendCodePoint(cp);
      } else if (!current.isEmpty()) {
        words.add(current.toString());
        current.setLength(0);
      }
      i += Character.charCount(cp);
    }
    if (!current.isEmpty()) {
      words.add(current.toString());
    }
    return words;
  }

  /**
   * Returns the words of a text joined by single spaces: the form stores index.
   *
   * @param text the text, not null
   * @return the words separated by spaces, empty when the text has none
   */
  public static String searchText(String text) {
    return String.join(" ", words(text));
  }

  private static boolean isWordPart(int cp) {
    if (Character.isLetterOrDigit(cp)) {
      return true;
    }
    int type = Character.getType(cp);
    return type == Character.NON_SPACING_MARK
        || type == Character.COMBINING_SPACING_MARK
        || type == Character.ENCLOSING_MARK;
  }
}
