package dev.portfolio.embedders.wordpiece;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;

/**
 * The character rules of a BERT normalizer and pre-tokenizer, as the HuggingFace {@code tokenizers}
 * library applies them for {@code BertNormalizer} and {@code BertPreTokenizer}.
 *
 * <p>Java's own character predicates differ from them in places ({@link Character#isWhitespace}
 * excludes no-break spaces and includes U+001C..U+001F), so the rules are spelled out here.
 */
final class BertText {
  /**
   * Code point ranges (inclusive pairs, sorted) that the reference tokenizer treats as ordinary
   * characters although Java classifies them as punctuation, format characters or non-spacing
   * marks: they were assigned in Unicode versions newer than the character tables the reference
   * implementation was built with, so there they are unassigned. Derived by probing every assigned
   * code point against the reference; {@code WordPieceTokenizerReferenceTest} re-checks them.
   */
  private static final int[] LEGACY_ORDINARY = {
    0x61D, 0x61D, 0x7FD, 0x7FD, 0x890, 0x891, 0x897, 0x89F,
    0x8CA, 0x8E2, 0x9FD, 0x9FE, 0xA76, 0xA76, 0xAFA, 0xAFF,
    0xB55, 0xB55, 0xC04, 0xC04, 0xC3C, 0xC3C, 0xC77, 0xC77,
    0xC84, 0xC84, 0xD00, 0xD00, 0xD3B, 0xD3C, 0xD81, 0xD81,
    0xEBA, 0xEBA, 0xECE, 0xECE, 0x180F, 0x180F, 0x1885, 0x1886,
    0x1ABF, 0x1ACE, 0x1B4E, 0x1B4F, 0x1B7D, 0x1B7F, 0x1DF6, 0x1DFB,
    0x2E43, 0x2E4F, 0x2E52, 0x2E5D, 0xA82C, 0xA82C, 0xA8C5, 0xA8C5,
    0xA8FF, 0xA8FF, 0xA9BD, 0xA9BD, 0x10D24, 0x10D27, 0x10D69, 0x10D6E,
    0x10EAB, 0x10EAD, 0x10EFC, 0x10EFF, 0x10F46, 0x10F50, 0x10F55, 0x10F59,
    0x10F82, 0x10F89, 0x11070, 0x11070, 0x11073, 0x11074, 0x110C2, 0x110C2,
    0x110CD, 0x110CD, 0x111CF, 0x111CF, 0x1123E, 0x1123E, 0x11241, 0x11241,
    0x1133B, 0x1133B, 0x113BB, 0x113C0, 0x113CE, 0x113CE, 0x113D0, 0x113D0,
    0x113D2, 0x113D2, 0x113D4, 0x113D5, 0x113D7, 0x113D8, 0x113E1, 0x113E2,
    0x11438, 0x1143F, 0x11442, 0x11444, 0x11446, 0x11446, 0x1144B, 0x1144F,
    0x1145A, 0x1145B, 0x1145D, 0x1145E, 0x11660, 0x1166C, 0x116B9, 0x116B9,
    0x1182F, 0x11837, 0x11839, 0x1183B, 0x1193B, 0x1193C, 0x1193E, 0x1193E,
    0x11943, 0x11946, 0x119D4, 0x119D7, 0x119DA, 0x119DB, 0x119E0, 0x119E0,
    0x119E2, 0x119E2, 0x11A01, 0x11A0A, 0x11A33, 0x11A38, 0x11A3B, 0x11A47,
    0x11A51, 0x11A56, 0x11A59, 0x11A5B, 0x11A8A, 0x11A96, 0x11A98, 0x11A9C,
    0x11A9E, 0x11AA2, 0x11B00, 0x11B09, 0x11BE1, 0x11BE1, 0x11C30, 0x11C36,
    0x11C38, 0x11C3D, 0x11C3F, 0x11C3F, 0x11C41, 0x11C45, 0x11C70, 0x11C71,
    0x11C92, 0x11CA7, 0x11CAA, 0x11CB0, 0x11CB2, 0x11CB3, 0x11CB5, 0x11CB6,
    0x11D31, 0x11D36, 0x11D3A, 0x11D3A, 0x11D3C, 0x11D3D, 0x11D3F, 0x11D45,
    0x11D47, 0x11D47, 0x11D90, 0x11D91, 0x11D95, 0x11D95, 0x11D97, 0x11D97,
    0x11EF3, 0x11EF4, 0x11EF7, 0x11EF8, 0x11F00, 0x11F01, 0x11F36, 0x11F3A,
    0x11F40, 0x11F40, 0x11F42, 0x11F4F, 0x11F5A, 0x11F5A, 0x11FFF, 0x11FFF,
    0x12FF1, 0x12FF2, 0x13430, 0x13440, 0x13447, 0x13455, 0x1611E, 0x16129,
    0x1612D, 0x1612F, 0x16D6D, 0x16D6F, 0x16E97, 0x16E9A, 0x16F4F, 0x16F4F,
    0x16FE2, 0x16FE2, 0x16FE4, 0x16FE4, 0x1CF00, 0x1CF2D, 0x1CF30, 0x1CF46,
    0x1E000, 0x1E006, 0x1E008, 0x1E018, 0x1E01B, 0x1E021, 0x1E023, 0x1E024,
    0x1E026, 0x1E02A, 0x1E08F, 0x1E08F, 0x1E130, 0x1E136, 0x1E2AE, 0x1E2AE,
    0x1E2EC, 0x1E2EF, 0x1E4EC, 0x1E4EF, 0x1E5EE, 0x1E5EF, 0x1E5FF, 0x1E5FF,
    0x1E944, 0x1E94A, 0x1E95E, 0x1E95F,
  };

  /** Code points that the reference treats as punctuation (their category changed later). */
  private static final int[] LEGACY_PUNCTUATION = {0x166D, 0x111C9};

  /** Code points that the reference treats as non-spacing marks (later spacing marks). */
  private static final int[] LEGACY_NONSPACING = {0x1734, 0x1171E};

  private BertText() {}

  /**
   * Normalizes a text as {@code BertNormalizer} does, in its order: clean, pad CJK ideographs,
   * strip accents (NFD, then drop non-spacing marks), lower-case.
   *
   * @param text the text
   * @param cleanText drop control characters and map every whitespace to a space
   * @param handleChineseChars put spaces around CJK ideographs
   * @param stripAccents decompose and drop non-spacing marks
   * @param lowercase lower-case every code point (full, context-free mapping)
   * @return the normalized text
   */
  static String normalize(
      String text,
      boolean cleanText,
      boolean handleChineseChars,
      boolean stripAccents,
      boolean lowercase) {
    StringBuilder sb = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (cleanText) {
        if (cp == 0 || cp == 0xFFFD || isControl(cp)) {
          continue;
        }
        if (isWhitespace(cp)) {
          cp = ' ';
        }
      }
      if (handleChineseChars && isChineseChar(cp)) {
        sb.append(' ').appendCodePoint(cp).append(' ');
      } else {
        sb.appendCodePoint(cp);
      }
    }
    String s = sb.toString();
    if (stripAccents) {
      s = stripAccents(s);
    }
    if (lowercase) {
      s = lowercase(s);
    }
    return s;
  }

  /**
   * Splits a normalized text into words: whitespace separates, and every punctuation character is a
   * word of its own.
   *
   * @param text the normalized text
   * @param out receives the words in order
   */
  static void preTokenize(String text, List<String> out) {
    int start = -1;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      int next = i + Character.charCount(cp);
      if (isWhitespace(cp)) {
        if (start >= 0) {
          out.add(text.substring(start, i));
          start = -1;
        }
      } else if (isPunctuation(cp)) {
        if (start >= 0) {
          out.add(text.substring(start, i));
          start = -1;
        }
        out.add(text.substring(i, next));
      } else if (start < 0) {
        start = i;
      }
      i = next;
    }
    if (start >= 0) {
      out.add(text.substring(start));
    }
  }

  private static String stripAccents(String s) {
    if (isAscii(s)) {
      return s;
    }
    String nfd = Normalizer.normalize(s, Normalizer.Form.NFD);
    StringBuilder sb = new StringBuilder(nfd.length());
    for (int i = 0; i < nfd.length(); ) {
      int cp = nfd.codePointAt(i);
      i += Character.charCount(cp);
      if (!isNonSpacingMark(cp)) {
        sb.appendCodePoint(cp);
      }
    }
    return sb.toString();
  }

  /**
   * Lower-cases code point by code point with the full Unicode mapping and without context (no
   * final-sigma rule), as Rust's {@code char::to_lowercase} does.
   */
  private static String lowercase(String s) {
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      int n = Character.charCount(cp);
      if (cp < 0x80) {
        int lower = cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
        if (sb != null) {
          sb.append((char) lower);
        } else if (lower != cp) {
          sb = new StringBuilder(s.length()).append(s, 0, i).append((char) lower);
        }
      } else {
        String one = s.substring(i, i + n);
        String lower = one.toLowerCase(Locale.ROOT);
        if (sb != null) {
          sb.append(lower);
        } else if (!lower.equals(one)) {
          sb = new StringBuilder(s.length() + 8).append(s, 0, i).append(lower);
        }
      }
      i += n;
    }
    return sb == null ? s : sb.toString();
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        return false;
      }
    }
    return true;
  }

  /**
   * Tells whether a code point has the Unicode White_Space property (Rust's {@code
   * char::is_whitespace}).
   */
  static boolean isWhitespace(int cp) {
    return (cp >= 0x09 && cp <= 0x0D)
        || cp == 0x20
        || cp == 0x85
        || cp == 0xA0
        || cp == 0x1680
        || (cp >= 0x2000 && cp <= 0x200A)
        || cp == 0x2028
        || cp == 0x2029
        || cp == 0x202F
        || cp == 0x205F
        || cp == 0x3000;
  }

  /** Tells whether a code point is in a "C" general category, tab, newline and CR excepted. */
  static boolean isControl(int cp) {
    if (cp == '\t' || cp == '\n' || cp == '\r') {
      return false;
    }
    if (cp > 0x7F && isLegacyOrdinary(cp)) {
      return false;
    }
    return switch (Character.getType(cp)) {
      case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE -> true;
      default -> false;
    };
  }

  /** Tells whether a code point is ASCII punctuation or in a Unicode "P" general category. */
  static boolean isPunctuation(int cp) {
    if (cp < 0x80) {
      return (cp >= 0x21 && cp <= 0x2F)
          || (cp >= 0x3A && cp <= 0x40)
          || (cp >= 0x5B && cp <= 0x60)
          || (cp >= 0x7B && cp <= 0x7E);
    }
    if (cp == LEGACY_PUNCTUATION[0] || cp == LEGACY_PUNCTUATION[1]) {
      return true;
    }
    if (isLegacyOrdinary(cp)) {
      return false;
    }
    return switch (Character.getType(cp)) {
      case Character.CONNECTOR_PUNCTUATION,
          Character.DASH_PUNCTUATION,
          Character.START_PUNCTUATION,
          Character.END_PUNCTUATION,
          Character.INITIAL_QUOTE_PUNCTUATION,
          Character.FINAL_QUOTE_PUNCTUATION,
          Character.OTHER_PUNCTUATION ->
          true;
      default -> false;
    };
  }

  /** Tells whether a code point is a non-spacing mark (general category Mn) for the reference. */
  static boolean isNonSpacingMark(int cp) {
    if (cp < 0x300) {
      return false;
    }
    if (cp == LEGACY_NONSPACING[0] || cp == LEGACY_NONSPACING[1]) {
      return true;
    }
    if (cp == LEGACY_PUNCTUATION[0] || cp == LEGACY_PUNCTUATION[1]) {
      return false;
    }
    return Character.getType(cp) == Character.NON_SPACING_MARK && !isLegacyOrdinary(cp);
  }

  private static boolean isLegacyOrdinary(int cp) {
    int lo = 0;
    int hi = LEGACY_ORDINARY.length / 2 - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (cp < LEGACY_ORDINARY[2 * mid]) {
        hi = mid - 1;
      } else if (cp > LEGACY_ORDINARY[2 * mid + 1]) {
        lo = mid + 1;
      } else {
        return true;
      }
    }
    return false;
  }

  /** Tells whether a code point is a CJK ideograph in the ranges BERT pads with spaces. */
  static boolean isChineseChar(int cp) {
    return (cp >= 0x4E00 && cp <= 0x9FFF)
        || (cp >= 0x3400 && cp <= 0x4DBF)
        || (cp >= 0x20000 && cp <= 0x2A6DF)
        || (cp >= 0x2A700 && cp <= 0x2B73F)
        || (cp >= 0x2B740 && cp <= 0x2B81F)
        || (cp >= 0x2B920 && cp <= 0x2CEAF)
        || (cp >= 0xF900 && cp <= 0xFAFF)
        || (cp >= 0x2F800 && cp <= 0x2FA1F);
  }
}
