package dev.portfolio.core.text;

/** Character classes shared by the chunker and the approximate token counter. */
final class Scripts {
  private Scripts() {}

  /** Combining marks (Mn, Mc, Me): they belong to the character before them. */
  static boolean isMark(int cp) {
    int type = Character.getType(cp);
    return type == Character.NON_SPACING_MARK
        || type == Character.COMBINING_SPACING_MARK
        || type == Character.ENCLOSING_MARK;
  }

  /** Characters that continue a grapheme: combining marks and the zero-width joiner. */
  static boolean isExtender(int cp) {
    return cp == 0x200D || isMark(cp);
  }

  /**
   * Letters of scripts written without spaces between words, where each letter is roughly one
   * token: Han, Hiragana, Katakana and Hangul.
   */
  static boolean isIdeographic(int cp) {
    return cp >= 0x1100 && Character.isLetter(cp) && isIdeographicLetter(cp);
  }

  /** Like {@link #isIdeographic} for a code point already known to be a letter. */
  static boolean isIdeographicLetter(int cp) {
    if (cp < 0x1100) {
      return false;
    }
    // Fast paths for the large blocks: CJK Unified Ideographs (and extension A), Hangul syllables.
    if ((cp >= 0x4E00 && cp <= 0x9FFF)
        || (cp >= 0x3400 && cp <= 0x4DBF)
        || (cp >= 0xAC00 && cp <= 0xD7A3)) {
      return true;
    }
    if (cp >= 0x1200 && cp < 0x2E80) {
      return false;
    }
    Character.UnicodeScript script = Character.UnicodeScript.of(cp);
    return script == Character.UnicodeScript.HAN
        || script == Character.UnicodeScript.HIRAGANA
        || script == Character.UnicodeScript.KATAKANA
        || script == Character.UnicodeScript.HANGUL;
  }
}
