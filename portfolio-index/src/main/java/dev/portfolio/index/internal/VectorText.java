package dev.portfolio.index.internal;

import dev.portfolio.core.model.Embedding;

/** Reads and writes pgvector's text form {@code [1,2.5,-3]}. */
public final class VectorText {
  private VectorText() {}

  /**
   * Formats an embedding in pgvector's text form.
   *
   * @param embedding the embedding
   * @return the text, for example {@code [1.0,2.5]}
   */
  public static String format(Embedding embedding) {
    StringBuilder sb = new StringBuilder(embedding.dimension() * 12 + 2).append('[');
    for (int i = 0; i < embedding.dimension(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(embedding.get(i));
    }
    return sb.append(']').toString();
  }

  /**
   * Parses pgvector's text form.
   *
   * @param text the text, may be null
   * @return the embedding, or null for null
   * @throws IllegalArgumentException when the text is not a vector
   */
  public static Embedding parse(String text) {
    if (text == null) {
      return null;
    }
    int end = text.length() - 1;
    if (end < 1 || text.charAt(0) != '[' || text.charAt(end) != ']') {
      throw new IllegalArgumentException("not a pgvector value: " + abbreviate(text));
    }
    int count = 1;
    for (int i = 1; i < end; i++) {
      if (text.charAt(i) == ',') {
        count++;
      }
    }
    float[] values = new float[count];
    int start = 1;
    int n = 0;
    for (int i = 1; i <= end; i++) {
      if (i == end || text.charAt(i) == ',') {
        values[n++] = Float.parseFloat(text.substring(start, i));
        start = i + 1;
      }
    }
    return Embedding.of(values);
  }

  private static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "...";
  }
}
