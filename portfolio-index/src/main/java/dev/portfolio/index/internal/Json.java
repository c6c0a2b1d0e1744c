package dev.portfolio.index.internal;

import java.util.Map;
import java.util.TreeMap;

/** Writes and reads the flat JSON objects of string values that metadata is stored as. */
public final class Json {
  private Json() {}

  /**
   * Renders a map of strings as a JSON object with keys in sorted order.
   *
   * @param values the entries, not null, without null keys or values
   * @return the JSON text
   */
  public static String object(Map<String, String> values) {
    if (values.isEmpty()) {
      return "{}";
    }
    StringBuilder sb = new StringBuilder(values.size() * 24).append('{');
    boolean first = true;
    for (Map.Entry<String, String> e : new TreeMap<>(values).entrySet()) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      string(sb, e.getKey());
      sb.append(':');
      string(sb, e.getValue());
    }
    return sb.append('}').toString();
  }

  private static void string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        default -> {
          if (c < 0x20) {
            sb.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  /**
   * Parses a flat JSON object of string values as PostgreSQL prints {@code jsonb}.
   *
   * @param json the JSON text, may be null
   * @return the entries (empty for null)
   * @throws IllegalArgumentException when the text is not a flat object of strings
   */
  public static Map<String, String> parseObject(String json) {
    if (json == null) {
      return Map.of();
    }
    Parser p = new Parser(json);
    Map<String, String> out = p.object();
    return out;
  }

  private static final class Parser {
    private final String s;
    private int i;

    Parser(String s) {
      this.s = s;
    }

    Map<String, String> object() {
      Map<String, String> out = new java.util.LinkedHashMap<>();
      skip();
      expect('{');
      skip();
      if (peek() == '}') {
        i++;
        return out;
      }
      while (true) {
        skip();
        String key = string();
        skip();
        expect(':');
        skip();
        String value = string();
        out.put(key, value);
        skip();
        char c = next();
        if (c == '}') {
          return out;
        }
        if (c != ',') {
          throw error();
        }
      }
    }

    private String string() {
      expect('"');
      StringBuilder sb = new StringBuilder();
      while (true) {
        char c = next();
        if (c == '"') {
          return sb.toString();
        }
        if (c != '\\') {
          sb.append(c);
          continue;
        }
        char e = next();
        switch (e) {
          case '"', '\\', '/' -> sb.append(e);
          case 'n' -> sb.append('\n');
          case 'r' -> sb.append('\r');
          case 't' -> sb.append('\t');
          case 'b' -> sb.append('\b');
          case 'f' -> sb.append('\f');
          case 'u' -> {
            if (i + 4 > s.length()) {
              throw error();
            }
            sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
            i += 4;
          }
          default -> throw error();
        }
      }
    }

    private void skip() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
    }

    private char peek() {
      if (i >= s.length()) {
        throw error();
      }
      return s.charAt(i);
    }

    private char next() {
      char c = peek();
      i++;
      return c;
    }

    private void expect(char c) {
      if (next() != c) {
        throw error();
      }
    }

    private IllegalArgumentException error() {
      return new IllegalArgumentException("metadata is not a flat JSON object of strings at " + i);
    }
  }
}
