package dev.portfolio.embedders.wordpiece;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Generates varied, seeded texts that exercise every tokenizer rule. */
final class VariedTexts {
  private static final String[] WORDS = {
    "the",
    "index",
    "PostgreSQL",
    "embedding",
    "vector",
    "Search",
    "re-embed",
    "don't",
    "U.S.A.",
    "e-mail",
    "it's",
    "naïve",
    "café",
    "Ångström",
    "Straße",
    "Œuvre",
    "façade",
    "résumé",
    "jalapeño",
    "São",
    "Paulo",
    "Zürich",
    "Kraków",
    "İstanbul",
    "ıi",
    "ΣΟΦΙΑ",
    "λόγος",
    "Москва",
    "привет",
    "東京",
    "北京大学",
    "中文字符",
    "日本語",
    "ひらがな",
    "カタカナ",
    "한국어",
    "서울",
    "مرحبا",
    "שלום",
    "नमस्ते",
    "ภาษาไทย",
    "Ｆｕｌｌｗｉｄｔｈ",
    "ﬁnance",
    "x²",
    "Ⅻ",
    "℃",
    "½",
    "€100",
    "$5.99",
    "©2024",
    "°C",
    "±3",
    "×",
    "÷",
    "™",
    "→",
    "•",
    "…",
    "—",
    "–",
    "“quoted”",
    "«guillemets»",
    "¿qué?",
    "¡hola!",
    "3.14159",
    "1,000,000",
    "2024-01-15",
    "10:30",
    "user@example.com",
    "https://example.org/a?b=c&d=e",
    "C++",
    "C#",
    "node.js",
    "foo_bar",
    "camelCaseWord",
    "UPPERCASE",
    "snake_case_name",
    "#hashtag",
    "@mention",
    "(parens)",
    "[brackets]",
    "{braces}",
    "<tag>",
    "a/b\\c",
    "50%",
    "^caret",
    "`tick`",
    "~tilde",
    "|pipe|",
    "==",
    "!=",
    "&&",
    "->",
    "[MASK]",
    "[CLS]",
    "[SEP]",
    "[PAD]",
    "[UNK]",
    "[mask]",
    "[CLS",
    "x[SEP]y",
    "e\u0301",
    "n\u0303",
    "a\u0308\u0304",
    "\u00ad",
    "soft\u00adhyphen",
    "zero\u200bwidth",
    "\ufeffbom",
    "tab\there",
    "line\nbreak",
    "cr\rlf",
    "nbsp\u00a0space",
    "thin\u2009space",
    "ideographic\u3000space",
    "nel\u0085x",
    "vt\u000bx",
    "ff\u000cx",
    "nul\u0000x",
    "rep\ufffdx",
    "pua\ue000x",
    "😀",
    "🥰",
    "👩‍💻",
    "🇫🇷",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "𠀀𠀁",
    "\ud86e\udc20",
    "\ud869\udf00",
    "ǅ",
    "ß",
    "ﬀ",
    "Ǆ",
    "ÅÄÖ",
    "Ø",
    "Ł",
    "Đ",
    "Ħ",
    "ĳ",
    "ŉ",
    "ẞ",
    "Ω",
    "Å",
    "K",
    "Ⓐ",
    "🄰",
    "ᴬ"
  };

  private VariedTexts() {}

  /**
   * Returns {@code count} texts from a fixed seed: mixes of the words above, random code points
   * from many scripts, long words (over 100 characters) and long texts (past 256 tokens).
   */
  static List<String> generate(int count, long seed) {
    Random r = new Random(seed);
    List<String> texts = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      StringBuilder sb = new StringBuilder();
      int kind = i % 10;
      int words = kind == 9 ? 200 + r.nextInt(200) : 1 + r.nextInt(25);
      for (int w = 0; w < words; w++) {
        if (w > 0) {
          sb.append(separator(r));
        }
        int pick = r.nextInt(100);
        if (pick < 60) {
          sb.append(WORDS[r.nextInt(WORDS.length)]);
        } else if (pick < 85) {
          appendRandomCodePoints(sb, r, 1 + r.nextInt(6));
        } else if (pick < 90) {
          for (int k = 0; k < 95 + r.nextInt(20); k++) {
            sb.append((char) ('a' + r.nextInt(3)));
          }
        } else {
          sb.append(asciiWord(r));
        }
      }
      texts.add(sb.toString());
    }
    return texts;
  }

  private static String separator(Random r) {
    int p = r.nextInt(20);
    return switch (p) {
      case 0 -> "  ";
      case 1 -> ", ";
      case 2 -> ". ";
      case 3 -> "\n";
      case 4 -> "";
      default -> " ";
    };
  }

  private static String asciiWord(Random r) {
    StringBuilder sb = new StringBuilder();
    int len = 1 + r.nextInt(14);
    for (int i = 0; i < len; i++) {
      sb.append((char) (0x21 + r.nextInt(0x5e)));
    }
    return sb.toString();
  }

  private static final int[][] RANGES = {
    {0x20, 0x7e},
    {0xa0, 0x24f},
    {0x300, 0x36f},
    {0x370, 0x3ff},
    {0x400, 0x4ff},
    {0x590, 0x6ff},
    {0x900, 0x97f},
    {0xe00, 0xe7f},
    {0x1100, 0x11ff},
    {0x1e00, 0x1fff},
    {0x2000, 0x206f},
    {0x2070, 0x2bff},
    {0x3000, 0x30ff},
    {0x3400, 0x4dbf},
    {0x4e00, 0x9fff},
    {0xac00, 0xd7a3},
    {0xf900, 0xfaff},
    {0xfb00, 0xfdff},
    {0xfe00, 0xfe6f},
    {0xff00, 0xffef},
    {0x1d400, 0x1d7ff},
    {0x1f300, 0x1faff},
    {0x20000, 0x2a6df},
    {0x2a700, 0x2ceaf},
  };

  private static void appendRandomCodePoints(StringBuilder sb, Random r, int n) {
    for (int i = 0; i < n; i++) {
      int[] range = RANGES[r.nextInt(RANGES.length)];
      int cp = range[0] + r.nextInt(range[1] - range[0] + 1);
      if (cp >= 0xd800 && cp <= 0xdfff) {
        cp = 'x';
      }
      sb.appendCodePoint(cp);
    }
  }
}
