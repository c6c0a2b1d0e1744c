package dev.portfolio.core.text;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The keyword ranking every store uses: Okapi BM25 with {@code k1 = }{@value #K1} and {@code b = }
 * {@value #B} over the words {@link KeywordTokenizer} finds.
 *
 * <pre>
 * score(chunk) = sum over the distinct query words w in the chunk of
 *                idf(w) * tf * (k1 + 1) / (tf + k1 * (1 - b + b * length / averageLength))
 * idf(w)       = ln(1 + (chunks - df(w) + 0.5) / (df(w) + 0.5))
 * </pre>
 *
 * where {@code tf} is how often {@code w} occurs in the chunk, {@code length} the chunk's number of
 * words, and {@code chunks}, {@code df(w)} (chunks containing {@code w}) and {@code averageLength}
 * are statistics of the whole collection, whatever the query's filter. A word in most chunks weighs
 * almost nothing, so no stop list is needed; a chunk with one rare word can outrank a chunk with
 * several common ones.
 *
 * @since 0.1.0
 */
public final class Bm25 {
  /** Term-frequency saturation. */
  public static final double K1 = 1.2;

  /** Length normalisation. */
  public static final double B = 0.75;

  private Bm25() {}

  /**
   * Returns the inverse document frequency of a word: always positive, largest for a word in no
   * chunk.
   *
   * @param documentFrequency the chunks containing the word, from 0 to {@code chunks} (clamped)
   * @param chunks the chunks of the collection, at least 0
   * @return {@code ln(1 + (chunks - df + 0.5) / (df + 0.5))}
   */
  public static double idf(long documentFrequency, long chunks) {
    long n = Math.max(0, chunks);
    long df = Math.max(0, Math.min(documentFrequency, n));
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /**
   * Scores a text given its words.
   *
   * @param idf the inverse document frequency of each distinct query word
   * @param words the text's words, as {@link KeywordTokenizer#words(String)} returns them
   * @param averageLength the collection's average number of words per chunk; 0 turns length
   *     normalisation off
   * @return the score, 0 when no query word occurs
   */
  public static double score(Map<String, Double> idf, List<String> words, double averageLength) {
    Map<String, Integer> tf = new HashMap<>();
    for (String w : words) {
      if (idf.containsKey(w)) {
        tf.merge(w, 1, Integer::sum);
      }
    }
    return score(idf, tf, words.size(), averageLength);
  }

  /**
   * Scores a text: the same score as {@code score(idf, KeywordTokenizer.words(text),
   * averageLength)}, without building the list of words. A text of ASCII characters only is scanned
   * once with no allocation per word (NFKC and lower-casing change nothing there but the case of
   * A-Z); any other text is split by {@link KeywordTokenizer#words(String)}.
   *
   * @param idf the inverse document frequency of each distinct query word
   * @param text the text, not null
   * @param averageLength the collection's average number of words per chunk; 0 turns length
   *     normalisation off
   * @return the score, 0 when no query word occurs
   */
  public static double scoreText(Map<String, Double> idf, String text, double averageLength) {
    int n = text.length();
    char[] lower = new char[n];
    for (int i = 0; i < n; i++) {
      char ch = text.charAt(i);
      if (ch >= 0x80) {
        return score(idf, KeywordTokenizer.words(text), averageLength);
      }
      lower[i] = ch >= 'A' && ch <= 'Z' ? (char) (ch + ('a' - 'A')) : ch;
    }
    String[] terms = idf.keySet().toArray(new String[0]);
    int[] tf = new int[terms.length];
    int length = 0;
    int start = -1;
    for (int i = 0; i <= n; i++) {
      char ch = i < n ? lower[i] : ' ';
      boolean wordPart = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
      if (wordPart) {
        if (start < 0) {
          start = i;
        }
      } else if (start >= 0) {
        length++;
        int wordLength = i - start;
        for (int t = 0; t < terms.length; t++) {
          String term = terms[t];
          if (term.length() == wordLength && matches(term, lower, start)) {
            tf[t]++;
          }
        }
        start = -1;
      }
    }
    Map<String, Integer> frequencies = new HashMap<>();
    for (int t = 0; t < terms.length; t++) {
      if (tf[t] > 0) {
        frequencies.put(terms[t], tf[t]);
      }
    }
    return score(idf, frequencies, length, averageLength);
  }

  private static boolean matches(String term, char[] text, int start) {
    for (int k = 0; k < term.length(); k++) {
      if (term.charAt(k) != text[start + k]) {
        return false;
      }
    }
    return true;
  }

  /**
   * Scores a text given its term frequencies.
   *
   * @param idf the inverse document frequency of each distinct query word
   * @param termFrequencies how often each word occurs in the text (words absent may be missing)
   * @param length the text's number of words
   * @param averageLength the collection's average number of words per chunk; 0 turns length
   *     normalisation off
   * @return the score, 0 when no query word occurs
   */
  public static double score(
      Map<String, Double> idf,
      Map<String, Integer> termFrequencies,
      int length,
      double averageLength) {
    double norm = K1 * (1 - B + B * (averageLength <= 0 ? 1 : length / averageLength));
    double score = 0;
    for (Map.Entry<String, Double> e : idf.entrySet()) {
      int tf = termFrequencies.getOrDefault(e.getKey(), 0);
      if (tf > 0) {
        score += e.getValue() * tf * (K1 + 1) / (tf + norm);
      }
    }
    return score;
  }
}
