package dev.portfolio.maintenance.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Formatting shared by the reports' {@code toString}: sizes, percentages and plain tables. */
public final class Text {
  private Text() {}

  /**
   * Formats a byte count for people.
   *
   * @param bytes the count, or null when unknown
   * @return for example {@code 12.3 MiB}, or {@code unknown}
   */
  public static String bytes(Long bytes) {
    if (bytes == null) {
      return "unknown";
    }
    double v = bytes;
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return u == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }

  /**
   * Formats a percentage with two decimals.
   *
   * @param percent the percentage
   * @return for example {@code 99.75%}
   */
  public static String percent(double percent) {
    return String.format(Locale.ROOT, "%.2f%%", percent);
  }

  /**
   * Formats milliseconds with up to three decimals.
   *
   * @param millis the value
   * @return for example {@code 1.234 ms}
   */
  public static String millis(double millis) {
    return String.format(Locale.ROOT, "%.3f ms", millis);
  }

  /**
   * Rounds a ratio to a percentage with two decimals.
   *
   * @param part the part
   * @param whole the whole; 0 gives 100
   * @return the percentage in [0, 100]
   */
  public static double percentOf(long part, long whole) {
    if (whole <= 0) {
      return 100.0;
    }
    return Math.round(10_000.0 * Math.min(part, whole) / whole) / 100.0;
  }

  /**
   * Copies a map keeping its iteration order.
   *
   * @param <K> the key type
   * @param <V> the value type
   * @param map the map
   * @return an unmodifiable copy in the same order
   */
  public static <K, V> Map<K, V> ordered(Map<K, V> map) {
    return Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }

  /**
   * Lays rows out as columns padded to their widest cell, two spaces apart.
   *
   * @param indent the prefix of every line
   * @param rows the rows, the first one the header; cells may be null (printed as empty)
   * @return the lines, each ending with a newline
   */
  public static String table(String indent, List<List<String>> rows) {
    List<Integer> widths = new ArrayList<>();
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        int w = row.get(i) == null ? 0 : row.get(i).length();
        if (i == widths.size()) {
          widths.add(w);
        } else {
          widths.set(i, Math.max(widths.get(i), w));
        }
      }
    }
    StringBuilder out = new StringBuilder();
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder(indent);
      for (int i = 0; i < row.size(); i++) {
        String cell = row.get(i) == null ? "" : row.get(i);
        line.append(cell);
        if (i < row.size() - 1) {
          line.append(" ".repeat(widths.get(i) - cell.length() + 2));
        }
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }
}
