package dev.portfolio.examples.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plain text of a man page written with the {@code man(7)} macros: headings and paragraph text
 * kept, font changes, comments, layout requests and table formats dropped, escapes turned into the
 * characters they stand for. Good enough to search, not to read: no line filling, no hyphenation.
 */
final class RoffText {
  private static final Pattern ESCAPE =
      Pattern.compile(
          "\\\\(?:f(?:\\[[^\\]]*\\]|\\(..|.)|s[-+]?\\d|\\*(?:\\[[^\\]]*\\]|\\(..|.)"
              + "|n(?:\\[[^\\]]*\\]|\\(..|.)|\\[([^\\]]*)\\]|\\((..)|(.))");
  private static final Map<String, String> SPECIAL =
      Map.ofEntries(
          Map.entry("bu", "*"),
          Map.entry("em", "--"),
          Map.entry("en", "-"),
          Map.entry("aq", "'"),
          Map.entry("dq", "\""),
          Map.entry("lq", "\""),
          Map.entry("rq", "\""),
          Map.entry("oq", "'"),
          Map.entry("cq", "'"),
          Map.entry("ti", "~"),
          Map.entry("ha", "^"),
          Map.entry("rs", "\\"),
          Map.entry("mu", "x"),
          Map.entry("co", "(c)"),
          Map.entry("rg", "(R)"),
          Map.entry("->", "->"),
          Map.entry("<-", "<-"),
          Map.entry("lB", "["),
          Map.entry("rB", "]"),
          Map.entry("lC", "{"),
          Map.entry("rC", "}"),
          Map.entry("ga", "`"),
          Map.entry("ba", "|"),
          Map.entry("or", "|"),
          Map.entry("pl", "+"),
          Map.entry("eq", "="),
          Map.entry("hy", "-"),
          Map.entry("at", "@"),
          Map.entry("sh", "#"),
          Map.entry("Do", "$"));

  private RoffText() {}

  /**
   * Returns the man page's target when it is only an alias ({@code .so man3/other.3}), else null.
   */
  static String alias(String roff) {
    for (String line : roff.split("\n", -1)) {
      String l = line.strip();
      if (l.startsWith(".so ")) {
        return l.substring(4).strip();
      }
      if (!l.isEmpty() && !l.startsWith(".\\\"") && !l.startsWith("'\\\"")) {
        return null;
      }
    }
    return null;
  }

  /** Returns the text of a man page. */
  static String text(String roff) {
    StringBuilder out = new StringBuilder(roff.length());
    boolean table = false;
    boolean tableFormat = false;
    boolean ignore = false;
    for (String raw : roff.split("\n", -1)) {
      String line = raw;
      if (ignore) {
        ignore = !line.startsWith("..");
        continue;
      }
      if (line.startsWith(".\\\"") || line.startsWith("'\\\"") || line.equals(".")) {
        continue;
      }
      if (table) {
        if (line.startsWith(".TE")) {
          table = false;
          continue;
        }
        if (tableFormat) {
          tableFormat = !line.stripTrailing().endsWith(".");
          continue;
        }
        if (line.startsWith(".")) {
          continue;
        }
        line = line.replace("T{", " ").replace("T}", " ").replace('\t', ' ');
        out.append(inline(line)).append('\n');
        continue;
      }
      if (line.startsWith(".") || line.startsWith("'")) {
        String request = requestName(line);
        String rest =
            line.length() > request.length() + 1 ? line.substring(request.length() + 1) : "";
        switch (request) {
          case "TS" -> {
            table = true;
            tableFormat = true;
          }
          case "ig", "de", "de1", "am" -> ignore = true;
          case "SH", "SS" ->
              out.append('\n').append(inline(String.join(" ", args(rest)))).append('\n');
          case "B", "I", "SM", "SB" ->
              out.append(inline(String.join(" ", args(rest)))).append('\n');
          case "BR", "BI", "IB", "IR", "RB", "RI" ->
              out.append(inline(String.join("", args(rest)))).append('\n');
          case "TP", "PP", "P", "LP", "IP", "TQ", "RS", "RE", "EX", "EE", "nf", "fi", "sp", "br" ->
              out.append('\n');
          default -> {
            // Layout requests (in, ad, na, hy, ft, ne, UR, MT, ...) carry no text.
          }
        }
        continue;
      }
      out.append(inline(line)).append('\n');
    }
    return out.toString().replaceAll("\n{3,}", "\n\n").strip();
  }

  private static String requestName(String line) {
    int i = 1;
    while (i < line.length() && line.charAt(i) == ' ') {
      i++;
    }
    int start = i;
    while (i < line.length() && !Character.isWhitespace(line.charAt(i))) {
      i++;
    }
    return line.substring(start, i);
  }

  /** Splits macro arguments: blanks separate them, double quotes group them. */
  private static List<String> args(String rest) {
    List<String> args = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean quoted = false;
    boolean any = false;
    for (int i = 0; i < rest.length(); i++) {
      char ch = rest.charAt(i);
      if (ch == '\\' && i + 1 < rest.length()) {
        current.append(ch).append(rest.charAt(++i));
        any = true;
      } else if (ch == '"') {
        if (quoted && i + 1 < rest.length() && rest.charAt(i + 1) == '"') {
          current.append('"');
          i++;
        } else {
          quoted = !quoted;
          any = true;
        }
      } else if (ch == ' ' && !quoted) {
        if (any) {
          args.add(current.toString());
          current.setLength(0);
          any = false;
        }
      } else {
        current.append(ch);
        any = true;
      }
    }
    if (any) {
      args.add(current.toString());
    }
    return args;
  }

  /** Replaces escapes; a {@code \"} comment ends the line. */
  private static String inline(String line) {
    int comment = line.indexOf("\\\"");
    if (comment >= 0 && (comment == 0 || line.charAt(comment - 1) != '\\')) {
      line = line.substring(0, comment);
    }
    Matcher m = ESCAPE.matcher(line);
    StringBuilder out = new StringBuilder(line.length());
    while (m.find()) {
      String replacement;
      if (m.group(1) != null) {
        replacement = special(m.group(1));
      } else if (m.group(2) != null) {
        replacement = special(m.group(2));
      } else if (m.group(3) != null) {
        replacement =
            switch (m.group(3)) {
              case "-" -> "-";
              case "e", "\\" -> "\\";
              case "~", " ", "0" -> " ";
              case "." -> ".";
              case "'" -> "'";
              case "`" -> "`";
              default -> "";
            };
      } else {
        replacement = "";
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String special(String name) {
    if (name.startsWith("u")
        && name.length() > 1
        && name.substring(1).matches("[0-9A-Fa-f]{4,6}")) {
      return new String(Character.toChars(Integer.parseInt(name.substring(1), 16)));
    }
    return SPECIAL.getOrDefault(name, " ");
  }
}
