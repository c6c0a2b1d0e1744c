package dev.portfolio.core.memory;

import dev.portfolio.core.text.KeywordTokenizer;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Word tokens and a small BM25 ranking for the in-memory keyword search.
 *
 * <p>A word is a run of letters, digits and combining marks in any script, after NFKC normalisation
 * and lower-casing ({@link Locale#ROOT}), so {@code "Café"}, {@code "CAFE\u0301"} and {@code
 * "café"} are the same word. Scripts written without spaces (Chinese, Japanese) form one word per
 * run, as PostgreSQL's {@code simple} text search configuration does.
 */
final class Keywords {
  /** BM25 term-frequency saturation. */
  private static final double K1 = 1.2;

  /** BM25 length normalisation. */
  private static final double B = 0.75;

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

  /**
   * Scores one text against the query words: the number of distinct query words it contains, plus a
   * BM25 sum squashed into [0, 1), so a text with more of the words always ranks higher and term
   * frequency, rarity and length order texts with the same number of words.
   *
   * @param words the distinct query words
   * @param terms the text's words
   * @param documentFrequency for each query word, how many candidate texts contain it
   * @param candidates the number of candidate texts
   * @param averageLength their average length in words
   * @return the score, 0 when no query word occurs
   */
  static double score(
      Set<String> words,
      Terms terms,
      Map<String, Integer> documentFrequency,
      int candidates,
      double averageLength) {
    int matched = 0;
    double bm25 = 0;
    double lengthNorm = 1 - B + B * (averageLength == 0 ? 1 : terms.length() / averageLength);
    for (String w : words) {
      int tf = terms.frequency(w);
      if (tf == 0) {
        continue;
      }
      matched++;
      int df = documentFrequency.getOrDefault(w, 0);
      double idf = Math.log(1 + (candidates - df + 0.5) / (df + 0.5));
      bm25 += idf * tf * (K1 + 1) / (tf + K1 * lengthNorm);
    }
    return matched == 0 ? 0 : matched + bm25 / (1 + bm25);
  }
}
