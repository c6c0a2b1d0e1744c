package dev.portfolio.maintenance.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A table for people: a header, then rows, columns padded to their widest cell, numbers aligned to
 * the right. Cells are made printable (control characters escaped).
 */
final class Table {
  private final List<String> headers;
  private final List<List<String>> rows = new ArrayList<>();
  private final boolean[] numeric;

  Table(String... headers) {
    this.headers = List.of(headers);
    this.numeric = new boolean[headers.length];
    java.util.Arrays.fill(numeric, true);
  }

  /** Adds a row; null cells print as {@code -}. */
  Table row(Object... cells) {
    if (cells.length != headers.size()) {
      throw new IllegalArgumentException(
          "a row of " + cells.length + " cells in a table of " + headers.size() + " columns");
    }
    List<String> row = new ArrayList<>(cells.length);
    for (int i = 0; i < cells.length; i++) {
      Object c = cells[i];
      if (!(c instanceof Number) && c != null) {
        numeric[i] = false;
      }
      row.add(c == null ? "-" : Text.printable(Text.cell(c)));
    }
    rows.add(row);
    return this;
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  void print(PrintStream out) {
    int[] width = new int[headers.size()];
    for (int i = 0; i < width.length; i++) {
      width[i] = headers.get(i).length();
      for (List<String> r : rows) {
        width[i] = Math.max(width[i], r.get(i).length());
      }
    }
    out.println(line(headers, width, new boolean[width.length]));
    for (List<String> r : rows) {
      out.println(line(r, width, numeric));
    }
  }

  private static String line(List<String> cells, int[] width, boolean[] right) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      String c = cells.get(i);
      String pad = " ".repeat(width[i] - c.length());
      if (i > 0) {
        sb.append("  ");
      }
      sb.append(right[i] ? pad + c : i == cells.size() - 1 ? c : c + pad);
    }
    return sb.toString();
  }
}
