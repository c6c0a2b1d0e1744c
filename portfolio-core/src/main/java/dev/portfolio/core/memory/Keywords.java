package dev.portfolio.core.memory;

import dev.portfolio.core.text.KeywordTokenizer;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Word tokens of the in-memory keyword search; the ranking is {@link dev.portfolio.core.text.Bm25}.
 *
 * <p>A word is a run of letters, digits and combining marks in any script, after NFKC normalisation
 * and lower-casing ({@link Locale#ROOT}), so {@code "Café"}, {@code "CAFE\u0301"} and {@code
 * "café"} are the same word. Scripts written without spaces (Chinese, Japanese) form one word per
 * run, as PostgreSQL's {@code simple} text search configuration does.
 */
final class Keywords {
  private Keywords() {}

  /**
   * The words of one text with their frequencies.
   *
   * @param frequencies how often each word occurs, immutable
   * @param length the number of words
   */
  record Terms(Map<String, Integer> frequencies, int length) {
    Terms {
      frequencies = Map.copyOf(frequencies);
    }

    int frequency(String word) {
      return frequencies.getOrDefault(word, 0);
    }
  }

  static Terms terms(String text) {
    Map<String, Integer> frequencies = new HashMap<>();
    List<String> words = words(text);
    for (String w : words) {
      frequencies.merge(w, 1, Integer::sum);
    }
    return new Terms(frequencies, words.size());
  }

  /** Returns the distinct words of a query, in first-seen order. */
  static Set<String> queryWords(String text) {
    return Collections.unmodifiableSet(new LinkedHashSet<>(words(text)));
  }

  static List<String> words(String text) {
    return KeywordTokenizer.words(text);
  }
}
