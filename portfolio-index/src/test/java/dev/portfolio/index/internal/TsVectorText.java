package dev.portfolio.index.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Test helpers: decode the binary tsvector and render it as PostgreSQL prints {@code ::text}. */
final class TsVectorText {
  private TsVectorText() {}

  /**
   * Decodes {@code tsvectorrecv}'s format, checking what the server checks.
   *
   * @param bytes the encoding
   * @return the lexemes in encoded order with their positions
   */
  static Map<String, List<Integer>> decode(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    int count = b.getInt();
    Map<String, List<Integer>> lexemes = new LinkedHashMap<>();
    byte[] previous = null;
    for (int i = 0; i < count; i++) {
      int start = b.position();
      while (b.get() != 0) {
        // up to the NUL
      }
      byte[] lexeme = Arrays.copyOfRange(bytes, start, b.position() - 1);
      if (previous != null && Arrays.compareUnsigned(previous, lexeme) >= 0) {
        throw new AssertionError("lexemes out of order at " + i);
      }
      previous = lexeme;
      int n = Short.toUnsignedInt(b.getShort());
      List<Integer> positions = new ArrayList<>();
      for (int j = 0; j < n; j++) {
        int wep = Short.toUnsignedInt(b.getShort());
        if (wep >>> 14 != 0) {
          throw new AssertionError("weight is not D");
        }
        if (!positions.isEmpty() && wep <= positions.get(positions.size() - 1)) {
          throw new AssertionError("positions out of order");
        }
        positions.add(wep);
      }
      lexemes.put(new String(lexeme, StandardCharsets.UTF_8), positions);
    }
    if (b.hasRemaining()) {
      throw new AssertionError(b.remaining() + " bytes after the last lexeme");
    }
    return lexemes;
  }

  /**
   * Renders lexemes and positions as {@code tsvector::text} does (words are never quoted here).
   *
   * @param lexemes the lexemes in order
   * @return for example {@code 'a':1,3 'b':2}
   */
  static String render(Map<String, List<Integer>> lexemes) {
    StringBuilder s = new StringBuilder();
    for (Map.Entry<String, List<Integer>> e : lexemes.entrySet()) {
      if (!s.isEmpty()) {
        s.append(' ');
      }
      s.append('\'').append(e.getKey().replace("'", "''")).append('\'');
      for (int i = 0; i < e.getValue().size(); i++) {
        s.append(i == 0 ? ':' : ',').append(e.getValue().get(i));
      }
    }
    return s.toString();
  }

  /**
   * Decodes and renders an encoding.
   *
   * @param bytes the encoding
   * @return the text form
   */
  static String text(byte[] bytes) {
    return render(decode(bytes));
  }

  /**
   * The obvious implementation of the rules, for comparison: words from the tokenizer, long words
   * skipped, positions clamped, at most 255 per lexeme, no repeated clamped position, byte order.
   *
   * @param words the words in order
   * @return the lexemes in order with their positions
   */
  static Map<String, List<Integer>> reference(List<String> words) {
    Map<byte[], List<Integer>> sorted = new TreeMap<>(Arrays::compareUnsigned);
    int position = 0;
    for (String w : words) {
      byte[] bytes = w.getBytes(StandardCharsets.UTF_8);
      if (bytes.length >= 2048) {
        continue;
      }
      position++;
      int p = Math.min(position, 16383);
      List<Integer> list = sorted.computeIfAbsent(bytes, k -> new ArrayList<>());
      if (list.size() < 255 && (list.isEmpty() || list.get(list.size() - 1) != 16383)) {
        list.add(p);
      }
    }
    Map<String, List<Integer>> result = new LinkedHashMap<>();
    sorted.forEach((k, v) -> result.put(new String(k, StandardCharsets.UTF_8), v));
    return result;
  }
}
